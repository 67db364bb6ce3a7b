"""Every change of a dossier: check, then do, in one transaction with its audit event.

``check_*`` functions validate and check access and raise :class:`DossierError` (Vietnamese);
``do_*`` functions assume valid input. Each public write locks the dossier row, applies the
change and appends one hash-chained :class:`DossierEvent` inside the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connection, transaction
from django.utils import timezone

from motcua.accounts.access import can_view_unit
from motcua.accounts.models import User
from motcua.catalog.models import Procedure
from motcua.core import lifecycle
from motcua.core.calendar import DurationKind, WorkCalendar
from motcua.core.classify import DossierClock, resolution
from motcua.core.codes import format_dossier_code
from motcua.core.identity import IdentityError, validate_citizen_id, validate_tax_code
from motcua.core.lifecycle import Action, EventKind, LifecycleError, State
from motcua.core.localtime import LOCAL_TZ
from motcua.core.text import nfc
from motcua.dossiers.ledger import append_event, lock_dossier
from motcua.dossiers.models import Channel, Dossier, DossierEvent, PaperLocation
from motcua.notifications.actions import queue_for_action
from motcua.units.models import Desk
from motcua.units.queries import work_calendar_for_desk

SYSTEM = "system"


class DossierError(Exception):
    """A request about a dossier that cannot be carried out (Vietnamese message).

    ``status``: 400 bad input, 403 not allowed, 409 not allowed in the dossier's state.
    """

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


# --- helpers ---------------------------------------------------------------------------------


def local(moment: datetime) -> datetime:
    return timezone.localtime(moment, LOCAL_TZ)


def calendar_of(dossier: Dossier) -> WorkCalendar:
    return work_calendar_for_desk(Desk.objects.get(unit_id=dossier.unit_id))


def next_sequence(unit_code: str, day: date) -> int:
    """The next dossier number of a unit on a day: one atomic upsert, safe under concurrency."""
    table = "dossiers_dailysequence"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (unit_code, day, last) VALUES (%s, %s, 1) "
            f"ON CONFLICT (unit_code, day) DO UPDATE SET last = {table}.last + 1 "
            "RETURNING last",
            [unit_code, day],
        )
        return cursor.fetchone()[0]


def acting_role(user: User | None, action: Action) -> str:
    """The role under which ``user`` takes ``action`` (citizen when anonymous)."""
    if user is None or not user.is_authenticated:
        return lifecycle.CITIZEN
    allowed = lifecycle.TRANSITIONS[action].roles
    for role in sorted(user.role_codes()):
        if role in allowed:
            return role
    return next(iter(sorted(user.role_codes())), "")


# --- intake ----------------------------------------------------------------------------------


@dataclass
class ApplicantData:
    """Người nộp hồ sơ, as typed at the desk or online."""

    kind: str = Dossier.ApplicantKind.PERSON
    name: str = ""
    id_number: str = ""
    birth_date: date | None = None
    sex: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    representative: str = ""
    born_abroad: bool = False


def applicant_from(values) -> ApplicantData:
    """The applicant from a desk form's or the API's checked values (keys ``applicant_*``,
    optionally ``representative`` and ``born_abroad``)."""
    return ApplicantData(
        kind=values["applicant_kind"],
        name=values["applicant_name"],
        id_number=values["applicant_id_number"],
        birth_date=values["applicant_birth_date"],
        sex=values["applicant_sex"],
        phone=values["applicant_phone"],
        email=values["applicant_email"],
        address=values["applicant_address"],
        representative=values.get("representative", ""),
        born_abroad=values.get("born_abroad", False),
    )


@dataclass
class IntakeData:
    procedure_code: str
    channel: str
    applicant: ApplicantData
    components: list[str] = field(default_factory=list)
    copies: int = 1
    result_delivery: str = ""
    received_from: str = ""
    has_paper: bool = True


def check_applicant(data: ApplicantData) -> ApplicantData:
    """Validate and normalise the applicant (NFC, ID number, birth date, phone)."""
    name = nfc(data.name)
    if not name:
        raise DossierError("Chưa nhập họ tên người nộp hồ sơ (hoặc tên tổ chức).")
    if len(name) > 200:
        raise DossierError("Họ tên quá dài (tối đa 200 ký tự).")
    id_number = ""
    try:
        if data.kind == Dossier.ApplicantKind.PERSON:
            if data.birth_date is not None and not (
                date(1900, 1, 1) <= data.birth_date <= timezone.localdate()
            ):
                raise DossierError(
                    "Ngày sinh không hợp lệ (phải sau 01/01/1900 và không ở tương lai)."
                )
            if data.id_number.strip():
                id_number = validate_citizen_id(
                    data.id_number,
                    birth_date=data.birth_date,
                    sex=data.sex or None,
                    born_abroad=data.born_abroad,
                )
        elif data.kind == Dossier.ApplicantKind.ORGANISATION:
            id_number = validate_tax_code(data.id_number)
        else:
            raise DossierError("Loại chủ hồ sơ không hợp lệ.")
    except IdentityError as exc:
        raise DossierError(str(exc)) from exc
    phone = "".join(ch for ch in data.phone if ch.isdigit() or ch == "+")
    if phone and not (9 <= len(phone.lstrip("+")) <= 12):
        raise DossierError("Số điện thoại không hợp lệ (9 đến 12 chữ số).")
    return ApplicantData(
        kind=data.kind,
        name=name,
        id_number=id_number,
        birth_date=data.birth_date,
        sex=data.sex,
        phone=phone,
        email=data.email.strip().lower(),
        address=nfc(data.address),
        representative=nfc(data.representative),
        born_abroad=data.born_abroad,
    )


def check_intake(
    user: User | None, desk: Desk, data: IntakeData
) -> tuple[Procedure, ApplicantData]:
    if user is not None and user.is_authenticated and not can_view_unit(user, desk.unit):
        raise DossierError("Bạn không thuộc đơn vị này nên không tiếp nhận hồ sơ ở đây.", 403)
    procedure = (
        Procedure.objects.select_related("current_version")
        .filter(code=data.procedure_code, is_active=True)
        .first()
    )
    if procedure is None:
        raise DossierError(f"Không có thủ tục mã “{data.procedure_code}” trong danh mục.")
    if data.channel not in Channel.values:
        raise DossierError("Kênh tiếp nhận không hợp lệ.")
    if (
        data.channel in (Channel.ONLINE, Channel.ONLINE_ASSISTED)
        and not procedure.current_version.is_online
    ):
        raise DossierError("Thủ tục này chưa cung cấp dịch vụ công trực tuyến.")
    if not 1 <= data.copies <= 50:
        raise DossierError("Số bộ hồ sơ phải từ 1 đến 50.")
    known = {c["name"] for c in procedure.current_version.components}
    unknown = [c for c in data.components if nfc(c) not in known]
    if unknown:
        raise DossierError(f"Thành phần không có trong danh mục của thủ tục: {', '.join(unknown)}.")
    return procedure, check_applicant(data.applicant)


@transaction.atomic
def create_draft(user: User | None, desk: Desk, data: IntakeData) -> Dossier:
    """Start a dossier (chưa tiếp nhận): at the desk, or online by the applicant."""
    procedure, applicant = check_intake(user, desk, data)
    dossier = Dossier.objects.create(
        unit_id=desk.unit_id,
        procedure=procedure,
        procedure_version=procedure.current_version,
        channel=data.channel,
        state=State.DRAFT,
        applicant_kind=applicant.kind,
        applicant_name=applicant.name,
        applicant_id_number=applicant.id_number,
        applicant_birth_date=applicant.birth_date,
        applicant_sex=applicant.sex,
        applicant_phone=applicant.phone,
        applicant_email=applicant.email,
        applicant_address=applicant.address,
        representative=applicant.representative,
        submitted_components=[nfc(c) for c in data.components],
        copies=data.copies,
        result_delivery=nfc(data.result_delivery),
        received_from=nfc(data.received_from),
        paper_location=PaperLocation.DESK if data.has_paper else PaperLocation.NONE,
        created_by=user if user is not None and user.is_authenticated else None,
    )
    append_event(
        dossier,
        EventKind.CREATE,
        from_state="",
        first=True,
        actor=user,
        role=acting_role(user, Action.RECEIVE) if user else lifecycle.CITIZEN,
        at=timezone.now(),
        data={
            "channel": data.channel,
            "procedure": procedure.code,
            "version": procedure.current_version.number,
        },
    )
    return dossier


def missing_components(dossier: Dossier) -> list[str]:
    """Mandatory components of the procedure version not (yet) ticked as submitted."""
    submitted = set(dossier.submitted_components)
    return [
        c["name"]
        for c in dossier.procedure_version.components
        if c.get("mandatory", True) and c["name"] not in submitted
    ]


# --- transitions -----------------------------------------------------------------------------


@dataclass
class ActionInput:
    note: str = ""
    new_due_at: datetime | None = None  # apologize
    components: list[str] | None = None  # receive / receive_supplement: ticked components
    collected_by: str = ""  # return_result: who took the paper result
    electronic: bool = True  # return_result: electronic result sent
    transferred_to: str = ""  # transfer
    assigned_to: User | None = None  # receive / start_review


def check_action(dossier: Dossier, user: User | None, action: str, data: ActionInput) -> State:
    """Validate an action on a dossier for a user; return the state it leads to."""
    if user is not None and user.is_authenticated and not can_view_unit(user, dossier.unit):
        raise DossierError("Bạn không có quyền xem dữ liệu của đơn vị này.", 403)
    roles = user.role_codes() if user is not None and user.is_authenticated else {lifecycle.CITIZEN}
    try:
        target = lifecycle.check_action(dossier.state, action, roles, data.note)
    except LifecycleError as exc:
        raise DossierError(str(exc), 403 if exc.forbidden else 409) from exc
    action = Action(action)
    now = timezone.now()
    if action == Action.RECEIVE:
        components = (
            data.components if data.components is not None else dossier.submitted_components
        )
        known = {c["name"] for c in dossier.procedure_version.components}
        if any(nfc(c) not in known for c in components):
            raise DossierError("Có thành phần không thuộc danh mục của thủ tục.")
        ticked = {nfc(c) for c in components}
        missing = [
            c["name"]
            for c in dossier.procedure_version.components
            if c.get("mandatory", True) and c["name"] not in ticked
        ]
        if missing:
            raise DossierError(
                "Hồ sơ còn thiếu: "
                + "; ".join(missing)
                + ". Hãy lập Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ.",
                409,
            )
    if action == Action.APOLOGIZE:
        if dossier.apologized_at is not None:
            raise DossierError("Hồ sơ đã được hẹn lại một lần; không được hẹn lại lần nữa.", 409)
        if dossier.due_at is None or now >= dossier.due_at:
            raise DossierError(
                "Đã quá thời điểm hẹn trả: văn bản xin lỗi và hẹn lại phải gửi trước hạn.", 409
            )
        if data.new_due_at is None or data.new_due_at <= dossier.due_at:
            raise DossierError("Ngày hẹn mới phải sau ngày hẹn cũ.")
        if data.new_due_at.year > now.year + 2:
            raise DossierError("Ngày hẹn mới quá xa.")
    if action == Action.RETURN_RESULT and dossier.paper_location != PaperLocation.NONE:
        if not data.collected_by.strip():
            raise DossierError("Cần ghi tên người nhận kết quả bản giấy.")
    if action == Action.TRANSFER and not (data.transferred_to or data.note).strip():
        raise DossierError("Cần ghi cơ quan nhận hồ sơ liên thông.")
    return target


PAPER_AFTER = {
    Action.START_REVIEW: PaperLocation.SPECIALIST,
    Action.SUBMIT_FOR_APPROVAL: PaperLocation.LEADER,
    Action.SEND_BACK: PaperLocation.SPECIALIST,
    Action.APPROVE: PaperLocation.CLERK,
    Action.ISSUE: PaperLocation.DESK,
    Action.RETURN_RESULT: PaperLocation.RETURNED,
    Action.TRANSFER: PaperLocation.TRANSFERRED,
}


def classify_now(dossier: Dossier) -> str:
    clock = DossierClock(
        due_at=dossier.due_at,
        ended_at=dossier.ended_at,
        supplement_requests=dossier.supplement_requests,
        pending_supplement_since=None,
        apologized=dossier.apologized_at is not None,
    )
    result = resolution(clock)
    return result.value if result else ""


def do_action(
    dossier: Dossier,
    user: User | None,
    action: Action,
    target: State,
    data: ActionInput,
    now: datetime,
) -> DossierEvent:
    """Apply a checked action (the caller holds the row lock) and append its event."""
    from_state = dossier.state
    event_data: dict = {}
    calendar = None
    if action in (Action.RECEIVE, Action.RECEIVE_SUPPLEMENT):
        calendar = calendar_of(dossier)

    if action == Action.RECEIVE:
        if data.components is not None:
            dossier.submitted_components = [nfc(c) for c in data.components]
        version = dossier.procedure_version
        dossier.received_at = now
        dossier.due_at = calendar.due_at(
            local(now), version.duration, DurationKind(version.duration_unit)
        )
        dossier.original_due_at = dossier.due_at
        day = local(now).date()
        desk = Desk.objects.only("electronic_code").get(unit_id=dossier.unit_id)
        dossier.code = format_dossier_code(
            desk.electronic_code, day, next_sequence(desk.electronic_code, day)
        )
        if user is not None and user.is_authenticated:
            dossier.assigned_to = data.assigned_to or user
        event_data = {"code": dossier.code, "due_at": dossier.due_at.isoformat()}
    elif action == Action.SUBMIT_ONLINE:
        dossier.submitted_at = now
    elif action == Action.REQUEST_SUPPLEMENT:
        dossier.supplement_requests += 1
        dossier.pending_supplement_since = now
    elif action == Action.RECEIVE_SUPPLEMENT:
        paused = calendar.working_minutes_between(
            local(dossier.pending_supplement_since), local(now)
        )
        dossier.paused_minutes += paused
        dossier.due_at = calendar.extend(local(dossier.due_at), paused)
        dossier.pending_supplement_since = None
        if data.components is not None:
            dossier.submitted_components = [nfc(c) for c in data.components]
        event_data = {"paused_minutes": paused, "due_at": dossier.due_at.isoformat()}
    elif action == Action.APOLOGIZE:
        event_data = {
            "old_due_at": dossier.due_at.isoformat(),
            "new_due_at": data.new_due_at.isoformat(),
        }
        dossier.apologized_at = now
        dossier.due_at = data.new_due_at
    elif action == Action.START_REVIEW and user is not None and user.is_authenticated:
        dossier.assigned_to = data.assigned_to or user
    elif action == Action.RETURN_RESULT:
        dossier.returned_at = now
        dossier.paper_collected_by = nfc(data.collected_by)
        if dossier.ended_at is None:
            dossier.ended_at = now
        event_data = {"collected_by": dossier.paper_collected_by, "electronic": data.electronic}
    elif action == Action.TRANSFER:
        dossier.transferred_to = nfc(data.transferred_to or data.note)

    if target == State.DONE:
        dossier.done_at = now
    if target in lifecycle.ENDING and dossier.ended_at is None and dossier.received_at:
        dossier.ended_at = now
    if action == Action.STOP or action == Action.WITHDRAW or action == Action.REFUSE:
        dossier.pending_supplement_since = None
    if action in PAPER_AFTER and dossier.paper_location != PaperLocation.NONE:
        dossier.paper_location = PAPER_AFTER[action]
    dossier.state = target
    if dossier.ended_at is not None:
        dossier.timeliness = classify_now(dossier)
    dossier.save()
    queue_for_action(dossier, action.value, data.note)
    return append_event(
        dossier,
        action,
        from_state=from_state,
        actor=user,
        role=acting_role(user, action),
        at=now,
        note=data.note,
        data=event_data,
    )


def perform(dossier_id, user: User | None, action: str, data: ActionInput | None = None) -> Dossier:
    """Check and apply ``action`` on a dossier: one transaction, one event.

    Locking: the dossier row is locked (SELECT … FOR UPDATE on PostgreSQL; SQLite's
    BEGIN IMMEDIATE serialises writers) before it is read, so two officials acting at once
    cannot both succeed on the same state.
    """
    data = data or ActionInput()
    with transaction.atomic():
        dossier = lock_dossier(dossier_id)
        target = check_action(dossier, user, action, data)
        do_action(dossier, user, Action(action), target, data, timezone.now())
    return dossier
