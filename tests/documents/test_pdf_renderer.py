"""The PDF renderer keeps its stylesheets and fonts between documents, and nothing else.

Each slip is read back with poppler's ``pdftotext`` (another program than the one that wrote
it): a second rendering of a dossier's slip prints the same text as the first, whatever was
rendered in between, and each dossier's slip carries its own code, applicant and commune.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils.autoreload import file_changed

from motcua.documents import pdf, slips
from motcua.workflow import actions
from tests.documents.test_rendered_pdfs import extract_text, flat

pytestmark = pytest.mark.django_db


def received(user, desk, name: str, address: str):
    draft = actions.create_draft(
        user,
        desk,
        actions.IntakeData(
            procedure_code="2.001035",
            channel="direct",
            applicant=actions.ApplicantData(name=name, phone="0987654321", address=address),
            components=["Dự thảo hợp đồng", "Giấy tờ tùy thân"],
        ),
    )
    return actions.perform(draft.pk, user, "receive")


def text_of(data: bytes, path: Path) -> str:
    path.write_bytes(data)
    return flat(extract_text(path))


@pytest.fixture
def two_dossiers(staff):
    """Two dossiers of two communes: Bình Thành's and Phú Đình's, with different applicants."""
    return (
        received(
            staff.specialist, staff.binh_thanh.desk, "Nguyễn Thị Hồng Nhung", "Thôn Thượng Lỗ"
        ),
        received(staff.neighbour_specialist, staff.neighbour.desk, "Trần Văn Bảo", "Xóm Đồng Kè"),
    )


def test_the_same_slip_twice_prints_the_same_text(two_dossiers, tmp_path):
    first, second = two_dossiers
    before = text_of(slips.receipt_slip_pdf(first), tmp_path / "a.pdf")
    slips.receipt_slip_pdf(second)  # another dossier, another commune in between
    again = text_of(slips.receipt_slip_pdf(first), tmp_path / "b.pdf")
    assert again == before
    assert first.code in again and "Nguyễn Thị Hồng Nhung" in again


def test_each_dossier_slip_carries_its_own_code(two_dossiers, tmp_path):
    first, second = two_dossiers
    assert first.code != second.code
    one = text_of(slips.receipt_slip_pdf(first), tmp_path / "one.pdf")
    other = text_of(slips.receipt_slip_pdf(second), tmp_path / "other.pdf")
    assert f"Mã hồ sơ: {first.code}" in one and second.code not in one
    assert f"Mã hồ sơ: {second.code}" in other and first.code not in other
    assert "Nguyễn Thị Hồng Nhung" in one and "Trần Văn Bảo" not in one
    assert "Trần Văn Bảo" in other and "Nguyễn Thị Hồng Nhung" not in other
    # The issuer and the place line are each commune's own.
    assert one.startswith("UBND XÃ BÌNH THÀNH") and "Bình Thành, ngày" in one
    assert other.startswith("UBND XÃ PHÚ ĐÌNH") and "Phú Đình, ngày" in other
    assert "PHÚ ĐÌNH" not in one and "BÌNH THÀNH" not in other


def capture(monkeypatch, call) -> tuple:
    """The template and context a slip function renders (read in this thread, from the db)."""
    seen = []
    real = pdf.render_document

    def spy(template, context):
        seen.append((template, context))
        return real(template, context)

    monkeypatch.setattr(pdf, "render_document", spy)
    call()
    monkeypatch.setattr(pdf, "render_document", real)
    return seen[-1]


def test_threads_render_at_once_each_with_its_own_fonts(two_dossiers, tmp_path, monkeypatch):
    """Threads (runserver's, a threaded worker's) render side by side, each with its own font
    configuration (Pango's font map is not documented as safe to share): each PDF is whole and
    its own."""
    jobs = [capture(monkeypatch, lambda d=d: slips.receipt_slip_pdf(d)) for d in two_dossiers]
    results: dict[int, bytes] = {}
    errors: list[BaseException] = []

    def work(index: int, template, context) -> None:
        try:
            for _ in range(3):
                results[index] = pdf.render_pdf(template, context)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [
        threading.Thread(target=work, args=(i, *job))
        for i, job in enumerate(jobs + jobs)  # two threads per dossier
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    for index, dossier in enumerate(two_dossiers + two_dossiers):
        text = text_of(results[index], tmp_path / f"{index}.pdf")
        assert f"Mã hồ sơ: {dossier.code}" in text
        assert dossier.applicant_name in text


def test_a_deployment_stylesheet_overrides_ours_and_a_change_is_picked_up(two_dossiers, tmp_path):
    """The stylesheets are found like templates (a deployment's template folder first) and,
    under runserver, parsed again when one of them changes."""
    first, _ = two_dossiers
    styles = tmp_path / "templates" / "documents" / "styles"
    styles.mkdir(parents=True)
    base = styles / "base.css"
    base.write_text(
        pdf.stylesheet_source("documents/styles/base.css").replace(
            "size: A4;", "size: A5 landscape;"
        ),
        encoding="utf-8",
    )
    from django.conf import settings

    ours = settings.TEMPLATES[0]
    templates = [{**ours, "DIRS": [tmp_path / "templates", *ours["DIRS"]]}]
    try:
        with override_settings(TEMPLATES=templates):
            file_changed.send(sender=None, file_path=base)
            landscape = page_size_mm(slips.receipt_slip_pdf(first), tmp_path / "a5.pdf")
        file_changed.send(sender=None, file_path=base)
        portrait = page_size_mm(slips.receipt_slip_pdf(first), tmp_path / "a4.pdf")
    finally:
        file_changed.send(sender=None, file_path=base)
    assert landscape == pytest.approx((210, 148), abs=1)
    assert portrait == pytest.approx((210, 297), abs=1)


def page_size_mm(data: bytes, path: Path) -> tuple[float, float]:
    """Page 1's size from poppler's ``pdfinfo`` (points → mm)."""
    import subprocess

    path.write_bytes(data)
    info = subprocess.run(
        ["pdfinfo", str(path)], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    line = next(line for line in info.splitlines() if line.startswith("Page size:"))
    width, _x, height = line.split(":", 1)[1].split()[:3]
    return float(width) * 25.4 / 72, float(height) * 25.4 / 72
