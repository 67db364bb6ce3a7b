"""Checking and storing uploaded files: the type comes from the bytes, never the name."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile

from motcua.documents.models import StoredFile
from motcua.dossiers.models import Dossier

SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
]


class FileRefused(ValueError):
    """An upload that cannot be accepted (Vietnamese message)."""


def sniff(head: bytes) -> str | None:
    for magic, mime in SIGNATURES:
        if head.startswith(magic):
            return mime
    return None


def check_upload(upload) -> tuple[bytes, str]:
    """Read an upload within the size limit; return its bytes and the MIME type from them."""
    limit = settings.MOTCUA_MAX_UPLOAD_MB * 1024 * 1024
    name = getattr(upload, "name", "tệp")
    if upload.size == 0:
        raise FileRefused(f"Tệp “{name}” rỗng (0 byte).")
    if upload.size > limit:
        raise FileRefused(
            f"Tệp “{name}” lớn hơn {settings.MOTCUA_MAX_UPLOAD_MB} MB; "
            "hãy quét lại với độ phân giải thấp hơn."
        )
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise FileRefused(f"Tệp “{name}” lớn hơn {settings.MOTCUA_MAX_UPLOAD_MB} MB.")
    mime = sniff(data[:16])
    if mime is None:
        raise FileRefused(
            f"Tệp “{name}” không phải PDF, JPEG hay PNG (kiểm tra theo nội dung tệp)."
        )
    if mime == "application/pdf" and b"/Encrypt" in data[: 4096 * 16]:
        raise FileRefused(f"Tệp “{name}” là PDF có đặt mật khẩu; hãy gửi bản không khoá.")
    return data, mime


def store_component(dossier: Dossier, component: str, upload) -> StoredFile:
    """Store a checked component file of ``dossier`` (the caller holds the transaction)."""
    data, mime = check_upload(upload)
    stored = StoredFile(
        unit_id=dossier.unit_id,
        dossier=dossier,
        component=component,
        original_name=str(getattr(upload, "name", "tep"))[:255],
        mime_type=mime,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    stored.content.save(f"{stored.id}", ContentFile(data), save=False)
    stored.save()
    return stored
