"""Each branch of a dossier's life through the pages, with its slip and the tracking page."""

import pytest

from motcua.dossiers.models import Dossier
from tests.browser.conftest import pdf_text
from tests.browser.test_dossier_flow import act, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def intake(
    page,
    live_server,
    *,
    outcome="Đủ: tiếp nhận và in giấy hẹn",
    note="",
    components=("Dự thảo hợp đồng", "Giấy tờ tùy thân"),
    received_from="",
):
    page.goto(live_server.url + "/ho-so/tiep-nhan/2.001035/")
    page.locator("#id_applicant_name").fill("Hoàng Thị Nga")
    page.locator("#id_applicant_id_number").fill("019190002222")
    page.locator("#id_applicant_phone").fill("0933222111")
    for name in components:
        page.get_by_role("checkbox", name=name).check()
    if note:
        page.locator("#id_note").fill(note)
    if received_from:
        page.locator("#id_received_from").fill(received_from)
    with page.expect_navigation():
        page.get_by_role("button", name=outcome).click()
    return Dossier.objects.order_by("-created_at").first()


def act_with(page, action, **fields):
    form = page.locator(f"form:has(button[data-action='{action}'])")
    if not form.is_visible():
        page.locator(".more-actions summary").click()
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    act(page, action)


def tracking_text(browser, live_server, dossier):
    page = browser.new_context(locale="vi-VN").new_page()
    page.goto(f"{live_server.url}/tra-cuu/{dossier.tracking_token}/")
    return page.locator("main").inner_text()


def test_supplement_at_intake_then_completed(live_server, browser, staff):
    desk = log_in(browser, live_server, "chuyenvien")
    d = intake(
        desk, live_server, outcome="Chưa đủ: yêu cầu bổ sung", components=["Dự thảo hợp đồng"]
    )
    assert d.state == "draft"
    slip = pdf_text(
        desk, f"{live_server.url}/ho-so/{d.pk}/phieu/yeu-cau-bo-sung.pdf", "e2e-b-completion"
    )
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in slip and "Giấy tờ tùy thân" in slip
    assert "cần bổ sung hồ sơ: Giấy tờ tùy thân" in tracking_text(browser, live_server, d)
    desk.get_by_role(
        "checkbox", name="Giấy tờ tùy thân"
    ).check()  # completes later, nothing retyped
    act(desk, "receive")
    d.refresh_from_db()
    assert d.state == "received" and d.code


def test_refusal_at_reception(live_server, browser, staff):
    desk = log_in(browser, live_server, "chuyenvien")
    d = intake(
        desk, live_server, outcome="Không đủ điều kiện: từ chối", note="Tài sản đang bị kê biên"
    )
    assert d.state == "refused"
    slip = pdf_text(desk, f"{live_server.url}/ho-so/{d.pk}/phieu/tu-choi.pdf", "e2e-b-refusal")
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in slip and "Tài sản đang bị kê biên" in slip


def test_supplement_during_processing_apology_and_not_collected(live_server, browser, staff):
    desk = log_in(browser, live_server, "chuyenvien")
    d = intake(desk, live_server, received_from="UBND xã Phú Đình")
    act(desk, "start_review")
    act_with(desk, "request_supplement", note="Bản sao sổ đỏ có chứng thực")
    assert "Bản sao sổ đỏ có chứng thực" in tracking_text(browser, live_server, d)
    act(desk, "receive_supplement")
    d.refresh_from_db()
    new_due = d.due_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Ho_Chi_Minh")).replace(
        tzinfo=None
    ) + __import__("datetime").timedelta(days=3)
    act_with(
        desk,
        "apologize",
        note="Cần xác minh nguồn gốc tài sản",
        new_due_at=new_due.strftime("%d/%m/%Y %H:%M"),  # as the desk types it
    )
    slip = pdf_text(desk, f"{live_server.url}/ho-so/{d.pk}/phieu/xin-loi.pdf", "e2e-b-apology")
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in slip
    act(desk, "submit_for_approval")
    leader = log_in(browser, live_server, "lanhdao")
    leader.goto(f"{live_server.url}/ho-so/{d.pk}/")
    act(leader, "approve")
    clerk = log_in(browser, live_server, "vanthu")
    clerk.goto(f"{live_server.url}/ho-so/{d.pk}/")
    act(clerk, "issue")
    desk.goto(f"{live_server.url}/ho-so/{d.pk}/")
    act_with(desk, "mark_not_collected", note="Đã gọi điện hai lần")
    d.refresh_from_db()
    assert d.state == "done" and d.timeliness == "late" and d.received_from == "UBND xã Phú Đình"
    assert "Mời ông/bà đến" in tracking_text(browser, live_server, d)


@pytest.mark.parametrize(
    "who, action, fields, state, slip",
    [
        ("lanhdao", "refuse", {"note": "Giao dịch trái quy định"}, "refused", None),
        ("lanhdao", "stop", {"note": "Người yêu cầu đề nghị dừng"}, "stopped", "dung"),
        ("chuyenvien", "withdraw", {"note": "Người nộp xin rút"}, "withdrawn", None),
        (
            "chuyenvien",
            "transfer",
            {"transferred_to": "Chi nhánh Văn phòng đăng ký đất đai"},
            "transferred",
            None,
        ),
    ],
)
def test_ending_branches(live_server, browser, staff, who, action, fields, state, slip):
    desk = log_in(browser, live_server, "chuyenvien")
    d = intake(desk, live_server)
    page = desk if who == "chuyenvien" else log_in(browser, live_server, who)
    page.goto(f"{live_server.url}/ho-so/{d.pk}/")
    if action == "transfer":
        fields = {**fields, "note": "Chuyển theo quy chế phối hợp"}
    act_with(page, action, **fields)
    d.refresh_from_db()
    assert d.state == state
    if slip:
        assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in pdf_text(
            page, f"{live_server.url}/ho-so/{d.pk}/phieu/{slip}.pdf", f"e2e-b-{action}"
        )
    assert d.get_state_display() in tracking_text(browser, live_server, d)
