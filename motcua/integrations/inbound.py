"""Dossiers submitted on the national portal (Cổng DVCQG), posted to us by one of its clients
(``POST /api/v1/portal/dossiers/``: docs/api.md; the protocol: docs/portal.md).

``check_*`` functions validate and raise a :class:`~motcua.core.errors.DomainError`
(Vietnamese); :func:`do_submit_from_portal` assumes valid input. A submission is checked like
any intake — the applicant's ID by :mod:`motcua.core.identity`, the procedure by its portal
code, each file's component against the catalogue and its type from its bytes — before
anything is written; then stored all-or-nothing in one transaction: the dossier awaiting
reception with its one ``submit_online`` event (:func:`motcua.workflow.actions.submit_online`),
its sync record under the portal's code (``from_portal``: the portal holds it already, so every
later move of the desk updates it there), and its files as the dossier's components.

Idempotent by the portal's code (MaHoSo): the same dossier posted again is answered with the
one we hold and nothing is stored; the same code with another procedure, applicant or unit is
a conflict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.queries import procedure_for_portal_code
from motcua.core.dvcqg import parse_portal_time
from motcua.core.errors import AccessError, DossierError
from motcua.core.localtime import local
from motcua.core.text import nfc
from motcua.documents.files import FileRefused, check_declared, check_upload, store_bytes
from motcua.documents.models import StoredFile
from motcua.dossiers.models import Channel, Dossier, DossierSync, FeePaidVia
from motcua.dvcqg.models import PortalClient, token_digest
from motcua.dvcqg.outbox import start_sync
from motcua.integrations.portal_files import file_bytes
from motcua.payments.actions import PaymentError, record_transfer
from motcua.units.models import Desk
from motcua.units.queries import desk_for_agency_code
from motcua.workflow import actions

ONLINE = "2"  # KenhThucHien of an online submission
CLOCK_SKEW = timedelta(minutes=10)  # how far the portal's clock may run ahead of ours
MAX_FILES = 50


# --- who posts -------------------------------------------------------------------------------


def client_for_token(token: str) -> PortalClient | None:
    """The active portal client holding ``token`` (kept as its digest only), with this use
    recorded (``last_used_at``, like a log-in time: also when the request is then refused)."""
    if not token:
        return None
    client = PortalClient.objects.filter(token_digest=token_digest(token), is_active=True).first()
    if client is not None:
        now = timezone.now()
        PortalClient.objects.filter(pk=client.pk).update(last_used_at=now)
        client.last_used_at = now
    return client


# --- what is posted --------------------------------------------------------------------------


@dataclass
class PortalFile:
    """One TaiLieuNop entry as posted: the file's name, its component (by the portal's code
    or by name), and its bytes inline (base64) or its address on the portal."""

    name: str
    component_code: str = ""  # MaThanhPhanHoSo
    component_name: str = ""  # TenThanhPhanHoSo
    content: str = ""  # NoiDung
    address: str = ""  # DuongDanTaiTepTin
    declared_type: str = ""  # KieuTep


@dataclass
class PortalSubmission:
    """A dossier in DongBoHoSoMC's shape, with the desk it is sent to (madonvi)."""

    agency_code: str  # madonvi
    portal_code: str  # MaHoSo
    procedure_code: str  # MaTTHC
    applicant: actions.ApplicantData
    submitted_at: str  # NgayTiepNhan, yyyyMMddHHmmss
    channel: str = ONLINE  # KenhThucHien
    files: list[PortalFile] = field(default_factory=list)


@dataclass(frozen=True)
class CheckedFile:
    component: str
    name: str
    data: bytes
    mime: str


@dataclass(frozen=True)
class Submitted:
    dossier: Dossier
    portal_code: str
    created: bool  # False: the portal sent a dossier we already hold


# --- checks ----------------------------------------------------------------------------------


def check_client_desk(client: PortalClient, agency_code: str) -> Desk:
    """The desk the dossier is sent to, when the client may send it there."""
    desk = desk_for_agency_code(agency_code.strip())
    if desk is None:
        raise DossierError(
            f"Không có Bộ phận Một cửa nào mang mã đơn vị “{agency_code}” trên Cổng DVCQG "
            "(madonvi).",
            "unknown_agency",
        )
    if not client.units.filter(pk=desk.unit_id).exists():
        raise AccessError(
            f"Hệ thống “{client.name}” không được gửi hồ sơ tới {desk.name}.", "other_unit"
        )
    return desk


def check_portal_code(code: str) -> str:
    code = code.strip()
    if not code:
        raise DossierError("Thiếu mã hồ sơ trên Cổng DVCQG (MaHoSo).", "invalid_intake")
    if len(code) > 60 or not code.isprintable() or any(ch.isspace() for ch in code):
        raise DossierError(
            "Mã hồ sơ trên Cổng DVCQG (MaHoSo) không hợp lệ: tối đa 60 ký tự, không có "
            "khoảng trắng.",
            "invalid_intake",
        )
    return code


def check_portal_applicant(applicant: actions.ApplicantData) -> actions.ApplicantData:
    """The applicant as any intake checks it; the portal always names them by their ID."""
    if not applicant.id_number.strip():
        raise DossierError(
            "Thiếu số định danh cá nhân hoặc mã số thuế của chủ hồ sơ (MaDoiTuong).",
            "invalid_applicant",
        )
    return actions.check_applicant(applicant)


def check_channel(channel: str) -> None:
    if channel.strip() not in ("", ONLINE):
        raise DossierError(
            "Hồ sơ gửi từ Cổng DVCQG phải là hồ sơ nộp trực tuyến (KenhThucHien = 2).",
            "invalid_intake",
        )


def check_submitted_at(text: str, now: datetime) -> datetime:
    """When the applicant submitted on the portal (NgayTiepNhan), not in the future."""
    try:
        moment = parse_portal_time(text)
    except ValueError:
        raise DossierError(
            f"Thời điểm nộp trên Cổng (NgayTiepNhan) “{text}” không đúng dạng yyyyMMddHHmmss "
            "(ví dụ 20260302143000).",
            "invalid_intake",
        ) from None
    if moment is None:
        raise DossierError(
            "Thiếu thời điểm nộp trên Cổng (NgayTiepNhan, dạng yyyyMMddHHmmss).", "invalid_intake"
        )
    if moment > now + CLOCK_SKEW:
        raise DossierError(
            f"Thời điểm nộp trên Cổng (NgayTiepNhan) {local(moment):%H:%M ngày %d/%m/%Y} "
            "ở tương lai.",
            "invalid_intake",
        )
    return moment


def check_procedure(code: str) -> Procedure:
    procedure = procedure_for_portal_code(code)
    if procedure is None:
        raise DossierError(
            f"Không có thủ tục mã “{code}” (MaTTHC) trong danh mục của đơn vị, kể cả các mã "
            "đã ánh xạ với Cổng DVCQG.",
            "unknown_procedure",
        )
    return procedure


def check_component(version: ProcedureVersion, item: PortalFile) -> str:
    """The catalogue's component a file belongs to: by the portal's code when the catalogue
    records one, else by its name (NFC, spaces as written)."""
    code = item.component_code.strip()
    if code:
        for component in version.components:
            if str(component.get("code", "")).strip() == code:
                return component["name"]
    name = nfc(" ".join(item.component_name.split()))
    if name and any(component["name"] == name for component in version.components):
        return name
    said = f"“{name}”" if name else f"mã “{code}”" if code else "(không ghi)"
    raise DossierError(
        f"Tệp “{item.name}”: thành phần hồ sơ {said} không có trong danh mục của thủ tục "
        f"{version.name}.",
        "unknown_component",
    )


def file_name(name: str) -> str:
    """The file's own name, without any folder a sender put in front of it."""
    return PurePosixPath(nfc(name).replace("\\", "/").strip()).name or "tệp"


def check_files(version: ProcedureVersion, files: list[PortalFile]) -> list[CheckedFile]:
    """Every file's component (all first: cheap), then its bytes, type and size; nothing is
    stored here."""
    if len(files) > MAX_FILES:
        raise FileRefused(f"Một hồ sơ gửi tối đa {MAX_FILES} tệp (đang có {len(files)}).")
    components = [check_component(version, item) for item in files]
    checked = []
    for item, component in zip(files, components, strict=True):
        name = file_name(item.name)
        raw = file_bytes(name, item.content, item.address)
        data, mime = check_upload(ContentFile(raw, name=name))
        check_declared(name, mime, item.declared_type)
        checked.append(CheckedFile(component, name, data, mime))
    return checked


def existing_submission(
    portal_code: str, desk: Desk, procedure_code: str, applicant: actions.ApplicantData
) -> Dossier | None:
    """The dossier we already hold under this portal code, when it is the same one (same
    unit, procedure and applicant); a conflict when the code names another."""
    sync = (
        DossierSync.objects.select_related("dossier__procedure")
        .filter(portal_code=portal_code)
        .first()
    )
    if sync is None:
        return None
    dossier = sync.dossier
    same = (
        sync.from_portal
        and dossier.unit_id == desk.unit_id
        and procedure_code in {dossier.procedure.code, dossier.procedure.portal_code}
        and dossier.applicant_kind == applicant.kind
        and dossier.applicant_id_number == applicant.id_number
    )
    if not same:
        raise DossierError(
            f"Mã hồ sơ “{portal_code}” (MaHoSo) đã được dùng cho một hồ sơ khác (khác thủ tục, "
            "chủ hồ sơ hoặc đơn vị); hồ sơ gửi lần này không được lưu.",
            "portal_code_conflict",
        )
    return dossier


def distinct(names) -> list[str]:
    return list(dict.fromkeys(names))


# --- the write -------------------------------------------------------------------------------


def submit_from_portal(client: PortalClient, data: PortalSubmission) -> Submitted:
    """Take in a dossier submitted on the portal: checked, then stored all-or-nothing (see the
    module's note), or the dossier already held under its code."""
    desk = check_client_desk(client, data.agency_code)
    portal_code = check_portal_code(data.portal_code)
    applicant = check_portal_applicant(data.applicant)
    procedure_code = data.procedure_code.strip()
    held = existing_submission(portal_code, desk, procedure_code, applicant)
    if held is not None:
        return Submitted(held, portal_code, created=False)
    check_channel(data.channel)
    submitted_at = check_submitted_at(data.submitted_at, timezone.now())
    procedure = check_procedure(procedure_code)
    files = check_files(procedure.current_version, data.files)
    intake = actions.IntakeData(
        procedure_code=procedure.code,
        channel=Channel.ONLINE,
        applicant=applicant,
        components=distinct(f.component for f in files),
    )
    try:
        dossier = do_submit_from_portal(desk, intake, submitted_at, portal_code, files)
    except IntegrityError:
        # The same dossier posted twice at once: the other request stored it first (the
        # portal code is unique), and this one answers with it.
        held = existing_submission(portal_code, desk, procedure_code, applicant)
        if held is None:
            raise
        return Submitted(held, portal_code, created=False)
    return Submitted(dossier, portal_code, created=True)


def do_submit_from_portal(
    desk: Desk,
    intake: actions.IntakeData,
    submitted_at: datetime,
    portal_code: str,
    files: list[CheckedFile],
) -> Dossier:
    """Store a checked submission in one transaction: the dossier and its event, its files,
    its sync record. File contents go to storage before the commit; they are deleted again
    when the transaction rolls back, so nothing of a refused submission stays."""
    stored: list[StoredFile] = []
    try:
        with transaction.atomic():
            dossier = actions.submit_online(desk, intake, submitted_at, portal_code)
            for f in files:
                stored.append(store_bytes(dossier, f.data, f.mime, f.name, component=f.component))
            # Last: its portal code is unique, so a second post of the same dossier racing
            # this one fails here, after everything else it wrote.
            start_sync(dossier, portal_code, from_portal=True)
    except BaseException:
        for written in stored:
            written.content.storage.delete(written.content.name)
        raise
    return dossier


# --- payments on the national payment platform -------------------------------------------------


@dataclass(frozen=True)
class PortalPayment:
    """A payment the national portal's payment platform reports for one of our dossiers."""

    agency_code: str  # madonvi
    portal_code: str  # MaHoSo
    amount: int  # SoTien, đồng
    transaction: str  # MaGiaoDich
    paid_at: str  # ThoiGianGD, yyyyMMddHHmmss
    content: str = ""


def record_portal_payment(client: PortalClient, payment: PortalPayment) -> str:
    """Record ``payment`` as paid through the national platform (DuocThanhToanTrucTuyen 1):
    ``matched`` when it pays the dossier's open request, ``flagged`` when it cannot count
    (wrong amount, already paid, no request), ``duplicate`` when the same transaction was
    reported before (never counted twice)."""
    desk = check_client_desk(client, payment.agency_code)
    code = check_portal_code(payment.portal_code)
    sync = DossierSync.objects.filter(unit_id=desk.unit_id, portal_code=code).first()
    dossier_id = sync.dossier_id if sync is not None else None
    if dossier_id is None:
        dossier_id = (
            Dossier.objects.filter(unit_id=desk.unit_id, code=code).values_list("pk", flat=True)
        ).first()
    if dossier_id is None:
        raise DossierError(f"Không có hồ sơ mang mã “{code}” trên Cổng DVCQG.", "dossier_not_found")
    transaction_code = payment.transaction.strip()
    if not transaction_code or len(transaction_code) > 80:
        raise DossierError("Thiếu hoặc sai mã giao dịch (MaGiaoDich).", "invalid_payment")
    try:
        paid_at = parse_portal_time(payment.paid_at) or timezone.now()
    except ValueError as error:
        raise DossierError(str(error), "invalid_payment") from None
    if isinstance(payment.amount, bool) or payment.amount <= 0:
        raise DossierError("Số tiền (SoTien) phải là số nguyên dương (đồng).", "invalid_payment")
    try:
        recorded = record_transfer(
            desk.unit_id,
            dossier_id,
            amount=payment.amount,
            reference=f"DVCQG-{transaction_code}",
            content=payment.content,
            paid_at=paid_at,
            via=FeePaidVia.PORTAL,
        )
    except PaymentError as error:
        if error.code == "duplicate_payment":
            return "duplicate"
        if error.code == "no_open_request":
            raise DossierError(
                "Hồ sơ chưa có yêu cầu nộp phí, lệ phí nên chưa ghi nhận được khoản nộp.",
                "no_open_request",
            ) from None
        raise
    return "matched" if recorded.receipt is not None else "flagged"
