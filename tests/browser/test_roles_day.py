"""Each role's day in Chromium, at the desk's width (1366 px) and on a phone (390 px): the
specialist's to-do list, intake of a dossier whose "(nếu có)" paper is not handed over, the
leader reading then signing the result, the clerk numbering and sealing it, the desk returning
it. What is asserted is what a person sees; each step is kept as a screenshot in
test-artifacts/ (day-*.png)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.catalog.actions import import_procedures_file
from motcua.catalog.models import Procedure
from motcua.demo.load import CATALOGUE_FILE
from motcua.dossiers.models import Dossier
from motcua.workflow import actions
from tests import factories
from tests.browser.conftest import pdf_text
from tests.dossiers.conftest import intake as intake_data
from tests.factories import PASSWORD
from tests.portal.test_tracking_public import pki  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MARRIAGE = "1.004873"  # Cấp Giấy xác nhận tình trạng hôn nhân
FORM = "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân theo mẫu"
DIVORCE = "Giấy tờ chứng minh việc ly hôn hoặc người vợ/chồng đã chết (nếu có)"
CERTIFY = "2.001035"  # Chứng thực giao dịch: its result is drafted in the app
LAND = "1.012812"  # Hòa giải tranh chấp đất đai: not the civil-status official's field
# What sticks out past a phone's right edge (named in a failure, to fix it).
WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
  .slice(0, 8)
  .map(el => `${el.tagName}.${el.className} ${Math.round(el.getBoundingClientRect().right)} px`)"""
DESK, PHONE = {"width": 1366, "height": 900}, {"width": 390, "height": 844}


@pytest.fixture(params=["vi-VN", "en-US"])
def locale(request) -> str:
    """Each day in a Vietnamese and in an English browser (dates, number fields, buttons)."""
    return request.param


def papers(code: str) -> list[str]:
    return [c["name"] for c in Procedure.objects.get(code=code).current_version.components]


@pytest.fixture
def commune(world, pki):  # noqa: F811
    """Bình Thành with the demo's catalogue, the demo's roles and their certificates."""
    import_procedures_file(CATALOGUE_FILE)
    return factories.signing_roles(world, pki)


def received(w, code: str, name: str, phone: str, *steps: str, by=None) -> Dossier:
    """A dossier received at the desk by the desk official, nobody assigned yet."""
    applicant = actions.ApplicantData(name=name, phone=phone, id_number="019190004321")
    data = intake_data(procedure_code=code, components=papers(code), applicant=applicant)
    d = actions.receive_dossier(w.specialist, w.binh_thanh.desk, data)
    factories.set_fields(d, assigned_to=None)
    for step in steps:
        actions.perform(d.pk, by or w.civil, step)
    return Dossier.objects.get(pk=d.pk)


def log_in(page, live_server, username: str):
    """The same browser tab, another person: cookies cleared, the log-in form filled."""
    page.context.clear_cookies()
    page.set_viewport_size(DESK)
    page.goto(live_server.url + "/tai-khoan/dang-nhap/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/dang-nhap/" not in page.url


def both_widths(page, screenshot, name: str) -> None:
    """Keep the page at the desk's width and on a phone; on the phone nothing may stick out
    sideways (a page wider than the screen hides its right column)."""
    page.set_viewport_size(DESK)
    screenshot(f"day-{name}-1366")
    page.set_viewport_size(PHONE)
    screenshot(f"day-{name}-390")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], (name, width, page.evaluate(WIDEST))
    page.set_viewport_size(DESK)


def submit(page, button):
    with page.expect_navigation():
        button.click()


def click_action(page, action: str):
    """A step's button (a step other than the forward one sits under "Các việc khác")."""
    button = page.locator(f"button[data-action='{action}']")
    if not button.is_visible():
        page.locator(".more-actions summary").click()
    submit(page, button)
    assert page.locator(".msg-success").count(), page.locator(".messages").inner_text()


def rows(page) -> list[str]:
    return page.locator("table.worklist tbody tr").all_inner_texts()


def tab_count(page, label: str) -> int:
    tab = page.locator("nav.tabs a", has_text=label)
    return int(tab.locator(".count").inner_text())


def test_the_specialists_worklist_is_a_to_do_list(live_server, page, screenshot, commune):
    w = commune
    later = received(w, MARRIAGE, "Nguyễn Văn An", "0912000001")
    late = received(w, MARRIAGE, "Trần Thị Bình", "0912000002")
    factories.set_fields(late, due_at=timezone.now() - timedelta(days=2))
    reviewing = received(w, CERTIFY, "Lê Văn Cường", "0912000003", "start_review")
    received(w, LAND, "Phạm Văn Đất", "0912000004")  # land: another official's field
    received(w, MARRIAGE, "Vũ Thị Chờ", "0912000005", "start_review", "submit_for_approval")

    log_in(page, live_server, "tuphap1")
    # after logging in, an official lands on their to-do list
    assert page.locator("h1").inner_text() == "Việc của tôi"
    table = rows(page)
    assert len(table) == 3 and tab_count(page, "Việc của tôi") == 3
    assert tab_count(page, "Đang chờ người khác") == 1  # the one with the leader
    assert not any("Phạm Văn Đất" in r for r in table)  # not theirs
    # overdue first, visibly: a red row with the word "Quá hạn"
    first = page.locator("table.worklist tbody tr").first
    assert "Trần Thị Bình" in table[0] and "Quá hạn" in table[0]
    assert "row-overdue" in first.get_attribute("class")
    red = first.locator("td").first.evaluate("td => getComputedStyle(td).backgroundColor")
    white = (
        page.locator("table.worklist tbody tr")
        .nth(1)
        .locator("td")
        .first.evaluate("td => getComputedStyle(td).backgroundColor")
    )
    assert red != white, (red, white)
    assert first.locator(".tag-overdue").is_visible()
    # what to do is said on each row, in words
    todo = page.locator("table.worklist tbody td[data-label='Việc cần làm']").all_inner_texts()
    assert len(todo) == 3 and all(t.strip() for t in todo), todo
    both_widths(page, screenshot, "1-worklist")

    # search by the dossier's code
    page.locator("#q").fill(reviewing.code)
    submit(page, page.get_by_role("button", name="Tìm"))
    found = rows(page)
    assert len(found) == 1 and reviewing.code in found[0]
    assert "1 hồ sơ" in page.locator("main").inner_text()
    # by the applicant's name typed without diacritics
    page.locator("#q").fill("nguyen van an")
    submit(page, page.get_by_role("button", name="Tìm"))
    found = rows(page)
    assert len(found) == 1 and later.code in found[0] and "Nguyễn Văn An" in found[0]
    both_widths(page, screenshot, "1-worklist-search")
    # a filter: only what is being reviewed
    page.locator("#q").fill("")
    page.locator("#trang_thai").select_option(label="Đang xử lý (thẩm định)")
    submit(page, page.get_by_role("button", name="Tìm"))
    found = rows(page)
    assert len(found) == 1 and "Lê Văn Cường" in found[0]
    both_widths(page, screenshot, "1-worklist-filter")


def test_intake_without_the_optional_paper(live_server, page, screenshot, commune):
    log_in(page, live_server, "chuyenvien")
    page.goto(live_server.url + "/ho-so/tiep-nhan/")
    page.locator("#q").type("xac nhan tinh trang hon nhan")
    with page.expect_navigation():
        page.get_by_role("link", name="Cấp Giấy xác nhận tình trạng hôn nhân").first.click()
    page.locator("#id_applicant_name").fill("Lương Thị Hoa")
    page.locator("#id_applicant_id_number").fill("019190001234")
    page.locator("#id_applicant_birth_date").fill("06/05/1990")
    page.locator("#id_applicant_sex").select_option(label="Nữ")
    page.locator("#id_applicant_phone").fill("0912345611")
    # the desk sees which paper the law requires and which only "if there is one"
    row = page.locator("table.papers tr", has_text=FORM)
    optional = page.locator("table.papers tr", has_text=DIVORCE)
    assert "Bắt buộc" in row.inner_text()
    assert "Không bắt buộc — nếu có" in optional.inner_text()
    page.get_by_role("checkbox", name=FORM).check()
    page.get_by_label(f"Hình thức: {FORM}").select_option(label="Bản chính")
    assert not page.get_by_role("checkbox", name=DIVORCE).is_checked()
    both_widths(page, screenshot, "2-intake")
    submit(page, page.get_by_role("button", name="Đủ: tiếp nhận và in giấy hẹn"))
    dossier = Dossier.objects.get(applicant_name="Lương Thị Hoa")
    assert dossier.state == "received"
    assert dossier.code in page.locator("h1").inner_text()
    assert "Đã tiếp nhận hồ sơ" in page.locator(".messages").inner_text()
    # the receipt slip to hand over, first on the page, lists what was handed over and how
    slip = page.locator(".print-first a")
    assert slip.inner_text() == "In giấy tiếp nhận và hẹn trả kết quả (PDF)"
    actions_at = page.get_by_role("heading", name="Xử lý", exact=True).bounding_box()["y"]
    assert slip.bounding_box()["y"] < actions_at
    listed = page.get_by_role("link", name="Giấy tiếp nhận và hẹn trả kết quả (PDF)", exact=True)
    assert listed.get_attribute("href") == slip.get_attribute("href")  # and among the slips
    text = pdf_text(page, live_server.url + slip.get_attribute("href"), "day-2-receipt")
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert f"{FORM} Bản chính" in text and "ly hôn" not in text
    both_widths(page, screenshot, "2-received")


def test_result_signed_sealed_and_returned(live_server, page, screenshot, commune):
    w = commune
    d = received(w, CERTIFY, "Đặng Thị Hoa", "0912555444", "start_review", by=w.specialist)
    url = f"{live_server.url}/ho-so/{d.pk}/"

    # the specialist drafts the result from the template and sends it to the leader
    log_in(page, live_server, "chuyenvien")
    page.goto(url)
    click_action(page, "draft-template")
    click_action(page, "submit_for_approval")
    assert "Chờ lãnh đạo phê duyệt" in page.locator("main").inner_text()

    # (3) the leader finds it on their list, reads the exact PDF, then signs
    log_in(page, live_server, "lanhdao")
    assert tab_count(page, "Việc của tôi") == 1
    with page.expect_navigation():
        page.get_by_role("link", name=d.code).click()
    # the step is named where the steps are, and points to the draft below
    assert "Việc tiếp theo: đọc bản dự thảo rồi ký số" in page.locator(".step-pointer").inner_text()
    preview = page.locator("iframe.pdf-preview")
    assert preview.is_visible() and preview.bounding_box()["height"] > 300
    # the frame really shows the PDF (a page that forbids framing leaves an error page there)
    shown = preview.element_handle().content_frame()
    assert shown.url.startswith(live_server.url + f"/ho-so/{d.pk}/tep/"), shown.url
    assert "Bản dự thảo sẽ ký" in page.locator(".result-box").inner_text()
    both_widths(page, screenshot, "3-leader-preview")
    page.locator(".sign-form input[name=passphrase]").fill(factories.LEADER_PASSPHRASE)
    click_action(page, "sign")
    assert "Đã ký số và phê duyệt kết quả" in page.locator(".messages").inner_text()
    assert "Chờ văn thư ban hành" in page.locator("main").inner_text()
    both_widths(page, screenshot, "3-leader-signed")

    # (4) the clerk: the register's next number is offered, then the seal
    log_in(page, live_server, "vanthu")
    assert tab_count(page, "Việc của tôi") == 1
    page.goto(url)
    assert "Việc tiếp theo: cấp số, đóng dấu số" in page.locator(".step-pointer").inner_text()
    number = page.locator(".sign-form input[name=number]")
    assert number.input_value() == "01/UBND"
    both_widths(page, screenshot, "4-clerk-number")
    page.locator(".sign-form input[name=passphrase]").fill("dau")
    click_action(page, "seal")
    result = page.locator(".result-box").inner_text()
    assert "01/UBND" in result and "Đã ban hành" in result
    # three versions under one name: the one in force is the one marked, the others greyed
    current = page.locator(".result-box tr", has=page.locator(".tag-current"))
    assert "Đã ban hành" in current.inner_text() and "01/UBND" in current.inner_text()
    assert page.locator(".result-box tbody tr.muted").count() == 2
    both_widths(page, screenshot, "4-clerk-sealed")

    # (5) the desk hands the result to the citizen and says who collected it
    log_in(page, live_server, "chuyenvien")
    page.goto(live_server.url + "/ho-so/?tab=collect")
    assert tab_count(page, "Chờ công dân nhận kết quả") == 1
    assert "Đặng Thị Hoa" in rows(page)[0]
    with page.expect_navigation():
        page.get_by_role("link", name=d.code).click()
    page.locator("input[name=collected_by]").fill("Đặng Thị Hoa")
    click_action(page, "return_result")
    main = page.locator("main").inner_text()
    assert "Đã trả kết quả" in main
    d.refresh_from_db()
    assert d.state == "returned" and d.paper_collected_by == "Đặng Thị Hoa"
    both_widths(page, screenshot, "5-returned")
    page.goto(live_server.url + "/ho-so/?tab=collect")
    assert tab_count(page, "Chờ công dân nhận kết quả") == 0
