"""Feedback in Chromium (issue 14, item 2): a citizen sends one from a 390×844 phone and follows
it on their page; the desk's head, on a 1024×768 tablet, sees it with its countdown beside an
overdue one in red, assigns, answers and publishes it without the sender's personal data; the
citizen reads the answer and says whether it satisfied them. Screenshots in test-artifacts/."""

from __future__ import annotations

import re

import pytest

from motcua.feedback.models import Feedback
from tests.factories import PASSWORD
from tests.feedback.test_feedback import received

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5).length"""


def test_a_feedback_is_received_handled_and_published_on_time(live_server, page, screenshot, staff):
    staff.specialist.full_name = "Trần Thị Bích"
    staff.specialist.save()
    old = received(staff)  # 12/02/2026: its answer was due on 12/03/2026
    # the citizen, on a phone
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/phan-anh/")
    assert page.evaluate(WIDEST) == 0
    page.select_option("#ve", "staff")
    page.fill("#noi_dung", "Cán bộ Trần Thị Bích không hướng dẫn tôi điền tờ khai.")
    page.fill("#ho_ten", "Lê Thị Hoa")
    page.fill("#dien_thoai", "0987 654 321")
    screenshot("feedback-phone-form-390")
    page.click("button:has-text('Gửi phản ánh')")
    page.wait_for_selector("text=Đã gửi phản ánh")
    fb = Feedback.objects.exclude(pk=old.pk).get()
    assert fb.code in page.inner_text("main")
    screenshot("feedback-phone-sent-390")
    page.click("a:has-text('Theo dõi phản ánh')")
    due = f"{fb.handle_by:%d/%m/%Y}"
    assert re.search(rf"{due} \(còn \d+ ngày làm việc\)", page.inner_text("#han"))
    screenshot("feedback-phone-mine-390")
    mine = page.url

    # the head of the desk, on a tablet
    # (the head's own browser: a context of its own, not the citizen's cookies)
    desk_context = page.context.browser.new_context(
        locale="vi-VN", viewport={"width": 1024, "height": 768}
    )
    desk = desk_context.new_page()
    desk.goto(f"{live_server.url}/tai-khoan/dang-nhap/?next=/ho-so/phan-anh/")
    desk.fill("#id_username", staff.head.username)
    desk.fill("#id_password", PASSWORD)
    desk.click("main button[type=submit]")
    desk.wait_for_url("**/ho-so/phan-anh/")
    overdue_row = desk.locator(f"tr:has-text('{old.code}')")
    assert "row-overdue" in overdue_row.get_attribute("class")
    assert "quá hạn" in overdue_row.inner_text()
    assert "còn" in desk.locator(f"tr:has-text('{fb.code}')").inner_text()
    assert desk.evaluate(WIDEST) == 0
    screenshot("feedback-desk-list-1024", desk)
    desk.click(f"a:has-text('{fb.code}')")
    desk.wait_for_url(f"**/ho-so/phan-anh/{fb.pk}/")
    desk.wait_for_selector(f"#giao_cho option[value='{staff.head.pk}']", state="attached")
    desk.select_option("#giao_cho", str(staff.head.pk))
    desk.select_option("#can_bo", str(staff.specialist.pk))
    desk.click("button:has-text('Phân loại, giao xử lý')")
    desk.wait_for_selector("text=Đã phân loại và giao xử lý")
    desk.fill("#tra-loi", "Xã đã nhắc nhở cán bộ Trần Thị Bích và xin lỗi bà Lê Thị Hoa.")
    desk.click("button:has-text('Gửi trả lời')")
    desk.wait_for_selector("text=Đã gửi câu trả lời")
    # the public texts come without the names and the number
    public = desk.input_value("#tra-loi-cong-khai")
    assert "Trần Thị Bích" not in public and "Lê Thị Hoa" not in public
    assert "[họ tên]" in public
    screenshot("feedback-desk-publish-1024", desk)
    desk.click("button:has-text('Công khai trên trang phản ánh')")
    desk.wait_for_selector("text=Đã công khai câu trả lời")
    fb.refresh_from_db()
    assert fb.status == "published" and fb.published_at.date() <= fb.publish_by
    assert fb.answered_at.date() <= fb.handle_by  # answered within its countdown

    # the public page shows it, without personal data; the citizen says they are satisfied
    page.goto(f"{live_server.url}/phan-anh/")
    answers = page.inner_text("#da-tra-loi ~ article")
    assert "[họ tên]" in answers and "Lê Thị Hoa" not in answers and "0987" not in answers
    screenshot("feedback-phone-published-390")
    page.goto(mine)
    assert "Xã đã nhắc nhở" in page.inner_text("#tra-loi")
    assert page.locator("button.btn-yes").bounding_box()["height"] >= 48
    screenshot("feedback-phone-answer-390")
    page.click("button.btn-yes")
    page.wait_for_selector("text=Cảm ơn ông/bà đã cho biết ý kiến")
    fb.refresh_from_db()
    assert fb.satisfied is True
    desk_context.close()
