"""One dossier through the five steps by the five roles, in Chromium, with its slips and the
citizen's tracking page."""

import pytest

from motcua.dossiers.models import Dossier
from tests.browser.conftest import ARTIFACTS, pdf_text
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(browser, live_server, username):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/tai-khoan/dang-nhap/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/dang-nhap/" not in page.url
    return page


def act(page, action):
    """Click the step's button, as a person would: a step other than the forward one sits
    under "Các việc khác", opened first."""
    button = page.locator(f"button[data-action='{action}']")
    if not button.is_visible():
        page.locator(".more-actions summary").click()
    with page.expect_navigation():
        button.click()
    assert "msg-success" in page.content(), page.locator(".messages").inner_text()


def test_five_steps_by_five_roles(live_server, browser, staff, screenshot):
    desk = log_in(browser, live_server, "chuyenvien")
    # 1. receive at the desk, by keyboard: search without diacritics, pick, fill, receive
    desk.goto(live_server.url + "/ho-so/tiep-nhan/")
    desk.locator("#q").type("chung thuc giao dich")
    with desk.expect_navigation():
        desk.get_by_role("link", name="Chứng thực giao dịch liên quan").click()
    desk.locator("#id_applicant_name").fill("Vi Văn Khánh")
    desk.locator("#id_applicant_id_number").fill("019080005555")
    desk.locator("#id_applicant_phone").fill("0966555444")
    desk.locator("#id_applicant_address").fill("Thôn Khuân Lặng")
    desk.get_by_role("checkbox", name="Dự thảo hợp đồng").check()
    desk.get_by_role("checkbox", name="Giấy tờ tùy thân").check()
    desk.screenshot(path=str(ARTIFACTS / "e2e-intake.png"), full_page=True)
    with desk.expect_navigation():
        desk.get_by_role("button", name="Đủ: tiếp nhận và in giấy hẹn").click()
    dossier = Dossier.objects.get()
    assert dossier.code in desk.locator("h1").inner_text()
    slip = pdf_text(
        desk, f"{live_server.url}/ho-so/{dossier.pk}/phieu/tiep-nhan.pdf", "e2e-receipt"
    )
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in slip and "Vi Văn Khánh" in slip
    # 2. specialist review
    act(desk, "start_review")
    act(desk, "submit_for_approval")
    # 3. the leader approves
    leader = log_in(browser, live_server, "lanhdao")
    leader.goto(live_server.url + "/ho-so/")
    with leader.expect_navigation():
        leader.get_by_role("link", name=dossier.code).click()
    act(leader, "approve")
    # 4. the clerk issues
    clerk = log_in(browser, live_server, "vanthu")
    clerk.goto(f"{live_server.url}/ho-so/{dossier.pk}/")
    act(clerk, "issue")
    # 5. the desk returns the result and records who collected the paper
    desk.goto(f"{live_server.url}/ho-so/{dossier.pk}/")
    desk.locator("input[name=collected_by]").fill("Vi Văn Khánh")
    act(desk, "return_result")
    dossier.refresh_from_db()
    assert dossier.state == "returned" and dossier.timeliness in ("early", "on_time")
    assert dossier.paper_collected_by == "Vi Văn Khánh"
    desk.screenshot(path=str(ARTIFACTS / "e2e-returned.png"), full_page=True)
    control = pdf_text(
        desk, f"{live_server.url}/ho-so/{dossier.pk}/phieu/kiem-soat.pdf", "e2e-control"
    )
    for step in (
        "Tiếp nhận hồ sơ",
        "Trình lãnh đạo",
        "Phê duyệt, ký",
        "Vào số, đóng dấu, ban hành",
        "Trả kết quả",
    ):
        assert step in control
    # the citizen follows it by code and the last four digits of the phone
    citizen = browser.new_context(locale="vi-VN").new_page()
    citizen.goto(live_server.url + "/tra-cuu/")
    citizen.locator("#code").fill(dossier.code)
    citizen.locator("#phone").fill("5444")
    with citizen.expect_navigation():
        citizen.keyboard.press("Enter")
    text = citizen.locator("main").inner_text()
    assert "Đã trả kết quả" in text and "Lãnh đạo đã ký duyệt" in text
    assert "Vi Văn Khánh" not in text and "019080005555" not in text
    citizen.screenshot(path=str(ARTIFACTS / "e2e-tracking.png"), full_page=True)
