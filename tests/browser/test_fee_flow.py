"""The fee in Chromium: the desk asks for it, the citizen sees the VietQR code on the tracking
page, the desk imports the bank's statement, the dossier shows paid with its signed receipt,
the citizen downloads the receipt and the result is returned."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from vietnam_qr_pay import QRPay

from motcua.catalog.models import Procedure
from motcua.demo import devca
from motcua.documents.certificates import register_certificate
from motcua.payments.models import PaymentRequest, PaymentSettings, Receipt
from tests.browser.conftest import ARTIFACTS, pdf_text
from tests.browser.test_dossier_flow import act, log_in
from tests.dossier_states import dossier_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACCOUNT = "113366668888"


@pytest.fixture
def fee_desk(staff, settings):
    """Bình Thành charges the contract fee (TT 226/2016/TT-BTC: 50.000 đồng a contract),
    collects into its own account and signs receipts unattended with its seal."""
    version = Procedure.objects.get(code="2.001035").current_version
    version.fee_rule = {
        "basis": "ho_so",
        "kind": "phi",
        "name": "Phí chứng thực hợp đồng, giao dịch",
        "price": 50000,
        "legal_basis": "Thông tư 226/2016/TT-BTC",
    }
    version.fee = 50000
    version.save(update_fields=["fee_rule", "fee"])
    PaymentSettings.objects.create(
        unit=staff.binh_thanh,
        bank_bin="970415",
        bank_name="VietinBank",
        account_number=ACCOUNT,
        account_name="UBND XA BINH THANH",
        tax_code="4600123456",
    )
    ca = devca.make_ca()
    seal = devca.issue(ca, "UBND xã Bình Thành", "UBND")
    register_certificate(unit=staff.binh_thanh, data=seal.pkcs12("dau"), passphrase="dau")
    settings.MOTCUA_RECEIPT_PASSPHRASE = "dau"
    return staff


def pdf_page_image(path: Path, dpi: int = 150) -> Image.Image:
    """The PDF's first page as an image (poppler's pdftoppm: a second reader, not ours)."""
    root = path.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-singlefile", str(path), str(root)], check=True
    )
    return Image.open(root.with_suffix(".png"))


def test_fee_requested_paid_by_statement_receipted_and_returned(
    live_server, browser, fee_desk, tmp_path
):
    dossier = dossier_in("done", fee_desk)
    desk = log_in(browser, live_server, "chuyenvien")
    desk.goto(f"{live_server.url}/ho-so/{dossier.pk}/")
    # the result cannot go back before the fee is paid: ask for it
    with desk.expect_navigation():
        desk.locator("button[data-action='request_payment']").click()
    assert "50.000 đồng" in desk.locator("#phi-le-phi").inner_text()
    desk.screenshot(path=str(ARTIFACTS / "fee-requested.png"), full_page=True)
    slip = pdf_text(
        desk, f"{live_server.url}/ho-so/{dossier.pk}/phi/de-nghi-nop-phi.pdf", "fee-slip"
    )
    assert "PHIẾU ĐỀ NGHỊ NỘP PHÍ, LỆ PHÍ" in slip.upper() and "Năm mươi nghìn đồng" in slip
    slip_qr = zxingcpp.read_barcodes(pdf_page_image(ARTIFACTS / "fee-slip.pdf"))
    assert any(QRPay(code.text).is_valid for code in slip_qr if code.text.startswith("0002"))

    # the citizen opens the tracking page and finds the QR to scan
    citizen = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
    phone = citizen.new_page()
    phone.goto(f"{live_server.url}/tra-cuu/{dossier.tracking_token}/")
    qr = phone.locator(".fee-qr .qr svg")
    assert qr.is_visible()
    phone.screenshot(path=str(ARTIFACTS / "fee-tracking-qr.png"), full_page=True)
    shot = Image.open(io.BytesIO(qr.screenshot()))
    read = zxingcpp.read_barcodes(shot)
    assert read, "the QR on the tracking page does not read back"
    payload = QRPay(read[0].text)
    assert payload.is_valid and payload.amount == "50000"
    assert payload.consumer.bank_number == ACCOUNT
    message = PaymentRequest.objects.get(dossier=dossier).message
    assert payload.additional_data.purpose == message

    # the bank's statement comes in: the desk imports it
    statement = tmp_path / "sao-ke.csv"
    statement.write_text(
        "Ngày giao dịch,Số tham chiếu,Số tiền ghi có,Nội dung\n"
        f"02/12/2026,FT26336001,50.000,NGUYEN VAN AN CHUYEN KHOAN {message}\n"
        "02/12/2026,FT26336002,75.000,TIEN DIEN\n",
        encoding="utf-8",
    )
    desk.goto(f"{live_server.url}/thu-phi/sao-ke/")
    desk.locator("input[type=file]").set_input_files(str(statement))
    with desk.expect_navigation():
        desk.get_by_role("button", name="Nhập sao kê").click()
    text = desk.locator("main").inner_text()
    assert "FT26336001" in text and "FT26336002" in text
    desk.screenshot(path=str(ARTIFACTS / "fee-statement.png"), full_page=True)

    # the worker signed the receipt after the payment's commit (the test's task queue runs
    # a task at once)
    receipt = Receipt.objects.get(dossier=dossier)
    assert receipt.pdf is not None and receipt.signed_at is not None
    desk.goto(f"{live_server.url}/ho-so/{dossier.pk}/")
    panel = desk.locator("#phi-le-phi").inner_text()
    assert "Đã nộp" in panel and f"{receipt.number:08d}" in panel
    # the citizen downloads the signed receipt
    phone.goto(f"{live_server.url}/tra-cuu/{dossier.tracking_token}/")
    with phone.expect_download() as download:
        phone.locator("#tai-bien-lai").click()
    with open(download.value.path(), "rb") as handle:
        pdf = handle.read()
    assert pdf.startswith(b"%PDF") and pdf == bytes(receipt.pdf)
    receipt_text = pdf_text(
        desk, f"{live_server.url}/thu-phi/bien-lai/{receipt.pk}.pdf", "fee-receipt"
    )
    assert f"{receipt.number:08d}" in receipt_text and "Năm mươi nghìn đồng" in receipt_text
    # and the result is returned
    desk.locator("input[name=collected_by]").fill("Nguyễn Văn An")
    act(desk, "return_result")
    dossier.refresh_from_db()
    assert dossier.state == "returned" and dossier.fee_paid_via == "bank"
    desk.screenshot(path=str(ARTIFACTS / "fee-returned.png"), full_page=True)
