"""The disclosure board on the desk's TV (1920×1080) turns its pages by itself, and the board
reads on a phone (390×844) without sideways scrolling (issue 14, item 3)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5).length"""


def test_the_tv_board_turns_its_pages(live_server, page, screenshot, staff, monkeypatch):
    from django.utils import timezone

    from motcua.portal import views_board
    from motcua.roster.models import Shift

    monkeypatch.setattr(views_board, "TV_ROWS", 2)  # the small catalogue over several pages
    today = timezone.localdate()
    staff.specialist.full_name, staff.specialist.title = "Ma Văn Hùng", "Công chức Tư pháp"
    staff.specialist.save()
    police = staff.clerk
    police.full_name, police.is_police = "Nguyễn Văn Công", True
    police.save()
    Shift.objects.create(unit=staff.binh_thanh, day=today, part="day", official=staff.specialist)
    Shift.objects.create(
        unit=staff.binh_thanh,
        day=today,
        part="morning",
        official=police,
        at_own_office=True,
        place="Trụ sở Công an xã, thôn Bản Lác",
    )
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{live_server.url}/niem-yet/?tv=1&giay=2")
    total = page.locator("section.tv-page").count()
    assert total >= 2
    assert page.locator("section.tv-page:visible").count() == 1
    first = page.inner_text("section.tv-page:visible")
    # the first page is today's roster: who is on duty, and where the police receive
    assert "Lịch trực hôm nay" in first and "Ma Văn Hùng" in first
    assert "Mời đến: Trụ sở Công an xã, thôn Bản Lác" in first
    screenshot("board-tv-roster-1920")
    page.wait_for_selector("body[data-page='2']", state="attached", timeout=6_000)
    assert page.locator("section.tv-page:visible").count() == 1
    assert page.inner_text("section.tv-page:visible") != first
    assert page.evaluate(WIDEST) == 0
    assert "/" in page.inner_text("#tv-dong-ho")  # the clock: HH:MM dd/mm/yyyy
    screenshot("board-tv-2-1920")


def test_the_board_on_a_phone(live_server, page, screenshot, staff):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/niem-yet/")
    assert page.locator("section.board-field").count() >= 2
    screenshot("board-390")
