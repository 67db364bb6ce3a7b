"""The desk's head sets its office hours in Chromium: a time given to the second is refused with
a sentence and nothing changes; hours in HH:MM are saved and appear in the configuration log on
the same page (screenshots: test-artifacts/desk-hours-*.png)."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_head_sets_the_office_hours(page, live_server, world, screenshot):
    page.goto(live_server.url + "/tai-khoan/dang-nhap/")
    page.locator("#id_username").fill(world.head.username)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.goto(live_server.url + "/bo-phan/05605/")
    hours = page.locator("input[name=office_hours]")
    before = hours.input_value()

    hours.fill("07:30:30-11:30,13:00-17:00")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu giờ làm việc").click()
    body = page.locator("body").inner_text()
    assert "Giờ làm việc tính theo phút: 07:30:30 phải là 07:30." in body
    assert page.locator("input[name=office_hours]").input_value() == before
    screenshot("desk-hours-refused")

    page.locator("input[name=office_hours]").fill("07:00-11:00,13:30-17:30")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu giờ làm việc").click()
    body = page.locator("body").inner_text()
    assert "Đã lưu giờ làm việc." in body
    assert page.locator("input[name=office_hours]").input_value() == "07:00-11:00,13:30-17:30"
    assert "Đổi giờ làm việc" in body  # the configuration log on the same page
    screenshot("desk-hours-saved")
