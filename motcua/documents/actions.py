"""Results and their signatures: draft → the leader signs and approves → the clerk seals and issues.

Each function is one transaction holding the dossier's row lock, with its audit events: the
signing event and the lifecycle event go in together or not at all.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import Role, User
from motcua.core import lifecycle
from motcua.core.lifecycle import Action, State
from motcua.core.text import nfc
from motcua.documents import signing
from motcua.documents.files import FileRefused, as_pdf, check_upload, store_bytes
from motcua.documents.models import SigningCertificate, StoredFile, TrustedAuthority
from motcua.documents.pdf import render_pdf
from motcua.dossiers.actions import (
    ActionInput,
    DossierError,
    acting_role,
    append_event,
    check_action,
    do_action,
)
from motcua.dossiers.models import Dossier

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
RESULT_STATES = (State.IN_REVIEW, State.AWAITING_APPROVAL)
LEADER_FIELD = "LanhDaoKy"
SEAL_FIELD = "VanThuDongDau"


def font_dir() -> Path:
    return Path(settings.DATA_DIR) / "fonts"


def lock(dossier_id) -> Dossier:
    return (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("procedure_version", "unit")
        .get(pk=dossier_id)
    )


def latest_result(dossier: Dossier) -> StoredFile | None:
    return (
        StoredFile.objects.filter(dossier=dossier, role=StoredFile.Role.RESULT)
        .order_by("-uploaded_at")
        .first()
    )


def check_can_view(dossier: Dossier, user: User) -> None:
    from motcua.accounts.access import can_view_unit

    if not can_view_unit(user, dossier.unit):
        raise DossierError("Bạn không có quyền xem dữ liệu của đơn vị này.", 403)


# --- drafts --------------------------------------------------------------------------------


def result_pdf(dossier: Dossier, desk) -> bytes:
    """The result document (Decree 30/2020 layout): the procedure's own template or the generic."""
    templates = [
        f"documents/results/{dossier.procedure.code}.html",
        "documents/results/generic.html",
    ]
    return render_pdf(
        templates,
        {
            "dossier": dossier,
            "desk": desk,
            "unit": dossier.unit,
            "today": timezone.localtime().date(),
            "place": dossier.unit.name.removeprefix("Xã ").removeprefix("Phường "),
        },
    )


def attach_result(dossier_id, user: User, *, upload=None) -> StoredFile:
    """Draft the result: uploaded by the specialist, or generated from the template."""
    from motcua.units.models import Desk

    with transaction.atomic():
        dossier = lock(dossier_id)
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
            desk = Desk.objects.get(unit_id=dossier.unit_id)
            pdf = result_pdf(dossier, desk)
            name, how = f"ket-qua-{dossier.code}.pdf", "template"
        stored = store_bytes(
            dossier,
            pdf,
            "application/pdf",
            name,
            role=StoredFile.Role.RESULT,
            stage=StoredFile.Stage.DRAFT,
        )
        append_event(
            dossier,
            action="attach_result",
            from_state=dossier.state,
            actor=user,
            role=Role.SPECIALIST,
            at=timezone.now(),
            data={"file": str(stored.id), "sha256": stored.sha256, "how": how},
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
    return moment.astimezone(LOCAL).strftime("%H:%M %d/%m/%Y")


# --- the leader signs, the clerk seals ------------------------------------------------------


def leader_signature(pdf: bytes, signer, unit_name: str, title: str, now: datetime) -> bytes:
    """The leader's signature, its stamp at the bottom right (name, title, time)."""
    return signing.sign_pdf(
        pdf,
        signer,
        field_name=LEADER_FIELD,
        stamp_lines=[
            f"Ký bởi: {signer.info.subject}",
            f"{title} — {unit_name}",
            f"Thời gian ký: {local_stamp_time(now)}",
        ],
        font_dir=font_dir(),
        placement=signing.Placement(box=(330, 60, 560, 130)),
        reason="Phê duyệt kết quả giải quyết thủ tục hành chính",
        location=unit_name,
    )


def seal_signature(
    pdf: bytes, signer, unit_name: str, number: str, issued_on: date, now: datetime
) -> bytes:
    """The unit's seal, its stamp at the bottom left carrying the number and date of issue."""
    return signing.sign_pdf(
        pdf,
        signer,
        field_name=SEAL_FIELD,
        stamp_lines=[
            f"Số: {number}",
            f"Ngày ban hành: {issued_on:%d/%m/%Y}",
            f"{signer.info.subject}",
            f"Đóng dấu số lúc {local_stamp_time(now)}",
        ],
        font_dir=font_dir(),
        placement=signing.Placement(box=(40, 60, 290, 130)),
        reason="Ban hành văn bản (cấp số, đóng dấu)",
        location=unit_name,
    )


@dataclass(frozen=True)
class SignedStep:
    dossier: Dossier
    file: StoredFile


def sign_and_approve(dossier_id, user: User, passphrase: str, note: str = "") -> SignedStep:
    """Ký duyệt: the leader signs the draft result with their certificate and approves."""
    with transaction.atomic():
        dossier = lock(dossier_id)
        target = check_action(dossier, user, Action.APPROVE, ActionInput(note=note))
        draft = latest_result(dossier)
        if draft is None or draft.stage != StoredFile.Stage.DRAFT:
            raise DossierError("Chưa có dự thảo kết quả để ký.", 409)
        signer = open_signer(certificate_for(dossier.unit, user), passphrase)
        now = timezone.now()
        title = "Chủ tịch" if user.has_role(Role.LEADER) else "Lãnh đạo"
        pdf = leader_signature(draft.content.read(), signer, dossier.unit.name, title, now)
        signed = store_bytes(
            dossier,
            pdf,
            "application/pdf",
            draft.original_name,
            role=StoredFile.Role.RESULT,
            stage=StoredFile.Stage.SIGNED,
        )
        append_event(
            dossier,
            action="sign_result",
            from_state=dossier.state,
            actor=user,
            role=acting_role(user, Action.APPROVE),
            at=now,
            data={
                "file": str(signed.id),
                "sha256": signed.sha256,
                "certificate": signer.info.fingerprint,
            },
        )
        do_action(dossier, user, Action.APPROVE, target, ActionInput(note=note), now)
    return SignedStep(dossier, signed)


def seal_and_issue(dossier_id, user: User, passphrase: str, number: str) -> SignedStep:
    """Văn thư cấp số, ngày và đóng dấu số (the unit's certificate), then issues the result."""
    number = nfc(number).strip()
    if not number or len(number) > 60:
        raise DossierError("Cần ghi số văn bản (ví dụ 125/GXN-UBND), tối đa 60 ký tự.")
    with transaction.atomic():
        dossier = lock(dossier_id)
        target = check_action(dossier, user, Action.ISSUE, ActionInput())
        signed = latest_result(dossier)
        if signed is None or signed.stage != StoredFile.Stage.SIGNED:
            raise DossierError("Kết quả chưa được lãnh đạo ký số; chưa thể đóng dấu.", 409)
        signer = open_signer(certificate_for(dossier.unit, None), passphrase)
        now = timezone.now()
        today = now.astimezone(LOCAL).date()
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
        )
        dossier.result_digitised = True
        append_event(
            dossier,
            action="seal_result",
            from_state=dossier.state,
            actor=user,
            role=lifecycle.CLERK,
            at=now,
            data={"file": str(sealed.id), "sha256": sealed.sha256, "number": number},
        )
        do_action(dossier, user, Action.ISSUE, target, ActionInput(), now)
    return SignedStep(dossier, sealed)


# --- components -----------------------------------------------------------------------------


def attach_component(dossier_id, user: User, component: str, upload) -> StoredFile:
    """Số hoá a component: its scan (PDF or photo, stored as PDF) attached to the dossier."""
    with transaction.atomic():
        dossier = lock(dossier_id)
        check_can_view(dossier, user)
        if not user.has_role(Role.SPECIALIST, Role.HEAD, Role.DEPUTY):
            raise DossierError(
                "Chỉ công chức của Bộ phận Một cửa mới số hoá thành phần hồ sơ.", 403
            )
        if dossier.state in lifecycle.ENDING:
            raise DossierError("Hồ sơ đã kết thúc; không thêm thành phần.", 409)
        known = {c["name"] for c in dossier.procedure_version.components}
        component = nfc(component or "").strip()
        if component not in known:
            raise DossierError("Thành phần không thuộc danh mục của thủ tục.")
        try:
            data, mime = check_upload(upload)
        except FileRefused as exc:
            raise DossierError(str(exc)) from exc
        stored = store_bytes(
            dossier, as_pdf(data, mime), "application/pdf", str(upload.name), component=component
        )
        mandatory = {
            c["name"] for c in dossier.procedure_version.components if c.get("mandatory", True)
        }
        scanned = set(
            StoredFile.objects.filter(dossier=dossier, role=StoredFile.Role.COMPONENT).values_list(
                "component", flat=True
            )
        )
        if mandatory <= scanned and not dossier.components_digitised:
            dossier.components_digitised = True
            dossier.save(update_fields=["components_digitised", "updated_at"])
        append_event(
            dossier,
            action="attach_component",
            from_state=dossier.state,
            actor=user,
            role=Role.SPECIALIST,
            at=timezone.now(),
            data={"file": str(stored.id), "sha256": stored.sha256, "component": component},
        )
    return stored
