"""Every lifecycle form renders to a PDF whose extracted text is correct Vietnamese."""

import subprocess
import unicodedata
from datetime import timedelta

import pytest
from pypdf import PdfReader

from motcua.documents import slips
from motcua.workflow import actions
from tests.browser.conftest import ARTIFACTS
from tests.dossiers.conftest import intake

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes, name: str) -> str:
    """Extract the text with poppler's pdftotext (and keep a PNG of page 1 to look at)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", "-singlefile", str(path), str(ARTIFACTS / name)],
        check=True,
    )
    assert (ARTIFACTS / f"{name}.png").stat().st_size > 5000
    text = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert unicodedata.is_normalized("NFC", text)
    assert len(PdfReader(path).pages) >= 1
    return " ".join(text.split())


def received(world):
    draft = actions.create_draft(world.specialist, world.binh_thanh.desk, intake())
    return actions.perform(draft.pk, world.specialist, "receive")


def test_receipt_slip(staff):
    d = received(staff)
    text = text_of(slips.receipt_slip_pdf(d), "01-giay-tiep-nhan")
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "UBND XÃ BÌNH THÀNH",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        d.code,
        "Nguyễn Văn An",
        "Dự thảo hợp đồng",
        "Giấy tờ tùy thân",
        "2 ngày làm việc",
        "50.000 đồng",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Bình Thành, ngày",
    ]:
        assert expected in text, expected


def test_supplement_refusal_apology_stop_control(staff):
    draft = actions.create_draft(
        staff.specialist, staff.binh_thanh.desk, intake(components=["Dự thảo hợp đồng"])
    )
    actions.perform(
        draft.pk,
        staff.specialist,
        "request_completion",
        actions.ActionInput(note="Bản sao giấy tờ tùy thân\nChữ ký của bên bán"),
    )
    text = text_of(
        slips.supplement_request_pdf(draft, slips.last_event(draft, "request_completion")),
        "02-phieu-yeu-cau-bo-sung",
    )
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert "1. Bản sao giấy tờ tùy thân" in text and "2. Chữ ký của bên bán" in text

    refused = actions.perform(
        draft.pk,
        staff.specialist,
        "refuse_reception",
        actions.ActionInput(note="Tài sản đang tranh chấp"),
    )
    text = text_of(
        slips.refusal_pdf(refused, slips.last_event(refused, "refuse_reception")),
        "03-phieu-tu-choi",
    )
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text and "Tài sản đang tranh chấp" in text

    d = received(staff)
    d = actions.perform(
        d.pk,
        staff.specialist,
        "apologize",
        actions.ActionInput(
            note="Cần xác minh nguồn gốc tài sản", new_due_at=d.due_at + timedelta(days=2)
        ),
    )
    text = text_of(slips.apology_pdf(d, slips.last_event(d, "apologize")), "04-xin-loi-gia-han")
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in text
    assert "thành thật xin lỗi" in text

    d = actions.perform(
        d.pk, staff.leader, "stop", actions.ActionInput(note="Người yêu cầu không bổ sung")
    )
    text = text_of(slips.stop_notice_pdf(d, slips.last_event(d, "stop")), "05-thong-bao-dung")
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text and "không bổ sung" in text

    text = text_of(slips.control_slip_pdf(d), "06-phieu-kiem-soat")
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert "Tiếp nhận hồ sơ" in text and "Dừng giải quyết" in text and "Quá hạn" in text
