"""The e-receipt as a document: its PDF's text, its one visible seal signature checked by
poppler's pdfsig and by pyHanko, and the day's summary as XLSX and XML read back."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import UTC, date, datetime
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader

from motcua.core.fees import FeeKind
from motcua.core.receipts import (
    ReceiptError,
    ReceiptRef,
    ReceiptStatus,
    ReceiptSummaryRow,
    daily_summary,
)
from motcua.demo import devca
from motcua.documents import signing
from motcua.documents.receipts import (
    RECEIPT_FIELD,
    receipt_pdf,
    sign_receipt,
    summary_xlsx,
    summary_xml,
)
from tests.core.test_receipts import receipt
from tests.documents.test_signing import nss_trusting, pdfsig

poppler = pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils missing")
MM = 72 / 25.4


@pytest.fixture(scope="module")
def ca():
    return devca.make_ca()


@pytest.fixture(scope="module")
def seal(ca):
    issued = devca.issue(ca, "Ủy ban nhân dân xã Bình Thành", "UBND xã Bình Thành")
    return signing.Pkcs12Signer(issued.pkcs12("con-dau", [ca.certificate]), "con-dau")


@pytest.fixture(scope="module")
def unsigned():
    return receipt_pdf(
        receipt(
            replaces=ReceiptRef("01BLP0-001", "BT-26E", 11, date(2026, 12, 1)),
            payer_id_number="087190001234",
            collector_name="Trần Văn Bảy",
        )
    )


@pytest.fixture(scope="module")
def signed(unsigned, seal):
    return sign_receipt(unsigned, seal, now=datetime(2026, 12, 2, 2, 45, tzinfo=UTC))


def text_of(pdf: bytes) -> str:
    """The text as pdftotext reads it, its line breaks and runs of spaces made single."""
    if shutil.which("pdftotext"):
        done = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
    else:
        done = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(done.split())


def test_the_receipt_prints_its_content(signed):
    text = text_of(signed)
    for expected in (
        "BIÊN LAI THU PHÍ, LỆ PHÍ",
        "Ký hiệu mẫu biên lai: 01BLP0-001",
        "Ký hiệu biên lai: BT-26E",
        "Số: 00000012",
        "Mã số thuế: 0312345678",
        "Tên người nộp: Nguyễn Thị Hồng Nhung",
        "087190001234",
        "Phí chứng thực bản sao từ bản chính (Phí)",
        "2.000",
        "4.000",
        "Tổng số tiền 12.000",
        "Số tiền bằng chữ: Mười hai nghìn đồng",
        "Hình thức thanh toán: Tiền mặt",
        "09 giờ 41 phút, ngày 02/12/2026",
        "Ngày 02 tháng 12 năm 2026",
        "Mã hồ sơ: 000.00.05.H12-261202-0007",
        "Thay thế cho biên lai số 00000011, ký hiệu mẫu 01BLP0-001, ký hiệu BT-26E, ngày 01/12/2026",
        "Người thu tiền: Trần Văn Bảy",
        "https://motcua.example.vn/tra-cuu/000.00.05.H12-261202-0007/",
        # the stamp, in local time (02:45 UTC = 09:45 in Việt Nam)
        "Ký bởi: Ủy ban nhân dân xã Bình Thành",
        "Thời gian ký: 09:45 02/12/2026",
    ):
        assert expected in text, expected


def test_one_page_with_a_qr_code(signed):
    reader = PdfReader(io.BytesIO(signed))
    assert len(reader.pages) == 1
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4 portrait


def test_an_unsigned_receipt_says_no_replacement_when_there_is_none():
    text = text_of(receipt_pdf(receipt()))
    assert "Thay thế cho" not in text
    assert "Người thu tiền" not in text
    assert "00000012" in text and "12.000" in text and "Mười hai nghìn đồng" in text


@poppler
def test_the_seal_signature_is_valid_and_trusted(ca, signed, tmp_path):
    out = pdfsig(signed, tmp_path, nss_trusting(ca, tmp_path))
    assert out.count("Signature Validation: Signature is Valid.") == 1
    assert out.count("Certificate Validation: Certificate is Trusted.") == 1
    assert "Ủy ban nhân dân xã Bình Thành" in out
    reports = signing.verify_pdf(signed, [ca.pem()])
    assert [r.field_name for r in reports] == [RECEIPT_FIELD]
    (report,) = reports
    assert report.intact and report.valid and report.trusted and report.covers_document
    assert report.organisation == "UBND xã Bình Thành"


def test_another_root_does_not_trust_it(signed):
    (report,) = signing.verify_pdf(signed, [devca.make_ca("CA khác").pem()])
    assert report.intact and not report.trusted


@poppler
def test_a_changed_byte_breaks_it(ca, signed, tmp_path):
    broken = bytearray(signed)
    broken[signed.index(b"stream") + 40] ^= 0x01
    out = pdfsig(bytes(broken), tmp_path, nss_trusting(ca, tmp_path))
    assert "Signature is Valid" not in out


def test_the_stamp_fills_the_signature_box_of_the_layout(unsigned, signed):
    # receipt.html's #ky-so is 72 mm × 22 mm, in the right half of the page.
    assert signing.signature_field_box(unsigned, RECEIPT_FIELD) is not None
    widgets = [
        annot.get_object()
        for annot in PdfReader(io.BytesIO(signed)).pages[0].get("/Annots", [])
        if annot.get_object().get("/FT") == "/Sig"
    ]
    assert [w["/T"] for w in widgets] == [RECEIPT_FIELD]
    x1, y1, x2, y2 = (float(v) for v in widgets[0]["/Rect"])
    assert x2 - x1 == pytest.approx(72 * MM, abs=1)
    assert y2 - y1 == pytest.approx(22 * MM, abs=1)
    assert x1 > 595.28 / 2 - 10 and x2 < 595.28 - 15 * MM + 1
    assert "/V" in widgets[0]  # filled


def test_an_invalid_receipt_is_not_rendered():
    with pytest.raises(ReceiptError, match="bắt đầu từ 1"):
        receipt_pdf(receipt(number=0))


def test_a_broken_pdf_is_not_signed(seal):
    with pytest.raises(signing.SigningError, match="không phải PDF"):
        sign_receipt(b"not a pdf", seal)


# --- the day's summary ----------------------------------------------------------------------

DAY = date(2026, 12, 2)


def summary_rows() -> list[dict]:
    def one(number, amount, **changes):
        values = dict(
            form_symbol="01BLP0-001",
            series="BT-26E",
            number=number,
            issued_on=DAY,
            fee_name="Phí chứng thực",
            fee_kind=FeeKind.FEE,
            amount=amount,
        )
        return ReceiptSummaryRow(**(values | changes))

    return daily_summary(
        [
            one(12, 12_000),
            one(13, 200_000, status=ReceiptStatus.CANCELLED, note="Thu nhầm"),
            one(14, 1_005_000, fee_name="Lệ phí đăng ký kết hôn", fee_kind=FeeKind.CHARGE),
        ]
    )


def test_summary_xlsx_reads_back():
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(summary_xlsx(summary_rows()))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:4] == ["STT", "Ký hiệu mẫu biên lai", "Ký hiệu biên lai", "Từ số"]
    assert values[1][:7] == [1, "01BLP0-001", "BT-26E", "00000012", "00000012", 1, "02/12/2026"]
    assert values[2][9:11] == [200_000, "Huỷ"] and values[2][11] == "Thu nhầm"
    assert values[3][7:11] == ["Lệ phí đăng ký kết hôn", "Lệ phí", 1_005_000, "Mới"]
    # 12.000 + 1.005.000: the cancelled 200.000 is not counted
    assert values[4][1].startswith("Tổng cộng") and values[4][9] == 1_017_000
    assert sheet.cell(row=2, column=10).number_format == "#,##0"


def test_summary_xml_reads_back():
    root = ElementTree.fromstring(summary_xml(summary_rows(), "0312345678", DAY))
    assert root.findtext("TTChung/MSo") == "01/TH-BLĐT"
    assert root.findtext("TTChung/MST") == "0312345678"
    assert root.findtext("TTChung/NDLieu") == "2026-12-02"
    assert root.findtext("TTChung/TgTien") == "1017000"
    lines = root.findall("DSBLai/BLai")
    assert [line.findtext("TuSo") for line in lines] == ["00000012", "00000013", "00000014"]
    assert [line.findtext("TThai") for line in lines] == ["Mới", "Huỷ", "Mới"]
    assert lines[1].findtext("GChu") == "Thu nhầm"
    assert lines[2].findtext("LPhi") == "Lệ phí"
