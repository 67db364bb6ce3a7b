"""Ratings in Chromium (issue 14): the desk's tablet in kiosk mode at 1024×768 offers the
dossier its official has just returned and takes one tap; a citizen on a 390×844 phone opens
the QR code printed on their receipt slip (read back from the PDF by zxing-cpp) and rates with
a criterion. Screenshots in test-artifacts/."""

from __future__ import annotations

import pytest

from motcua.dossiers.models import Rating
from tests.dossier_states import act, dossier_in
from tests.factories import PASSWORD, qr_codes_on_slip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5).length"""


def test_the_desk_tablet_offers_the_dossier_just_returned(live_server, page, screenshot, staff):
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/?next=/danh-gia/")
    page.fill("#id_username", staff.specialist.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/danh-gia/")
    assert "Xin kính chào" in page.inner_text("main")
    screenshot("rating-kiosk-wait-1024")
    dossier = act(dossier_in("done", staff), staff.specialist, "return_result")  # at the counter
    page.wait_for_selector("h1.kiosk-title", timeout=15_000)  # the tablet polls
    assert dossier.code in page.inner_text("main")
    assert page.evaluate(WIDEST) == 0
    buttons = page.locator("button.rate-level")
    assert buttons.count() == 5
    assert min(buttons.nth(i).bounding_box()["height"] for i in range(5)) >= 100  # big
    screenshot("rating-kiosk-ask-1024")
    page.click("button.rate-level:has-text('Rất hài lòng')")
    page.wait_for_selector("text=Cảm ơn ông/bà đã đánh giá")
    screenshot("rating-kiosk-thanks-1024")
    rating = Rating.objects.get(dossier=dossier)
    assert (rating.channel, rating.level, rating.official_id) == ("desk", 5, staff.specialist.pk)
    page.wait_for_selector("text=Xin kính chào", timeout=15_000)  # and waits for the next


def test_a_citizen_rates_from_the_qr_on_the_slip_on_a_phone(
    live_server, page, screenshot, staff, settings, tmp_path
):
    settings.MOTCUA_PUBLIC_URL = live_server.url
    dossier = dossier_in("received", staff)
    codes = qr_codes_on_slip(dossier, tmp_path)
    [rating_link] = [text for text in codes if "/danh-gia/" in text]
    for step, who in (
        ("start_review", staff.specialist),
        ("submit_for_approval", staff.specialist),
        ("approve", staff.leader),
        ("issue", staff.clerk),
        ("return_result", staff.specialist),
    ):
        dossier = act(dossier, who, step)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(rating_link)
    assert page.evaluate(WIDEST) == 0
    screenshot("rating-phone-ask-390")
    page.click("summary:has-text('9 tiêu chí')")
    page.select_option("select[name=tieu-chi-attitude]", "2")
    screenshot("rating-phone-criteria-390")
    page.click("button.rate-level:has-text('Hài lòng') >> nth=1")  # "Hài lòng", not "Rất …"
    page.wait_for_selector("text=Cảm ơn ông/bà đã đánh giá")
    screenshot("rating-phone-thanks-390")
    rating = Rating.objects.get(dossier=dossier)
    assert (rating.channel, rating.level, rating.criteria) == ("qr", 4, {"attitude": 2})
    assert rating.entered_by == "citizen" and rating.official is None
