"""OCR of scans (nhận dạng chữ): ocrmypdf with Debian's tesseract-ocr-vie, when installed.

The scan is kept as it came; OCR adds a searchable copy of the PDF (a text layer under the
page images) and the recognised text. Without the tools the system works as before and says so.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile

from motcua.documents.models import OcrState, StoredFile

logger = logging.getLogger(__name__)

UNAVAILABLE_MESSAGE = (
    "Chưa cài OCR (ocrmypdf, tesseract-ocr-vie) — tệp vẫn được lưu, chưa tìm được theo nội dung"
)
LANGUAGES = "vie+eng"


class OcrError(RuntimeError):
    """OCR did not produce a result (the message is for the log, the file is kept)."""


@dataclass(frozen=True)
class OcrResult:
    pdf: bytes
    text: str
    seconds: float


def timeout_seconds() -> int:
    """Seconds one file may take: setting or environment ``MOTCUA_OCR_TIMEOUT``, default 600."""
    value = getattr(settings, "MOTCUA_OCR_TIMEOUT", None) or os.environ.get("MOTCUA_OCR_TIMEOUT")
    return int(value or 600)


@functools.cache
def _tesseract_has_vietnamese() -> bool:
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        return False
    try:
        listed = subprocess.run(
            [tesseract, "--list-langs"], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return "vie" in (listed.stdout + listed.stderr).split()


def available() -> bool:
    """ocrmypdf is on the PATH and tesseract has the Vietnamese model."""
    return shutil.which("ocrmypdf") is not None and _tesseract_has_vietnamese()


def command(source: Path, target: Path, sidecar: Path) -> list[str]:
    """The ocrmypdf call. ``--skip-text`` leaves pages that already carry text (a PDF made by a
    program) as they are; ``--output-type pdf`` avoids the PDF/A conversion through Ghostscript;
    ``--optimize 0`` needs no pngquant/jbig2; one job, so a worker does not take every core."""
    return [
        shutil.which("ocrmypdf") or "ocrmypdf",
        "-l",
        LANGUAGES,
        "--skip-text",
        "--output-type",
        "pdf",
        "--optimize",
        "0",
        "--jobs",
        "1",
        "--tesseract-timeout",
        str(max(timeout_seconds() - 10, 30)),
        "--sidecar",
        str(sidecar),
        "--quiet",
        str(source),
        str(target),
    ]


def recognise(pdf: bytes) -> OcrResult:
    """Run ocrmypdf on a PDF; return the searchable PDF, its text and the time taken."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="motcua-ocr-") as folder:
        source, target, sidecar = (Path(folder) / n for n in ("in.pdf", "out.pdf", "out.txt"))
        source.write_bytes(pdf)
        try:
            done = subprocess.run(
                command(source, target, sidecar),
                capture_output=True,
                text=True,
                timeout=timeout_seconds(),
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise OcrError(f"ocrmypdf quá {timeout_seconds()} giây") from exc
        except OSError as exc:
            raise OcrError(f"không chạy được ocrmypdf: {exc}") from exc
        # 0: done; 6: every page already had text (nothing to do, output still written).
        if done.returncode not in (0, 6) or not target.exists():
            raise OcrError(f"ocrmypdf trả mã {done.returncode}: {done.stderr.strip()[-500:]}")
        out = target.read_bytes()
        text = sidecar.read_text(encoding="utf-8", errors="replace") if sidecar.exists() else ""
    if "[OCR skipped on page" in text or not text.strip():
        text = pdf_text(out)
    return OcrResult(out, normalise(text), time.monotonic() - started)


def pdf_text(pdf: bytes) -> str:
    """The text layer of a PDF (pages made by a program, skipped by OCR)."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf), strict=False)
    return "\n".join((page.extract_text() or "") for page in reader.pages)


def normalise(text: str) -> str:
    import unicodedata

    lines = (" ".join(line.split()) for line in unicodedata.normalize("NFC", text).splitlines())
    return "\n".join(line for line in lines if line).replace("\x0c", "")


def recognise_file(file_id) -> str:
    """OCR one scan (background worker): keep a searchable copy and the text; the original
    stays as uploaded. Files that reuse the same bytes get the same result. Adds no dossier
    event: OCR changes no fact of the dossier. Returns the new OCR state."""
    stored = StoredFile.objects.filter(pk=file_id).first()
    if stored is None or stored.ocr_state != OcrState.PENDING:
        return stored.ocr_state if stored else ""
    same_bytes = StoredFile.objects.filter(stored_document__file=stored)
    if not available():
        StoredFile.objects.filter(pk=stored.pk).update(ocr_state=OcrState.UNAVAILABLE)
        return OcrState.UNAVAILABLE
    try:
        with stored.content.open("rb") as handle:
            done = recognise(handle.read())
    except OcrError as exc:
        logger.warning("OCR tệp %s không thành công: %s", stored.pk, exc)
        StoredFile.objects.filter(pk=stored.pk).update(ocr_state=OcrState.FAILED)
        same_bytes.update(ocr_state=OcrState.FAILED)
        return OcrState.FAILED
    stored.searchable.save(f"{stored.id}.ocr.pdf", ContentFile(done.pdf), save=False)
    values = {
        "searchable": stored.searchable.name,
        "ocr_text": done.text,
        "ocr_seconds": round(done.seconds, 3),
        "ocr_state": OcrState.DONE,
    }
    StoredFile.objects.filter(pk=stored.pk).update(**values)
    same_bytes.update(**values)
    return OcrState.DONE
