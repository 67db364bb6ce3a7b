"""OCR of scans: real ocrmypdf + tesseract-ocr-vie where installed; the system without them."""

import hashlib
import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.core.text import fold
from motcua.documents import ocr
from motcua.documents.digitisation import attach_component, reuse_document
from motcua.documents.models import StoredDocument, StoredFile
from motcua.documents.ocr import recognise_file
from motcua.documents.queries import files_matching
from motcua.dossiers.models import Dossier
from motcua.workflow import actions
from tests.dossiers.conftest import intake

pytestmark = pytest.mark.django_db
needs_ocr = pytest.mark.skipif(
    not ocr.available(), reason="ocrmypdf / tesseract-ocr-vie chưa cài (scripts/setup.sh --test)"
)
DEJAVU = "/usr/share/fonts/truetype/dejavu/"
LINES = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "",
    "HỢP ĐỒNG TẶNG CHO QUYỀN SỬ DỤNG ĐẤT",
    "Bên tặng cho: ông Nguyễn Văn An",
    "Địa chỉ: thôn Nà Lẹng, xã Bình Thành",
    "Thửa đất số 125, tờ bản đồ số 7",
    "Diện tích: 350 mét vuông",
]


def scanned_page(lines=LINES) -> bytes:
    """A page as a desk scanner makes it: A4 at 200 dpi, grey paper, slightly skewed, JPEG."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    page = Image.new("L", (1654, 2339), 246)
    draw = ImageDraw.Draw(page)
    regular = ImageFont.truetype(DEJAVU + "DejaVuSerif.ttf", 42)
    bold = ImageFont.truetype(DEJAVU + "DejaVuSerif-Bold.ttf", 46)
    y = 220
    for i, line in enumerate(lines):
        draw.text((170, y), line, fill=25, font=bold if i in (0, 3) else regular)
        y += 88
    page = page.rotate(0.5, fillcolor=246, resample=Image.BICUBIC)
    page = page.filter(ImageFilter.GaussianBlur(0.5))
    out = io.BytesIO()
    page.save(out, format="JPEG", quality=75, dpi=(200, 200))
    return out.getvalue()


def received(staff) -> Dossier:
    d = actions.create_draft(staff.specialist, staff.binh_thanh.desk, intake())
    return actions.perform(d.pk, staff.specialist, "receive")


def attach(staff, dossier, data: bytes, name="hop-dong.jpg") -> StoredFile:
    return attach_component(
        dossier.pk, staff.specialist, "Dự thảo hợp đồng", SimpleUploadedFile(name, data)
    )


@needs_ocr
def test_a_scanned_page_becomes_searchable(staff, django_capture_on_commit_callbacks):
    d = received(staff)
    with django_capture_on_commit_callbacks(execute=True):
        stored = attach(staff, d, scanned_page())
        assert stored.ocr_state == "pending"  # queued, runs after the commit
    stored.refresh_from_db()
    assert stored.ocr_state == "done", stored.ocr_state
    text = fold(stored.ocr_text)
    # Lenient: tesseract may drop some diacritics, so compare without them.
    found = [
        w for w in ("hop dong tang cho", "nguyen van an", "binh thanh", "125", "350") if w in text
    ]
    assert len(found) >= 4, stored.ocr_text
    assert "Nguyễn" in stored.ocr_text or "Bình" in stored.ocr_text  # some diacritics kept
    # The scan is kept as uploaded; the searchable copy is another file.
    original = stored.content.open("rb").read()
    assert hashlib.sha256(original).hexdigest() == stored.sha256
    searchable = stored.searchable.open("rb").read()
    assert searchable.startswith(b"%PDF") and searchable != original
    assert "binh thanh" in fold(ocr.pdf_text(searchable))
    assert stored.ocr_seconds and 0 < stored.ocr_seconds < ocr.timeout_seconds()
    print(f"\nOCR: {stored.ocr_seconds:.2f} giây cho 1 trang A4 200 dpi")
    # The dossier can be found by what the scan says.
    assert list(files_matching(Dossier.objects.all(), "Nà Lẹng")) == [d]
    assert list(files_matching(Dossier.objects.all(), "không có chữ này")) == []


@needs_ocr
def test_a_pdf_with_text_keeps_its_text(staff, django_capture_on_commit_callbacks):
    from tests.factories import pdf_bytes

    d = received(staff)
    with django_capture_on_commit_callbacks(execute=True):
        stored = attach(staff, d, pdf_bytes("Giấy xác nhận tình trạng hôn nhân"), "gxn.pdf")
    stored.refresh_from_db()
    assert stored.ocr_state == "done"
    assert "Giấy xác nhận tình trạng hôn nhân" in stored.ocr_text


def test_without_the_tools_the_upload_works_and_says_so(
    staff, client, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    assert not ocr.available()
    d = received(staff)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        stored = attach(staff, d, scanned_page(["Bản quét"]))
    assert callbacks == []  # nothing queued
    stored.refresh_from_db()
    assert stored.ocr_state == "unavailable" and stored.ocr_text == "" and not stored.searchable
    assert stored.content.open("rb").read().startswith(b"%PDF")
    client.force_login(staff.specialist)
    page = client.get(f"/ho-so/{d.pk}/").content.decode()
    assert (
        "Chưa cài OCR (ocrmypdf, tesseract-ocr-vie) — tệp vẫn được lưu, "
        "chưa tìm được theo nội dung" in page
    )


def test_a_failed_ocr_keeps_the_file(staff, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(ocr, "available", lambda: True)

    def broken(pdf):
        raise ocr.OcrError("tesseract hỏng")

    monkeypatch.setattr(ocr, "recognise", broken)
    d = received(staff)
    with django_capture_on_commit_callbacks(execute=True):
        stored = attach(staff, d, scanned_page(["Bản quét"]))
    stored.refresh_from_db()
    assert stored.ocr_state == "failed" and stored.size > 0 and not stored.searchable


def test_a_reused_paper_gets_the_text_recognised_later(
    staff, monkeypatch, django_capture_on_commit_callbacks
):
    """Reused while its OCR is still queued: the reusing file gets the text when it comes."""
    monkeypatch.setattr(ocr, "available", lambda: True)
    monkeypatch.setattr(
        ocr, "recognise", lambda pdf: ocr.OcrResult(b"%PDF-1.4 ocr", "Hợp đồng tặng cho", 1.5)
    )
    first = received(staff)
    stored = attach_component(
        first.pk,
        staff.specialist,
        "Dự thảo hợp đồng",
        SimpleUploadedFile("a.jpg", scanned_page(["x"])),
        metadata={
            "document_type": "Hợp đồng tặng cho",
            "document_number": "02/HĐTC",
            "document_date": "03/11/2025",
            "issuer": "Các bên giao kết",
        },
    )  # no on_commit capture: the OCR task stays queued
    later = received(staff)
    reused = reuse_document(
        later.pk, staff.specialist, StoredDocument.objects.get().pk, "Dự thảo hợp đồng"
    )
    assert reused.ocr_state == "pending"
    assert recognise_file(stored.pk) == "done"
    reused.refresh_from_db()
    assert reused.ocr_state == "done" and reused.ocr_text == "Hợp đồng tặng cho"
    assert reused.searchable.name == StoredFile.objects.get(pk=stored.pk).searchable.name


def test_ocr_command_flags():
    from pathlib import Path

    args = ocr.command(Path("a.pdf"), Path("b.pdf"), Path("c.txt"))
    joined = " ".join(args)
    assert "-l vie+eng" in joined and "--output-type pdf" in joined and "--skip-text" in joined
    assert "--sidecar c.txt" in joined and args[-2:] == ["a.pdf", "b.pdf"]


@needs_ocr
def test_ocr_speed_per_page():
    """Measured, not a limit: seconds per A4 page at 200 dpi on this machine."""
    from motcua.documents.files import image_to_pdf

    pdf = image_to_pdf(scanned_page())
    started = time.monotonic()
    result = ocr.recognise(pdf)
    elapsed = time.monotonic() - started
    print(f"\nOCR một trang: {elapsed:.2f} giây")
    assert "binh thanh" in fold(result.text)
