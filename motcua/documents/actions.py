"""Results and their signatures: draft → the leader signs and approves → the clerk seals and issues.

Each function is one transaction holding the dossier's row lock, with its audit events: the
signing event and the lifecycle event go in together or not at all.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import Role, User
from motcua.core import lifecycle
from motcua.core.lifecycle import Action, EventKind, State
from motcua.core.localtime import LOCAL_TZ
from motcua.core.text import nfc
from motcua.documents import ocr, signing
from motcua.documents.files import FileRefused, as_pdf, check_upload, store_bytes
from motcua.documents.metadata import (
    Metadata,
    MetadataError,
    clean_metadata,
    components_digitised,
    is_complete,
    owner_key,
)
from motcua.documents.models import (
    OcrState,
    SigningCertificate,
    StoredDocument,
    StoredFile,
    TrustedAuthority,
)
from motcua.documents.result_details import DetailError, clean_details
from motcua.dossiers.actions import (
    ActionInput,
    DossierError,
    acting_role,
    check_action,
    do_action,
)
from motcua.dossiers.ledger import append_event, lock_dossier
from motcua.dossiers.models import Dossier

RESULT_STATES = (State.IN_REVIEW, State.AWAITING_APPROVAL)
LEADER_FIELD = "LanhDaoKy"
SEAL_FIELD = "VanThuDongDau"


def font_dir() -> Path:
    return Path(settings.DATA_DIR) / "fonts"


def latest_result(dossier: Dossier) -> StoredFile | None:
    return (
        StoredFile.objects.filter(dossier=dossier, role=StoredFile.Role.RESULT)
        .order_by("-uploaded_at")
        .first()
    )


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


def check_can_view(dossier: Dossier, user: User) -> None:
    from motcua.accounts.access import can_view_unit

    if not can_view_unit(user, dossier.unit):
        raise DossierError("Bạn không có quyền xem dữ liệu của đơn vị này.", 403)


# --- drafts --------------------------------------------------------------------------------


def result_templates(dossier: Dossier) -> list[str]:
    """Where a result's template is looked for, first found wins: the procedure's own
    (``results/<code>.html``), its field's (``results/linh-vuc/<field slug>.html``), generic."""
    field = dossier.procedure_version.field
    return [
        f"documents/results/{dossier.procedure.code}.html",
        f"documents/results/linh-vuc/{field.slug}.html",
        "documents/results/generic.html",
    ]


# Where the layout of results/_base.html leaves room for the two stamps: element id → field.
STAMP_ANCHORS = {"so-va-ngay": SEAL_FIELD, "chu-ky": LEADER_FIELD}
CSS_PX = 0.75  # WeasyPrint lays out in CSS pixels (1/96 in); PDF points are 1/72 in


def result_pdf(dossier: Dossier, desk, details: dict | None = None) -> bytes:
    """The result document (Decree 30/2020 layout): the procedure's, its field's or generic.

    The PDF carries two empty signature fields where the template leaves room for the stamps
    (``STAMP_ANCHORS``): the leader's in the signature space, the seal's over the row of the
    number and date, which the leader signs blank and the clerk fills by sealing.
    """
    from motcua.documents.pdf import render_document
    from motcua.documents.slips import unit_signer

    signer = unit_signer(dossier)
    document = render_document(
        result_templates(dossier),
        {
            "details": details or {},
            "dossier": dossier,
            "desk": desk,
            "unit": dossier.unit,
            "today": timezone.localtime().date(),
            "place": place_name(dossier.unit.name),
            "issuer": issuer_name(dossier.unit),
            "doc_title": result_title(dossier.procedure_version.result or ""),
            "signer": signer,
            # A decision of the chairman himself: no “TM.” (Nghị định 30/2020, Phụ lục I).
            "chair_lines": [line for line in signer["lines"] if not line.startswith("TM.")],
            "honorific": {"nam": "ông", "nu": "bà"}.get(dossier.applicant_sex, "ông/bà"),
            "owner_id": owner_key(dossier.applicant_kind, dossier.applicant_id_number),
        },
    )
    boxes = {}
    for index, page in enumerate(document.pages):
        height = page.height * CSS_PX
        for anchor, field_name in STAMP_ANCHORS.items():
            if anchor in page.anchors and field_name not in boxes:
                x1, y1, x2, y2 = (v * CSS_PX for v in page.anchors[anchor])
                boxes[field_name] = (index, (x1, height - y2, x2, height - y1))
    pdf = document.write_pdf()
    return signing.with_signature_fields(pdf, boxes) if boxes else pdf


def place_name(unit_name: str) -> str:
    """ "Xã Bình Thành" → "Bình Thành" (the place of the date line)."""
    from motcua.documents.slips import place_name as name_of_place

    return name_of_place(unit_name)


def unit_in_text(unit_name: str) -> str:
    """ "Xã Bình Thành" → "xã Bình Thành", as the unit is named inside a sentence."""
    for prefix in ("Xã ", "Phường ", "Đặc khu ", "Thị trấn "):
        if unit_name.startswith(prefix):
            return prefix.lower() + unit_name.removeprefix(prefix)
    return unit_name


def issuer_name(unit) -> str:
    """“Ủy ban nhân dân xã Bình Thành”: the issuing body of a commune's results."""
    return f"Ủy ban nhân dân {unit_in_text(unit.name)}"


GENERIC_TITLE = "Văn bản giải quyết thủ tục hành chính"


def result_title(result: str) -> str:
    """The document's title from the catalogue's result, its first one without who issues it:
    “Quyết định của Chủ tịch UBND cấp xã tặng Giấy khen” → “Quyết định”, “Giấy xác nhận tình
    trạng hôn nhân” as it is; none → the generic title."""
    first = result.split(";")[0].strip().rstrip(".")
    first = first.split(" của ")[0].strip()
    return first[:120] if first else GENERIC_TITLE


def result_document_type(dossier: Dossier) -> str:
    """The type of an issued result: the catalogue's result (first one), or a general name."""
    first = (dossier.procedure_version.result or "").split(";")[0].strip().rstrip(".")
    return (first or GENERIC_TITLE)[:200]


def attach_result(
    dossier_id, user: User, *, upload=None, details: dict | None = None
) -> StoredFile:
    """Draft the result: uploaded by the specialist, or generated from the template (with the
    ``details`` the procedure's template needs, motcua.documents.result_details)."""
    from motcua.units.models import Desk

    with transaction.atomic():
        dossier = lock_dossier(dossier_id)
        check_can_view(dossier, user)
        if not user.has_role(Role.SPECIALIST, Role.HEAD, Role.DEPUTY):
            raise DossierError("Chỉ công chức chuyên môn mới lập dự thảo kết quả.", 403)
        if dossier.state not in RESULT_STATES:
            raise DossierError("Chỉ lập dự thảo kết quả khi hồ sơ đang được thẩm định.", 409)
        if upload is not None:
            try:
                data, mime = check_upload(upload)
            except FileRefused as exc:
                raise DossierError(str(exc)) from exc
            pdf, name, how = as_pdf(data, mime), str(upload.name), "upload"
        else:
            try:
                details = clean_details(dossier.procedure.code, details or {}, timezone.localdate())
            except DetailError as exc:
                raise DossierError(str(exc)) from exc
            desk = Desk.objects.get(unit_id=dossier.unit_id)
            pdf = result_pdf(dossier, desk, details)
            name, how = f"ket-qua-{dossier.code}.pdf", "template"
        stored = store_bytes(
            dossier,
            pdf,
            "application/pdf",
            name,
            role=StoredFile.Role.RESULT,
            stage=StoredFile.Stage.DRAFT,
        )
        file_event(
            dossier,
            EventKind.ATTACH_RESULT,
            stored,
            user,
            role=Role.SPECIALIST,
            at=timezone.now(),
            extra={"how": how, **({"details": details} if how == "template" and details else {})},
        )
    return stored


# --- certificates ---------------------------------------------------------------------------


def revoked_serials() -> frozenset[int]:
    serials: set[int] = set()
    for hexes in TrustedAuthority.objects.values_list("revoked_serials", flat=True):
        serials |= {int(h, 16) for h in hexes}
    return frozenset(serials)


def trust_roots() -> list[bytes]:
    return [bytes(c) for c in TrustedAuthority.objects.values_list("certificate", flat=True)]


def register_certificate(
    *, unit, data: bytes, passphrase: str, user: User | None = None
) -> SigningCertificate:
    """Keep a PKCS#12 file for signing: a leader's own (``user``) or the unit's seal.

    The passphrase is used once, to check the file, and forgotten.
    """
    try:
        key, cert, _chain = signing.open_pkcs12(data, passphrase)
        info = signing.certificate_info(cert)
        signing.check_certificate(info, now=timezone.now(), revoked_serials=revoked_serials())
    except signing.SigningError as exc:
        raise DossierError(str(exc)) from exc
    if key.public_key().public_numbers() != cert.public_key().public_numbers():
        raise DossierError("Khoá bí mật không khớp với chứng thư số trong tệp.")
    with transaction.atomic():
        SigningCertificate.objects.filter(unit=unit, user=user, active=True).update(active=False)
        record, _ = SigningCertificate.objects.update_or_create(
            fingerprint=info.fingerprint,
            defaults={
                "unit": unit,
                "user": user,
                "subject": info.subject,
                "organisation": info.organisation,
                "issuer": info.issuer,
                "serial": info.serial_hex,
                "not_before": info.not_before,
                "not_after": info.not_after,
                "pkcs12": data,
                "active": True,
            },
        )
    return record


def trust_authority(name: str, certificate: bytes, crl: bytes | None = None) -> TrustedAuthority:
    """Trust a CA (PEM or DER) and, optionally, load its revocation list (DER or PEM)."""
    cert = (
        x509.load_pem_x509_certificate(certificate)
        if certificate.lstrip().startswith(b"-----")
        else x509.load_der_x509_certificate(certificate)
    )
    der = cert.public_bytes(serialization.Encoding.DER)
    with transaction.atomic():  # a bad CRL leaves nothing behind
        authority, _ = TrustedAuthority.objects.update_or_create(
            fingerprint=hashlib.sha256(der).hexdigest(),
            defaults={"name": name, "certificate": der},
        )
        if crl is not None:
            load_crl(authority, crl)
    return authority


def load_crl(authority: TrustedAuthority, data: bytes) -> int:
    """Replace the revoked serials of ``authority`` with those of its CRL; return how many."""
    crl = (
        x509.load_pem_x509_crl(data)
        if data.lstrip().startswith(b"-----")
        else x509.load_der_x509_crl(data)
    )
    cert = x509.load_der_x509_certificate(bytes(authority.certificate))
    if not crl.is_signature_valid(cert.public_key()):
        raise DossierError("Danh sách thu hồi không do tổ chức chứng thực này ký.")
    authority.revoked_serials = [format(r.serial_number, "x") for r in crl]
    authority.crl_updated_at = timezone.now()
    authority.save(update_fields=["revoked_serials", "crl_updated_at"])
    return len(authority.revoked_serials)


def certificate_for(unit, user: User | None) -> SigningCertificate:
    record = SigningCertificate.objects.filter(unit=unit, user=user, active=True).first()
    if record is None:
        if user is None:
            raise DossierError(
                "Đơn vị chưa có chứng thư số của cơ quan (con dấu số); "
                "trưởng bộ phận hoặc quản trị cần tải lên trước."
            )
        raise DossierError("Bạn chưa có chứng thư số; hãy tải tệp PKCS#12 (.p12) của mình lên.")
    return record


def open_signer(record: SigningCertificate, passphrase: str) -> signing.Pkcs12Signer:
    try:
        return signing.Pkcs12Signer(
            bytes(record.pkcs12),
            passphrase,
            now=timezone.now(),
            revoked_serials=revoked_serials(),
        )
    except signing.SigningError as exc:
        raise DossierError(str(exc)) from exc


def local_stamp_time(moment: datetime) -> str:
    return moment.astimezone(LOCAL_TZ).strftime("%H:%M %d/%m/%Y")


# --- the leader signs, the clerk seals ------------------------------------------------------


def leader_signature(pdf: bytes, signer, unit_name: str, title: str, now: datetime) -> bytes:
    """The leader's signature: its stamp (name, title, time) in the signature space of the
    template (the draft's empty field), else at the bottom right, inside the margins."""
    return signing.sign_pdf(
        pdf,
        signer,
        field_name=LEADER_FIELD,
        stamp_lines=[
            f"Ký bởi: {signer.info.subject}",
            f"{title} UBND {unit_in_text(unit_name)}",
            f"Thời gian ký: {local_stamp_time(now)}",
        ],
        font_dir=font_dir(),
        placement=signing.Placement(box=(345, 60, 550, 122)),
        reason="Phê duyệt kết quả giải quyết thủ tục hành chính",
        location=unit_name,
    )


# The seal's field on a template's result covers the row of "Số:" (left 40 %) and the place
# and date (right 60 %), 11 mm high with 7 mm lines (results/_base.html, #so-va-ngay).
SEAL_ROW_LEFT = 0.4
SEAL_ROW_BASELINE = 14.2  # points below the row's top: 13 pt Liberation Serif in a 7 mm line


def seal_signature(
    pdf: bytes, signer, unit_name: str, number: str, issued_on: date, now: datetime
) -> bytes:
    """The unit's seal (văn thư cấp số, ngày, đóng dấu số).

    On a template's result its stamp covers the row of the number and date that the leader
    signed blank, and writes “Số: 125/GXN-UBND” and “Bình Thành, ngày 25 tháng 11 năm 2026”
    there, with who sealed it and when in small type; on an uploaded result it is a box at the
    bottom left, inside the margins.
    """
    from motcua.documents.slips import date_words

    dated = f"{place_name(unit_name)}, {date_words(issued_on)}"
    sealed_by = f"Đã ký số: {signer.info.subject}, {local_stamp_time(now)}"
    overlay = None
    box = signing.signature_field_box(pdf, SEAL_FIELD)
    if box is not None:
        width, height = box[2] - box[0], box[3] - box[1]
        split = width * SEAL_ROW_LEFT
        baseline = height - SEAL_ROW_BASELINE
        overlay = [
            signing.StampText(f"Số: {number}", split / 2, baseline, size=13),
            signing.StampText(dated, (split + width) / 2, baseline, size=13, face="italic"),
            signing.StampText(sealed_by, (split + width) / 2, 2.5, size=8, colour=signing.INK),
        ]
    return signing.sign_pdf(
        pdf,
        signer,
        field_name=SEAL_FIELD,
        stamp_lines=[f"Số: {number}", dated, sealed_by],
        overlay=overlay,
        font_dir=font_dir(),
        placement=signing.Placement(box=(90, 60, 330, 122)),
        reason="Ban hành văn bản (cấp số, đóng dấu)",
        location=unit_name,
    )


def leader_title(user: User) -> str:
    """“Chủ tịch” or “Phó Chủ tịch” (from the user's title), for the stamp's second line."""
    if user.title.lower().startswith("phó chủ tịch"):
        return "Phó Chủ tịch"
    return "Chủ tịch" if user.has_role(Role.LEADER) else "Lãnh đạo"


@dataclass(frozen=True)
class SignedStep:
    dossier: Dossier
    file: StoredFile


def sign_and_approve(dossier_id, user: User, passphrase: str, note: str = "") -> SignedStep:
    """Ký duyệt: the leader signs the draft result with their certificate and approves."""
    with transaction.atomic():
        dossier = lock_dossier(dossier_id)
        target = check_action(dossier, user, Action.APPROVE, ActionInput(note=note))
        draft = latest_result(dossier)
        if draft is None or draft.stage != StoredFile.Stage.DRAFT:
            raise DossierError("Chưa có dự thảo kết quả để ký.", 409)
        signer = open_signer(certificate_for(dossier.unit, user), passphrase)
        now = timezone.now()
        title = leader_title(user)
        pdf = leader_signature(draft.content.read(), signer, dossier.unit.name, title, now)
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


def seal_and_issue(dossier_id, user: User, passphrase: str, number: str) -> SignedStep:
    """Văn thư cấp số, ngày và đóng dấu số (the unit's certificate), then issues the result."""
    number = nfc(number).strip()
    if not number or len(number) > 60:
        raise DossierError("Cần ghi số văn bản (ví dụ 125/GXN-UBND), tối đa 60 ký tự.")
    with transaction.atomic():
        dossier = lock_dossier(dossier_id)
        target = check_action(dossier, user, Action.ISSUE, ActionInput())
        signed = latest_result(dossier)
        if signed is None or signed.stage != StoredFile.Stage.SIGNED:
            raise DossierError("Kết quả chưa được lãnh đạo ký số; chưa thể đóng dấu.", 409)
        signer = open_signer(certificate_for(dossier.unit, None), passphrase)
        now = timezone.now()
        today = now.astimezone(LOCAL_TZ).date()
        pdf = seal_signature(signed.content.read(), signer, dossier.unit.name, number, today, now)
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
            issuer=issuer_name(dossier.unit),
        )
        update_digitised(dossier)
        keep_in_store(dossier, sealed)
        file_event(
            dossier,
            EventKind.SEAL_RESULT,
            sealed,
            user,
            role=lifecycle.CLERK,
            at=now,
            extra={"number": number},
        )
        do_action(dossier, user, Action.ISSUE, target, ActionInput(), now)
    return SignedStep(dossier, sealed)


# --- components -----------------------------------------------------------------------------


DIGITISERS = (Role.SPECIALIST, Role.HEAD, Role.DEPUTY)


def check_can_digitise(dossier: Dossier, user: User, *, ended_ok: bool = False) -> None:
    check_can_view(dossier, user)
    if not user.has_role(*DIGITISERS) or user.unit_id != dossier.unit_id:
        raise DossierError("Chỉ công chức của Bộ phận Một cửa mới số hoá thành phần hồ sơ.", 403)
    if not ended_ok and dossier.state in lifecycle.ENDING:
        raise DossierError("Hồ sơ đã kết thúc; không thêm thành phần.", 409)


def check_component(dossier: Dossier, component: str) -> str:
    known = {c["name"] for c in dossier.procedure_version.components}
    component = nfc(component or "").strip()
    if component not in known:
        raise DossierError("Thành phần không thuộc danh mục của thủ tục.")
    return component


def check_metadata(values: dict | None) -> Metadata | None:
    """Clean the four metadata fields given as text (None or all empty: no metadata)."""
    if not values or not any(str(v or "").strip() for v in values.values()):
        return None
    try:
        return clean_metadata(
            document_type=values.get("document_type"),
            document_number=values.get("document_number"),
            document_date=values.get("document_date"),
            issuer=values.get("issuer"),
            today=timezone.localdate(),
        )
    except MetadataError as exc:
        raise DossierError(str(exc)) from exc


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
        elif stored.stage == StoredFile.Stage.SEALED and file_complete(stored):
            result = True
    mandatory = {
        c["name"] for c in dossier.procedure_version.components if c.get("mandatory", True)
    }
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
    if stored.role == StoredFile.Role.RESULT and stored.stage != StoredFile.Stage.SEALED:
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
        dossier = lock_dossier(dossier_id)
        check_can_digitise(dossier, user)
        component = check_component(dossier, component)
        described = check_metadata(metadata)
        try:
            data, mime = check_upload(upload)
        except FileRefused as exc:
            raise DossierError(str(exc)) from exc
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
        dossier = lock_dossier(dossier_id)
        check_can_digitise(dossier, user, ended_ok=True)
        stored = StoredFile.objects.filter(pk=file_id, dossier=dossier).first()
        if stored is None:
            raise DossierError("Không tìm thấy tệp này trong hồ sơ.", 404)
        if stored.stored_document_id is not None:
            raise DossierError(
                "Giấy tờ dùng lại từ kho đã có thông tin số hoá; không sửa ở hồ sơ này.", 409
            )
        described = check_metadata(metadata)
        if described is None:
            raise DossierError(
                "Cần ghi loại giấy tờ, số, ký hiệu, ngày ban hành, cơ quan ban hành."
            )
        if stored.stage == StoredFile.Stage.SEALED and (
            described.document_number != stored.document_number
            or described.document_date != stored.document_date
        ):
            raise DossierError(
                "Số và ngày của văn bản đã ban hành nằm trong chữ ký số; không sửa được.", 409
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
    from motcua.accounts.access import OFFICIAL_ROLES

    if not (
        user.is_authenticated and user.unit_id == dossier.unit_id and user.has_role(*OFFICIAL_ROLES)
    ):
        raise DossierError(
            "Chỉ cán bộ của đơn vị đang giải quyết hồ sơ mới xem được kho dữ liệu của người nộp.",
            403,
        )


def reuse_document(dossier_id, user: User, document_id, component: str) -> StoredFile:
    """Dùng lại giấy tờ từ kho: a component file pointing at the stored bytes (no new scan).

    One transaction holding the dossier's row lock: the file, ``reused_stored_document``, the
    digitisation flags and the ``reuse_document`` event.
    """
    from motcua.documents.queries import owner_store

    with transaction.atomic():
        dossier = lock_dossier(dossier_id)
        check_can_use_store(dossier, user)
        check_can_digitise(dossier, user)
        component = check_component(dossier, component)
        entry = owner_store(dossier).filter(pk=document_id).select_related("file").first()
        if entry is None:
            raise DossierError("Không có giấy tờ này trong kho dữ liệu của người nộp hồ sơ.", 404)
        if StoredFile.objects.filter(dossier=dossier, stored_document=entry).exists():
            raise DossierError("Giấy tờ này đã được dùng lại cho hồ sơ.", 409)
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


# --- OCR --------------------------------------------------------------------------------------


def queue_ocr(stored: StoredFile) -> None:
    """Mark a scan for OCR and queue it after commit; without the tools, say it is unavailable."""
    if not ocr.available():
        stored.ocr_state = OcrState.UNAVAILABLE
        stored.save(update_fields=["ocr_state"])
        return
    stored.ocr_state = OcrState.PENDING
    stored.save(update_fields=["ocr_state"])

    def enqueue(pk=str(stored.pk)) -> None:
        from motcua.documents.tasks import recognise_file_task

        recognise_file_task.enqueue(pk)

    transaction.on_commit(enqueue)


def recognise_file(file_id) -> str:
    """OCR one scan (background worker): keep a searchable copy and the text; the original
    stays as uploaded. Files that reuse the same bytes get the same result. Adds no dossier
    event: OCR changes no fact of the dossier. Returns the new OCR state."""
    import logging

    from django.core.files.base import ContentFile

    stored = StoredFile.objects.filter(pk=file_id).first()
    if stored is None or stored.ocr_state != OcrState.PENDING:
        return stored.ocr_state if stored else ""
    same_bytes = StoredFile.objects.filter(stored_document__file=stored)
    if not ocr.available():
        StoredFile.objects.filter(pk=stored.pk).update(ocr_state=OcrState.UNAVAILABLE)
        return OcrState.UNAVAILABLE
    try:
        with stored.content.open("rb") as handle:
            done = ocr.recognise(handle.read())
    except ocr.OcrError as exc:
        logging.getLogger(__name__).warning("OCR tệp %s không thành công: %s", stored.pk, exc)
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
