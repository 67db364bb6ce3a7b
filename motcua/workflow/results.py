"""The result steps of the workflow: the specialist drafts the result, the leader signs and
approves, the clerk numbers, seals and issues.

Each step is one transaction holding the dossier's row lock: the file, its ledger event and
(for signing and sealing) the lifecycle move go in together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import Role, User
from motcua.core import lifecycle, official
from motcua.core.errors import AccessError, DocumentError
from motcua.core.lifecycle import Action, EventKind, State
from motcua.core.localtime import local_day
from motcua.core.text import nfc
from motcua.documents import signing
from motcua.documents.certificates import certificate_for, open_signer
from motcua.documents.digitisation import (
    check_metadata,
    keep_in_store,
    set_metadata,
    update_digitised,
)
from motcua.documents.files import as_pdf, check_upload, file_event, store_bytes
from motcua.documents.models import StoredFile
from motcua.documents.register import register
from motcua.documents.result_details import clean_details
from motcua.documents.results import latest_result, result_document_type, result_pdf
from motcua.documents.stamps import leader_signature, leader_title, seal_signature
from motcua.dossiers.models import Dossier
from motcua.dossiers.queries import access_dossier
from motcua.units.queries import desk_of_unit
from motcua.workflow.actions import ActionInput, acting_role, check_action, do_action

RESULT_STATES = (State.IN_REVIEW, State.AWAITING_APPROVAL)
DRAFT = StoredFile.Stage.DRAFT


def attach_result(
    dossier_id,
    user: User,
    *,
    upload=None,
    details: dict | None = None,
    metadata: dict | None = None,
) -> StoredFile:
    """Lập dự thảo kết quả: generated from the procedure's template (with the ``details`` its
    template declares, motcua.documents.result_details, and the body text) or uploaded.

    A procedure whose result another national system issues (``result_system``: the civil-
    status software for hộ tịch) takes only the PDF signed in that system, with its number and
    date (``metadata``), never a letter drafted here. One current draft per dossier: a new one
    supersedes the old, which stays in the history.
    """
    with transaction.atomic():
        dossier = access_dossier(user, dossier_id, lock=True)
        if not user.has_role(Role.SPECIALIST, Role.HEAD, Role.DEPUTY):
            raise AccessError("Chỉ công chức chuyên môn mới lập dự thảo kết quả.", "role_required")
        if dossier.state not in RESULT_STATES:
            raise DocumentError(
                "Chỉ lập dự thảo kết quả khi hồ sơ đang được thẩm định.", "not_in_review"
            )
        system = dossier.procedure_version.result_system
        described = None
        if system:
            if upload is None:
                raise DocumentError(
                    f"Kết quả của thủ tục này do {system} cấp: hãy tải lên bản PDF đã ký số "
                    "từ hệ thống đó, không lập dự thảo tại đây.",
                    "external_result",
                )
            data, mime = check_upload(upload)
            if mime != "application/pdf" or not signing.signatures_in(data):
                raise DocumentError(
                    f"Tệp tải lên chưa có chữ ký số; hãy tải bản PDF đã ký từ {system}.",
                    "external_result",
                )
            described = check_metadata(
                {
                    "document_type": result_document_type(dossier),
                    "issuer": official.issuer_name(dossier.unit.name, dossier.unit.division_type),
                    **(metadata or {}),
                }
            )
            if described is None or not described.document_number:
                raise DocumentError(
                    "Ghi số và ngày của văn bản kết quả đã cấp trên hệ thống.", "invalid_metadata"
                )
            pdf, name, how, stage = data, str(upload.name), "external", StoredFile.Stage.EXTERNAL
        elif upload is not None:
            data, mime = check_upload(upload)
            pdf, name, how, stage = as_pdf(data, mime), str(upload.name), "upload", DRAFT
        else:
            details = clean_details(dossier.procedure.code, details or {}, timezone.localdate())
            pdf = result_pdf(dossier, desk_of_unit(dossier.unit_id), details)
            name, how, stage = f"ket-qua-{dossier.code}.pdf", "template", DRAFT
        superseded = list(
            StoredFile.objects.filter(dossier=dossier, role=StoredFile.Role.RESULT)
            .filter(stage__in=[DRAFT, StoredFile.Stage.EXTERNAL])
            .values_list("pk", flat=True)
        )
        StoredFile.objects.filter(pk__in=superseded).update(stage=StoredFile.Stage.SUPERSEDED)
        stored = store_bytes(
            dossier, pdf, "application/pdf", name, role=StoredFile.Role.RESULT, stage=stage
        )
        if described is not None:
            set_metadata(stored, described)
            update_digitised(dossier)
            keep_in_store(dossier, stored)
        file_event(
            dossier,
            EventKind.ATTACH_RESULT,
            stored,
            user,
            role=Role.SPECIALIST,
            at=timezone.now(),
            extra={
                "how": how,
                **({"details": details} if how == "template" and details else {}),
                **({"superseded": [str(pk) for pk in superseded]} if superseded else {}),
                **({"system": system} if system else {}),
            },
        )
    return stored


@dataclass(frozen=True)
class SignedStep:
    dossier: Dossier
    file: StoredFile


def sign_and_approve(
    dossier_id, user: User, passphrase: str, note: str = "", previewed: str = ""
) -> SignedStep:
    """Ký duyệt: the leader signs the draft result with their certificate and approves.

    ``previewed``: the SHA-256 of the draft the leader looked at; a different current draft
    (replaced meanwhile) is not signed.
    """
    with transaction.atomic():
        dossier = access_dossier(user, dossier_id, lock=True)
        target = check_action(dossier, user, Action.APPROVE, ActionInput(note=note))
        draft = latest_result(dossier)
        if draft is None or draft.stage != StoredFile.Stage.DRAFT:
            raise DocumentError("Chưa có dự thảo kết quả để ký.", "no_draft")
        if previewed and previewed != draft.sha256:
            raise DocumentError(
                "Dự thảo đã được thay sau khi bạn xem; hãy xem lại bản mới rồi ký.",
                "draft_changed",
            )
        signer = open_signer(certificate_for(dossier.unit, user), passphrase)
        now = timezone.now()
        title = leader_title(user)
        pdf = leader_signature(draft.content.read(), signer, dossier.unit, title, now)
        signed = store_bytes(
            dossier,
            pdf,
            "application/pdf",
            draft.original_name,
            role=StoredFile.Role.RESULT,
            stage=StoredFile.Stage.SIGNED,
        )
        file_event(
            dossier,
            EventKind.SIGN_RESULT,
            signed,
            user,
            role=acting_role(user, Action.APPROVE),
            at=now,
            extra={"certificate": signer.info.fingerprint},
        )
        do_action(dossier, user, Action.APPROVE, target, ActionInput(note=note), now)
    return SignedStep(dossier, signed)


def seal_and_issue(
    dossier_id, user: User, passphrase: str, number: str = "", reason: str = ""
) -> SignedStep:
    """Văn thư cấp số, ngày và đóng dấu số (the unit's certificate), then issues the result.

    The number comes from the register of outgoing documents (documents.register): the next
    of the result's kind this year, or ``number`` as typed with its ``reason``.
    """
    number = nfc(number).strip()
    if len(number) > 60:
        raise DocumentError("Số văn bản tối đa 60 ký tự.", "invalid_number")
    with transaction.atomic():
        dossier = access_dossier(user, dossier_id, lock=True)
        target = check_action(dossier, user, Action.ISSUE, ActionInput())
        signed = latest_result(dossier)
        if signed is None or signed.stage != StoredFile.Stage.SIGNED:
            raise DocumentError(
                "Kết quả chưa được lãnh đạo ký số; chưa thể đóng dấu.", "not_signed"
            )
        signer = open_signer(certificate_for(dossier.unit, None), passphrase)
        now = timezone.now()
        today = local_day(now)
        entry = register(
            dossier, result_document_type(dossier), today, user, typed=number, reason=reason
        )
        number = entry.full_number
        pdf = seal_signature(signed.content.read(), signer, dossier.unit, number, today, now)
        sealed = store_bytes(
            dossier,
            pdf,
            "application/pdf",
            signed.original_name,
            role=StoredFile.Role.RESULT,
            stage=StoredFile.Stage.SEALED,
            number=number,
            date=today,
            document_type=result_document_type(dossier),
            issuer=official.issuer_name(dossier.unit.name, dossier.unit.division_type),
        )
        entry.file = sealed
        entry.save(update_fields=["file"])
        update_digitised(dossier)
        keep_in_store(dossier, sealed)
        file_event(
            dossier,
            EventKind.SEAL_RESULT,
            sealed,
            user,
            role=lifecycle.CLERK,
            at=now,
            extra={
                "number": number,
                **({"reason": entry.manual_reason} if entry.manual_reason else {}),
            },
        )
        do_action(dossier, user, Action.ISSUE, target, ActionInput(), now)
    return SignedStep(dossier, sealed)
