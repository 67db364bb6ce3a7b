"""Queue numbers in Chromium (issue 14, item 5): a citizen takes a number on the kiosk tablet
(1024×768, big buttons), the ticket shows (and is sent to the printer); the official on duty at
the counter presses "Gọi số tiếp theo"; the TV (1920×1080) calls the number; the official marks
it served. Screenshots in test-artifacts/ (the ticket also as the 80 mm printer lays it out)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from motcua.queue.models import QueueTicket
from motcua.roster import actions as roster
from motcua.roster.models import Shift
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_number_is_taken_called_on_the_tv_and_served(live_server, page, screenshot, staff):
    one = roster.save_counter(staff.head, staff.binh_thanh, 1, "Tư pháp - Hộ tịch", [])
    Shift.objects.create(
        unit=staff.binh_thanh,
        day=timezone.localdate(),
        part="day",
        official=staff.specialist,
        counter=one,
    )
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{live_server.url}/lay-so/")
    button = page.locator("button.queue-button", has_text="Quầy 1")
    assert button.bounding_box()["height"] >= 120  # a finger, not a mouse
    screenshot("queue-kiosk-1024")
    button.click()
    page.wait_for_selector("#so-thu-tu")
    assert page.inner_text("#so-thu-tu") == "1001"
    screenshot("queue-ticket-1024")
    # as the receipt printer lays it out: 80 mm wide (302 px at 96 dpi), the print styles
    page.set_viewport_size({"width": 302, "height": 600})
    page.emulate_media(media="print")
    assert page.locator(".no-print").is_hidden()
    screenshot("queue-ticket-print-80mm")
    page.emulate_media(media="screen")

    tv_context = page.context.browser.new_context(
        locale="vi-VN", viewport={"width": 1920, "height": 1080}
    )
    tv = tv_context.new_page()
    tv.goto(f"{live_server.url}/niem-yet/?tv=1")
    assert tv.locator("#tv-goi-so").is_hidden()  # nobody called yet today

    desk_context = page.context.browser.new_context(locale="vi-VN")
    desk = desk_context.new_page()
    desk.goto(f"{live_server.url}/tai-khoan/dang-nhap/?next=/ho-so/")
    desk.fill("#id_username", staff.specialist.username)
    desk.fill("#id_password", PASSWORD)
    desk.click("main button[type=submit]")
    desk.wait_for_url("**/ho-so/")
    assert "1 người đang chờ" in desk.inner_text("#so-thu-tu")
    desk.click("button:has-text('Gọi số tiếp theo')")
    desk.wait_for_selector("text=Đang mời số 1001 đến Quầy 1")
    screenshot("queue-desk-called", desk)

    tv.wait_for_selector("#tv-goi-so .tv-call-number", timeout=8_000)  # polled every 3 s
    assert tv.inner_text("#tv-goi-so .tv-call-number") == "1001"
    assert "Quầy 1" in tv.inner_text("#tv-goi-so")
    screenshot("queue-tv-call-1920", tv)

    desk.click("button:has-text('Xong')")
    desk.wait_for_selector("text=Đã phục vụ xong")
    ticket = QueueTicket.objects.get()
    assert ticket.status == "served" and ticket.called_at <= ticket.served_at
    tv_context.close()
    desk_context.close()
