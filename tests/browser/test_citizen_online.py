"""A citizen's whole way online in Chromium, in an English and a Vietnamese browser: one mistake
(a wrong CCCD) shown beside its field, fixed without attaching the files again, the code by
e-mail through a loopback SMTP server, the tab closed and the dossier found again from the
message's link, and, once the desk has received, signed and sealed it, the sealed result
downloaded from the tracking page and verified. Each step is photographed at 1280 and 390 px,
and no page is wider than a 390 px phone."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from motcua.catalog.actions import import_procedures_file
from motcua.demo import devca
from motcua.documents import signing
from motcua.documents.certificates import register_certificate, trust_authority, trust_roots
from motcua.dossiers.models import Dossier
from motcua.workflow import actions
from motcua.workflow.results import attach_result, seal_and_issue, sign_and_approve
from tests.browser.conftest import ARTIFACTS
from tests.factories import jpeg_bytes, pdf_bytes
from tests.portal.mailbox import code_in, link_in, smtp  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DEMO = Path(__file__).resolve().parents[2] / "motcua" / "catalog" / "data" / "procedures_demo.csv"
CODE_SUBJECT = "Mã xác nhận nộp hồ sơ trực tuyến"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def shoot(page, name: str, *, fits_phone: bool = True) -> None:
    """Screenshots at 1280 and 390 px; fails when the page is wider than the phone."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(ARTIFACTS / f"{name}-1280.png"), full_page=True)
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path=str(ARTIFACTS / f"{name}-390.png"), full_page=True)
    page.set_viewport_size(DESKTOP)
    if fits_phone:
        assert width <= PHONE["width"], f"{name}: {width} px wide on a 390 px phone"


def desk_receives_signs_and_seals(staff, dossier: Dossier) -> None:
    """The desk's real steps (as tests/documents/test_results.py takes them)."""
    ca = devca.make_ca()
    trust_authority("CA thử nghiệm", ca.pem())
    leader = devca.issue(ca, "Lãnh Đạo Xã", "UBND xã Bình Thành")
    seal = devca.issue(ca, "Ủy ban nhân dân xã Bình Thành", "UBND xã Bình Thành")
    register_certificate(
        unit=staff.binh_thanh, user=staff.leader, data=leader.pkcs12("ld"), passphrase="ld"
    )
    register_certificate(unit=staff.binh_thanh, data=seal.pkcs12("dau"), passphrase="dau")
    actions.perform(dossier.pk, staff.specialist, "receive")
    actions.perform(dossier.pk, staff.specialist, "start_review")
    attach_result(dossier.pk, staff.specialist)
    actions.perform(dossier.pk, staff.specialist, "submit_for_approval")
    sign_and_approve(dossier.pk, staff.leader, "ld")
    seal_and_issue(dossier.pk, staff.clerk, "dau")  # the register's next number


@pytest.mark.parametrize("locale", ["en-US", "vi-VN"])
def test_citizen_online_from_a_mistake_to_the_sealed_result(
    live_server,
    browser,
    staff,
    smtp,  # noqa: F811 (the fixture imported above)
    settings,
    tmp_path,
    locale,
):
    settings.MOTCUA_PUBLIC_URL = live_server.url
    settings.DATA_DIR = tmp_path  # the holding area
    tag = f"citizen-{locale}"
    papers = {
        "to-khai.pdf": pdf_bytes("Tờ khai đăng ký khai sinh"),
        "giay-chung-sinh.jpg": jpeg_bytes(),
    }
    for name, data in papers.items():
        (tmp_path / name).write_bytes(data)
    context = browser.new_context(locale=locale, viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()

    page.goto(live_server.url + "/nop-truc-tuyen/")
    page.locator("#q").fill("khai sinh")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    with page.expect_navigation():
        page.get_by_role("link", name="Đăng ký khai sinh").first.click()
    assert "Thủ tục nộp trực tuyến toàn trình" in page.locator("main").inner_text()
    shoot(page, f"{tag}-1-form")

    # one mistake: the first three digits are no province's code
    page.locator("#id_applicant_name").fill("Đặng Thị Hoa")
    page.locator("#id_applicant_id_number").fill("999190004321")
    page.locator("#id_applicant_birth_date").fill("05/09/1990")
    page.locator("#id_applicant_phone").fill("0977 111 222")
    page.locator("#id_applicant_email").fill("hoa@example.vn")
    page.locator("#file-0").set_input_files(str(tmp_path / "to-khai.pdf"))
    page.locator("#file-1").set_input_files(str(tmp_path / "giay-chung-sinh.jpg"))
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi và nhận mã xác nhận").click()
    wrong = page.locator(".field.has-error")
    assert wrong.count() == 1  # the one mistake, and only it
    assert wrong.locator("#id_applicant_id_number").count() == 1  # beside its own field
    assert "“999” không phải mã tỉnh" in wrong.locator(".err").inner_text()
    assert "Có 1 chỗ cần sửa" in page.locator(".error-summary").inner_text()
    held = page.locator(".held").all_inner_texts()
    assert any("to-khai.pdf" in t and "giữ lại" in t for t in held), held
    assert any("giay-chung-sinh.jpg" in t for t in held), held
    assert page.locator("#id_applicant_birth_date").input_value() == "05/09/1990"
    shoot(page, f"{tag}-2-mistake")

    # fixed, without attaching anything again
    page.locator("#id_applicant_id_number").fill("019190004321")
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi và nhận mã xác nhận").click()
    assert "Nhập mã xác nhận" in page.locator("h1").inner_text()
    dossier = Dossier.objects.get()
    assert dossier.applicant_birth_date.isoformat() == "1990-09-05"  # day first, any locale
    assert dossier.files.count() == 2
    shoot(page, f"{tag}-3-code")

    message = smtp.wait_for(CODE_SUBJECT)
    assert message["To"] == "hoa@example.vn"
    body = smtp.body(message)
    code, link = code_in(body), link_in(body)
    assert link == f"{live_server.url}/tra-cuu/{dossier.tracking_token}/"
    page.close()  # the tab is closed before the code is typed: the message's link is enough

    page = context.new_page()
    page.goto(link)
    assert "cần nhập mã xác nhận" in page.locator(".next-step").inner_text()
    shoot(page, f"{tag}-4-link-before-code")
    with page.expect_navigation():
        page.get_by_role("link", name="Nhập mã xác nhận").click()
    page.locator("#code").fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name="Xác nhận và nộp hồ sơ").click()
    assert "Đã nộp hồ sơ" in page.locator("h1").inner_text()
    assert link in page.locator(".keep-link").inner_text()
    shoot(page, f"{tag}-5-submitted")

    dossier.refresh_from_db()
    assert dossier.state == "awaiting_reception"
    desk_receives_signs_and_seals(staff, dossier)
    dossier.refresh_from_db()
    assert dossier.state == "done" and dossier.code

    page.goto(link)
    main = page.locator("main").inner_text()
    sealed = dossier.files.get(stage="sealed")
    number = sealed.document_number
    assert dossier.code in main and "Kết quả điện tử" in main and number in main
    for internal in ("attach_result", "sign_result", "seal_result", "describe_file"):
        assert internal not in main
    shoot(page, f"{tag}-6-result")
    with page.expect_download() as download:
        page.locator("#tai-ket-qua").click()
    saved = tmp_path / f"{tag}.pdf"
    download.value.save_as(saved)
    pdf = saved.read_bytes()
    assert hashlib.sha256(pdf).hexdigest() == sealed.sha256
    reports = signing.verify_pdf(pdf, trust_roots())
    assert [r.signer for r in reports] == ["Lãnh Đạo Xã", "Ủy ban nhân dân xã Bình Thành"]
    assert all(r.ok and r.trusted for r in reports)
    with page.expect_navigation():
        page.get_by_role("button", name="Kiểm tra chữ ký số của văn bản").click()
    assert f"Đây đúng là văn bản {number}" in page.locator("main").inner_text()
    # the verification page is the documents' (its table is wider than a phone: reported)
    shoot(page, f"{tag}-7-verified", fits_phone=False)
    context.close()


@pytest.mark.parametrize("locale", ["en-US", "vi-VN"])
def test_catalogue_reads_well_on_desktop_and_phone(live_server, browser, world, locale):
    import_procedures_file(DEMO)
    tag = f"catalogue-{locale}"
    context = browser.new_context(locale=locale, viewport=DESKTOP)
    page = context.new_page()
    page.goto(live_server.url + "/")
    shoot(page, f"{tag}-home")
    page.goto(live_server.url + "/thu-tuc/?q=%C4%91%C4%83ng+k%C3%BD+k%E1%BA%BFt+h%C3%B4n")
    names = page.locator(".catalogue-table td.col-name a").all_inner_texts()
    assert names[:2] == ["Đăng ký kết hôn", "Đăng ký kết hôn lưu động"], names[:4]
    shoot(page, f"{tag}-search")
    page.goto(live_server.url + "/thu-tuc/")
    fees = page.locator(".catalogue-table td.col-fee").all_inner_texts()
    assert fees and not any(f.endswith("…") for f in fees)  # fees in full
    shoot(page, f"{tag}-list")
    page.goto(live_server.url + "/thu-tuc/1.001193/")
    shoot(page, f"{tag}-procedure")
    context.close()
