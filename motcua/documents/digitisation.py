"""Digitisation (số hoá) of a dossier's components, their metadata, and the applicant's
document store (kho dữ liệu điện tử của tổ chức, cá nhân — NĐ 45/2020 Điều 16).

Each write is one transaction holding the dossier's row lock, with its ledger event: the file,
the dossier's digitisation flags, the store entry and the event go in together or not at all.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import Role, User
from motcua.core import lifecycle
from motcua.core.components import is_required
from motcua.core.errors import AccessError, DocumentError
from motcua.core.lifecycle import EventKind
from motcua.core.text import nfc
from motcua.documents.files import as_pdf, check_upload, file_event, store_bytes
from motcua.documents.metadata import (
    Metadata,
    clean_metadata,
    components_digitised,
    is_complete,
    owner_key,
)
from motcua.documents.models import StoredDocument, StoredFile
from motcua.documents.queries import owner_store
from motcua.documents.tasks import queue_ocr
from motcua.dossiers.ledger import append_event
from motcua.dossiers.models import Dossier
from motcua.dossiers.queries import access_dossier
from motcua.units.access import OFFICIAL_ROLES

DIGITISERS = (Role.SPECIALIST, Role.HEAD, Role.DEPUTY)


def check_can_digitise(dossier: Dossier, user: User, *, ended_ok: bool = False) -> None:
    """Officials of the desk of the dossier's own unit digitise (the caller has checked that
    the user may see the dossier, ``access_dossier``)."""
    if not user.has_role(*DIGITISERS) or user.unit_id != dossier.unit_id:
        raise AccessError(
            "Chỉ công chức của Bộ phận Một cửa mới số hoá thành phần hồ sơ.", "role_required"
        )
    if not ended_ok and dossier.state in lifecycle.ENDING:
        raise DocumentError("Hồ sơ đã kết thúc; không thêm thành phần.", "dossier_ended")


def check_component(dossier: Dossier, component: str) -> str:
    known = {c["name"] for c in dossier.procedure_version.components}
    component = nfc(component or "").strip()
    if component not in known:
        raise DocumentError("Thành phần không thuộc danh mục của thủ tục.", "unknown_component")
    return component


def check_metadata(values: dict | None) -> Metadata | None:
    """Clean the four metadata fields given as text (None or all empty: no metadata)."""
    if not values or not any(str(v or "").strip() for v in values.values()):
        return None
    return clean_metadata(
        document_type=values.get("document_type"),
        document_number=values.get("document_number"),
        document_date=values.get("document_date"),
        issuer=values.get("issuer"),
        today=timezone.localdate(),
    )


def file_complete(stored: StoredFile) -> bool:
    return is_complete(
        stored.document_type, stored.document_number, stored.document_date, stored.issuer
    )


def update_digitised(dossier: Dossier) -> None:
    """Recompute ``components_digitised`` and ``result_digitised`` from the dossier's files
    (the caller holds the row lock; saved here, counted by the next ``append_event``).

    Components: at least one file, every mandatory component has one, every component file
    has its metadata. Result: an issued (sealed) result with its metadata.
    """
    components, result = [], False
    for stored in StoredFile.objects.filter(dossier=dossier).only(
        "role", "component", "stage", "document_type", "document_number", "document_date", "issuer"
    ):
        if stored.role == StoredFile.Role.COMPONENT:
            components.append((stored.component, file_complete(stored)))
        elif stored.stage in StoredFile.ISSUED and file_complete(stored):
            result = True
    mandatory = {c["name"] for c in dossier.procedure_version.components if is_required(c)}
    flags = {
        "components_digitised": components_digitised(components, mandatory),
        "result_digitised": result,
    }
    changed = [name for name, value in flags.items() if getattr(dossier, name) != value]
    for name in changed:
        setattr(dossier, name, flags[name])
    if changed:
        dossier.save(update_fields=[*changed, "updated_at"])


def keep_in_store(dossier: Dossier, stored: StoredFile) -> StoredDocument | None:
    """Put a described component or an issued result into its owner's store (once per bytes);
    editing a stored file's metadata updates its entry. Nothing for an applicant without a
    citizen ID / tax code, for drafts, or for a file itself taken from the store."""
    owner = owner_key(dossier.applicant_kind, dossier.applicant_id_number)
    if owner is None or stored.stored_document_id is not None or not file_complete(stored):
        return None
    if stored.role == StoredFile.Role.RESULT and stored.stage not in StoredFile.ISSUED:
        return None
    values = {
        "document_type": stored.document_type,
        "document_number": stored.document_number,
        "document_date": stored.document_date,
        "issuer": stored.issuer,
    }
    entry = StoredDocument.objects.filter(file=stored).first()
    if entry is not None:
        StoredDocument.objects.filter(pk=entry.pk).update(**values, updated_at=timezone.now())
        return entry
    kind, owner_id = owner
    if StoredDocument.objects.filter(owner_kind=kind, owner_id=owner_id, sha256=stored.sha256):
        return None
    return StoredDocument.objects.create(
        unit_id=dossier.unit_id,
        owner_kind=kind,
        owner_id=owner_id,
        kind=(
            StoredDocument.Kind.RESULT
            if stored.role == StoredFile.Role.RESULT
            else StoredDocument.Kind.COMPONENT
        ),
        file=stored,
        sha256=stored.sha256,
        dossier=dossier,
        **values,
    )


def attach_component(
    dossier_id, user: User, component: str, upload, metadata: dict | None = None
) -> StoredFile:
    """Số hoá a component: its scan (PDF or photo, stored as PDF) attached to the dossier,
    with its metadata if given (``metadata``: the four fields as typed)."""
    with transaction.atomic():
        dossier = access_dossier(user, dossier_id, lock=True)
        check_can_digitise(dossier, user)
        component = check_component(dossier, component)
        described = check_metadata(metadata)
        data, mime = check_upload(upload)
        stored = store_bytes(
            dossier, as_pdf(data, mime), "application/pdf", str(upload.name), component=component
        )
        if described is not None:
            set_metadata(stored, described)
        queue_ocr(stored)
        update_digitised(dossier)
        keep_in_store(dossier, stored)
        file_event(
            dossier,
            EventKind.ATTACH_COMPONENT,
            stored,
            user,
            role=Role.SPECIALIST,
            at=timezone.now(),
            extra={"component": component},
        )
    return stored


def set_metadata(stored: StoredFile, described: Metadata) -> None:
    stored.document_type = described.document_type
    stored.document_number = described.document_number
    stored.document_date = described.document_date
    stored.issuer = described.issuer
    stored.save(update_fields=["document_type", "document_number", "document_date", "issuer"])


def describe_file(dossier_id, file_id, user: User, metadata: dict) -> StoredFile:
    """Nhập thông tin số hoá of a file: type, number, date of issue, issuing body.

    One transaction holding the dossier's row lock: the file's metadata, the dossier's
    digitisation flags, the owner's store and the ``describe_file`` event.
    """
    with transaction.atomic():
        dossier = access_dossier(user, dossier_id, lock=True)
        check_can_digitise(dossier, user, ended_ok=True)
        stored = StoredFile.objects.filter(pk=file_id, dossier=dossier).first()
        if stored is None:
            raise DocumentError("Không tìm thấy tệp này trong hồ sơ.", "file_not_found")
        if stored.stored_document_id is not None:
            raise DocumentError(
                "Giấy tờ dùng lại từ kho đã có thông tin số hoá; không sửa ở hồ sơ này.",
                "metadata_locked",
            )
        described = check_metadata(metadata)
        if described is None:
            raise DocumentError(
                "Cần ghi loại giấy tờ, số, ký hiệu, ngày ban hành, cơ quan ban hành.",
                "invalid_metadata",
            )
        if stored.stage in StoredFile.ISSUED and (
            described.document_number != stored.document_number
            or described.document_date != stored.document_date
        ):
            raise DocumentError(
                "Số và ngày của văn bản đã ban hành nằm trong chữ ký số; không sửa được.",
                "metadata_locked",
            )
        set_metadata(stored, described)
        update_digitised(dossier)
        entry = keep_in_store(dossier, stored)
        append_event(
            dossier,
            EventKind.DESCRIBE_FILE,
            actor=user,
            role=Role.SPECIALIST,
            at=timezone.now(),
            data={
                "file": str(stored.id),
                "document_type": described.document_type,
                "document_number": described.document_number,
                "document_date": described.document_date.isoformat(),
                "issuer": described.issuer,
                "stored": str(entry.id) if entry else None,
            },
        )
    return stored


# --- the applicant's document store ---------------------------------------------------------


def check_can_use_store(dossier: Dossier, user: User) -> None:
    """Only officials of the dossier's own unit see and use its applicant's store."""
    if not (
        user.is_authenticated and user.unit_id == dossier.unit_id and user.has_role(*OFFICIAL_ROLES)
    ):
        raise AccessError(
            "Chỉ cán bộ của đơn vị đang giải quyết hồ sơ mới xem được kho dữ liệu của người nộp.",
            "role_required",
        )


def reuse_document(dossier_id, user: User, document_id, component: str) -> StoredFile:
    """Dùng lại giấy tờ từ kho: a component file pointing at the stored bytes (no new scan).

    One transaction holding the dossier's row lock: the file, ``reused_stored_document``, the
    digitisation flags and the ``reuse_document`` event.
    """
    with transaction.atomic():
        dossier = access_dossier(user, dossier_id, lock=True)
        check_can_use_store(dossier, user)
        check_can_digitise(dossier, user)
        component = check_component(dossier, component)
        entry = owner_store(dossier).filter(pk=document_id).select_related("file").first()
        if entry is None:
            raise DocumentError(
                "Không có giấy tờ này trong kho dữ liệu của người nộp hồ sơ.",
                "stored_document_not_found",
            )
        if StoredFile.objects.filter(dossier=dossier, stored_document=entry).exists():
            raise DocumentError("Giấy tờ này đã được dùng lại cho hồ sơ.", "already_reused")
        source = entry.file
        stored = StoredFile(
            unit_id=dossier.unit_id,
            dossier=dossier,
            role=StoredFile.Role.COMPONENT,
            component=component,
            original_name=source.original_name,
            mime_type=source.mime_type,
            size=source.size,
            sha256=entry.sha256,
            document_type=entry.document_type,
            document_number=entry.document_number,
            document_date=entry.document_date,
            issuer=entry.issuer,
            stored_document=entry,
            ocr_state=source.ocr_state,
            ocr_text=source.ocr_text,
            ocr_seconds=source.ocr_seconds,
        )
        # The same bytes in storage: no copy, no upload.
        stored.content.name = source.content.name
        stored.searchable.name = source.searchable.name or ""
        stored.save(force_insert=True)
        if not dossier.reused_stored_document:
            dossier.reused_stored_document = True
            dossier.save(update_fields=["reused_stored_document", "updated_at"])
        update_digitised(dossier)
        file_event(
            dossier,
            EventKind.REUSE_DOCUMENT,
            stored,
            user,
            role=Role.SPECIALIST,
            at=timezone.now(),
            extra={
                "component": component,
                "stored": str(entry.id),
                "source_dossier": str(entry.dossier_id),
            },
        )
    return stored
