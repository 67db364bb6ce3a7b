"""Checking and storing uploaded files: the type comes from the bytes, never the name."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.http import FileResponse

from motcua.accounts.models import User
from motcua.core.errors import DocumentError
from motcua.core.lifecycle import EventKind
from motcua.documents.models import StoredFile
from motcua.dossiers.ledger import append_event
from motcua.dossiers.models import Dossier

SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
]
# the types a stored file can have (and so the API serves)
STORED_TYPES = tuple(mime for _, mime in SIGNATURES)


class FileRefused(DocumentError, ValueError):
    """An upload that cannot be accepted (Vietnamese message)."""

    default_code = "file_refused"


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
    if mime == "application/pdf":
        check_pdf(data, name)
    else:
        check_image(data, name)
    return data, mime


# What each accepted type is called, the extensions a file of that type may carry, and the
# other names programs give the type.
TYPE_NAMES = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}
EXTENSIONS = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg", ".jpe", ".jfif"),
    "image/png": (".png",),
}
MIME_ALIASES = {"image/jpg": "image/jpeg", "image/pjpeg": "image/jpeg", "image/x-png": "image/png"}
_EXTENSION = re.compile(r"\.([a-z][a-z0-9]{1,4})$")


def check_declared(name: str, mime: str, declared: str = "") -> None:
    """Refuse a checked file whose name or declared type says something its bytes (``mime``,
    as :func:`check_upload` found it) are not: a JPEG named “….pdf” or sent as
    ``application/pdf``. A name without an extension, or no declared type, says nothing."""
    found = _EXTENSION.search(name.strip().lower())
    if found and f".{found.group(1)}" not in EXTENSIONS[mime]:
        raise FileRefused(
            f"Tệp “{name}” có đuôi .{found.group(1)} nhưng nội dung là {TYPE_NAMES[mime]}; "
            "tên tệp phải đúng với loại tệp."
        )
    said = declared.split(";")[0].strip().lower()
    said = MIME_ALIASES.get(said, said)
    if said and said != mime:
        raise FileRefused(
            f"Tệp “{name}” được khai là {declared.strip()} nhưng nội dung là {TYPE_NAMES[mime]}."
        )


# A phone photo is 12-50 megapixels; anything far larger is refused before it is decoded.
MAX_IMAGE_PIXELS = 80_000_000


# A component is a scan of a few pages; a page tree far larger is refused before it is walked.
MAX_PDF_PAGES = 2000


def check_pdf(data: bytes, name: str) -> int:
    """Refuse a broken, encrypted or oversized PDF; return its page count. The page tree is
    walked here with a bound (pypdf would flatten 200,000 entries) and must hold as many
    pages as its ``/Count`` says."""
    import io

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if "/Encrypt" in reader.trailer or reader.is_encrypted:
            raise FileRefused(f"Tệp “{name}” là PDF có đặt mật khẩu; hãy gửi bản không khoá.")
        pages = page_count(reader, name)
    except FileRefused:
        raise
    except NotImplementedError as exc:  # pypdf: an encryption it does not know
        raise FileRefused(
            f"Tệp “{name}” là PDF được mã hoá theo cách không hỗ trợ; hãy gửi bản không khoá."
        ) from exc
    except (
        PyPdfError,
        RecursionError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        OSError,
    ) as exc:
        raise FileRefused(f"Tệp “{name}” là PDF bị hỏng, không mở được.") from exc
    if pages == 0:
        raise FileRefused(f"Tệp “{name}” là PDF không có trang nào.")
    return pages


def page_count(reader, name: str) -> int:
    """The pages of a PDF's page tree, walked without recursion, at most
    :data:`MAX_PDF_PAGES` entries and each node once; refused when the tree loops, is too
    large or does not match its ``/Count``."""
    broken = FileRefused(f"Tệp “{name}” là PDF có cây trang không hợp lệ, không mở được.")
    too_many = FileRefused(
        f"Tệp “{name}” có quá nhiều trang (tối đa {MAX_PDF_PAGES}); hãy tách thành nhiều tệp."
    )
    root = reader.trailer["/Root"].get_object()["/Pages"].get_object()
    declared = root.get("/Count")
    if not isinstance(declared, int) or declared < 0:
        raise broken
    if declared > MAX_PDF_PAGES:
        raise too_many
    seen: set[int] = {id(root)}
    todo, pages, entries = [root], 0, 0
    while todo:
        node = todo.pop()
        if "/Kids" not in node:
            pages += 1
            continue
        for kid in node["/Kids"]:
            entries += 1
            if entries > MAX_PDF_PAGES:
                raise too_many
            kid = kid.get_object()
            if "/Kids" in kid:
                if id(kid) in seen:
                    raise broken
                seen.add(id(kid))
            todo.append(kid)
    if pages != declared:
        raise broken
    return pages


def check_image(data: bytes, name: str) -> None:
    """Refuse an image that cannot be decoded or would decode to too many pixels."""
    import io
    import warnings

    from PIL import Image, ImageFile

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise FileRefused(
                        f"Ảnh “{name}” quá lớn ({width}×{height} điểm ảnh); "
                        "hãy chụp hoặc quét với độ phân giải thấp hơn."
                    )
                image.verify()
            # verify() checks the structure only: a truncated JPEG or a PNG with garbage
            # under correct checksums passes it and would become a blank page; decode it,
            # to the end: WeasyPrint sets LOAD_TRUNCATED_IMAGES for the whole process when
            # imported, under which a broken image decodes without an error.
            truncated, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
            try:
                with Image.open(io.BytesIO(data)) as image:
                    image.load()
            finally:
                ImageFile.LOAD_TRUNCATED_IMAGES = truncated
    except FileRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise FileRefused(f"Ảnh “{name}” quá lớn, có thể là tệp độc hại.") from exc
    except Exception as exc:  # Pillow raises many kinds for a corrupt image
        raise FileRefused(f"Ảnh “{name}” bị hỏng, không đọc được.") from exc


def image_to_pdf(data: bytes) -> bytes:
    """One A4-fitting PDF page from a checked JPEG/PNG (phone photos turned upright)."""
    import io

    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as image:
        upright = ImageOps.exif_transpose(image).convert("RGB")
        out = io.BytesIO()
        upright.save(out, format="PDF", resolution=150)
    return out.getvalue()


def as_pdf(data: bytes, mime: str) -> bytes:
    """The PDF form of a checked upload: PDFs as they are, images as one page each."""
    return data if mime == "application/pdf" else image_to_pdf(data)


def store_component(dossier: Dossier, component: str, upload) -> StoredFile:
    """Store a checked component file of ``dossier`` (the caller holds the transaction)."""
    data, mime = check_upload(upload)
    return store_bytes(
        dossier, data, mime, str(getattr(upload, "name", "tep")), component=component
    )


def store_bytes(
    dossier: Dossier,
    data: bytes,
    mime: str,
    name: str,
    *,
    role: str = StoredFile.Role.COMPONENT,
    component: str = "",
    stage: str = "",
    number: str = "",
    date=None,
    document_type: str = "",
    issuer: str = "",
) -> StoredFile:
    """Write checked bytes to the storage backend and record them (caller holds the transaction)."""
    stored = StoredFile(
        unit_id=dossier.unit_id,
        dossier=dossier,
        role=role,
        component=component,
        original_name=name[:255],
        mime_type=mime,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        stage=stage,
        document_number=number,
        document_date=date,
        document_type=document_type,
        issuer=issuer,
    )
    stored.content.save(f"{stored.id}", ContentFile(data), save=False)
    stored.save()
    return stored


def file_event(
    dossier: Dossier,
    action: EventKind,
    stored: StoredFile,
    user: User,
    *,
    role: str,
    at: datetime,
    extra: dict | None = None,
) -> None:
    """The audit event of a step on one of the dossier's files (its id and SHA-256 recorded)."""
    append_event(
        dossier,
        action,
        actor=user,
        role=role,
        at=at,
        data={"file": str(stored.id), "sha256": stored.sha256, **(extra or {})},
    )


def file_response(stored: StoredFile) -> FileResponse:
    """Serve a stored file inline (a sealed result under its dossier's code)."""
    name = stored.original_name if stored.original_name.endswith(".pdf") else f"{stored.id}.pdf"
    if stored.stage in StoredFile.ISSUED and stored.dossier.code:
        name = f"ket-qua-{stored.dossier.code}.pdf"
    response = FileResponse(
        stored.content.open("rb"),
        content_type=stored.mime_type,
        as_attachment=False,
        filename=name,
    )
    # a file from outside (an upload, a PDF with JavaScript) opened inline runs nothing and
    # reaches nothing of the site (the pages' own policy: motcua.middleware)
    response["Content-Security-Policy"] = "sandbox"
    return response
