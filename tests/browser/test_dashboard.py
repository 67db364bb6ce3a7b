"""The statistics dashboard in Chromium: the head of the desk reads the seed's year and drills
down from a number to the dossiers behind it, keyboard only."""

import pytest

from tests.browser.test_dossier_flow import log_in
from tests.reports import seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_head_reads_the_year_and_drills_down(live_server, browser, staff):
    seed.build_seed("05605")
    page = log_in(browser, live_server, "truongbp")
    page.goto(f"{live_server.url}/thong-ke/?tu=2023-01-01&den=2023-12-31")
    kpis = page.locator(".kpis").inner_text()
    for text in ("3.834", "98,5 %", "3.829", "99,9 %", "2.513/2.513"):
        assert text in kpis, text
    assert page.locator("svg.chart rect").count() > 12  # bars were drawn
    page.screenshot(path="test-artifacts/dashboard.png", full_page=True)
    # the head types Q1/2024 the Vietnamese way
    page.locator("input[name=tu]").fill("01/01/2024")
    page.locator("input[name=den]").fill("31/03/2024")
    with page.expect_navigation():
        page.locator("input[name=den]").press("Enter")
    assert "521" in page.locator(".kpis").inner_text()
    assert "100,0 %" in page.locator(".kpis").inner_text()
    page.goto(f"{live_server.url}/thong-ke/?tu=01/01/2023&den=31/12/2023")
    link = page.locator("a.kpi", has_text="đang giải quyết")
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Đang giải quyết: 5 hồ sơ"
    assert page.locator("tbody tr").count() == 5
    page.screenshot(path="test-artifacts/dashboard-drilldown.png", full_page=True)
