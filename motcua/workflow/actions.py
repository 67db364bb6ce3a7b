"""The desk's workflow: intake and every move of a dossier's state machine.

``check_*`` functions validate and check access and raise a
:class:`~motcua.core.errors.DomainError` (Vietnamese); ``do_*`` functions assume valid input.
Each public write is one transaction holding the dossier's row lock, with exactly one event
appended to the ledger (:mod:`motcua.dossiers.ledger`), the notifications and the national
portal's outbox rows (:mod:`motcua.dvcqg.outbox`) written with it. The rules of who may do
what live in :mod:`motcua.core.lifecycle`.

To add a dossier action: a row in ``core.lifecycle.TRANSITIONS`` (label, sources, target,
roles), its extra checks in :func:`check_action` and its field changes in :func:`do_action`;
the page, the API and the worklist pick it up from the table (docs/architecture.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import User
from motcua.catalog.models import Procedure
from motcua.catalog.queries import active_procedure
from motcua.core import components as papers
from motcua.core import lifecycle
from motcua.core.calendar import DurationKind
from motcua.core.classify import DossierClock, resolution
from motcua.core.errors import AccessError, DossierError
from motcua.core.identity import validate_citizen_id, validate_tax_code
from motcua.core.lifecycle import Action, EventKind, State
from motcua.core.localtime import local, local_day
from motcua.core.text import fold, nfc
from motcua.dossiers.codes import allocate_code
from motcua.dossiers.ledger import append_event, lock_dossier
from motcua.dossiers.models import Channel, Dossier, DossierEvent, PaperLocation
from motcua.dossiers.queries import access_dossier
from motcua.dvcqg.outbox import record_event
from motcua.notifications.actions import queue_for_action
from motcua.reports.cells import count_dossier
from motcua.rows import insert_rows
from motcua.units.access import NO_ACCESS, READ_ONLY, can_view_unit
from motcua.units.models import Desk
from motcua.units.queries import calendar_for_unit, desk_of_unit
from motcua.workflow.offering import offered_official

SYSTEM = "system"


def acting_role(user: User | None, action: Action) -> str:
    """The role under which ``user`` takes ``action`` (citizen when anonymous)."""
    if user is None or not user.is_authenticated:
        return lifecycle.CITIZEN
    allowed = lifecycle.TRANSITIONS[action].roles
    for role in sorted(user.role_codes()):
        if role in allowed:
            return role
    return next(iter(sorted(user.role_codes())), "")


def roles_of(user: User | None) -> frozenset[str]:
    if user is None or not user.is_authenticated:
        return frozenset({lifecycle.CITIZEN})
    return user.role_codes()


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
    # The form of each paper handed over ({name: PaperForm value}); a paper not listed takes
    # the form the catalogue names for it.
    forms: dict[str, str] = field(default_factory=dict)


def has_paper(channel: str) -> bool:
    """A paper dossier exists when it was handed over at the desk or sent by post; an online
    dossier (assisted or not) is electronic, its papers stay with the applicant."""
    return channel in (Channel.DIRECT, Channel.POST)


# The longest address a dossier keeps (Dossier.applicant_address).
ADDRESS_LENGTH = Dossier._meta.get_field("applicant_address").max_length


def check_applicant(data: ApplicantData) -> ApplicantData:
    """Validate and normalise the applicant (NFC, ID number, birth date, phone)."""
    name = nfc(data.name)
    if not name:
        raise DossierError(
            "Chưa nhập họ tên người nộp hồ sơ (hoặc tên tổ chức).", "invalid_applicant"
        )
    if len(name) > 200:
        raise DossierError("Họ tên quá dài (tối đa 200 ký tự).", "invalid_applicant")
    # A name is letters (Vietnamese ones count: str.isalpha knows "ơ", "đ", "ỹ"…); a
    # person's has no digits, an organisation's may ("Công ty TNHH 3A").
    if not any(ch.isalpha() for ch in name):
        raise DossierError("Họ và tên phải có chữ cái, ví dụ: Nguyễn Văn An.", "invalid_applicant")
    if data.kind == Dossier.ApplicantKind.PERSON and any(ch.isdigit() for ch in name):
        raise DossierError("Họ và tên không có chữ số; vui lòng kiểm tra lại.", "invalid_applicant")
    id_number = ""
    if data.kind == Dossier.ApplicantKind.PERSON:
        if data.birth_date is not None and not (
            date(1900, 1, 1) <= data.birth_date <= timezone.localdate()
        ):
            raise DossierError(
                "Ngày sinh không hợp lệ (phải sau 01/01/1900 và không ở tương lai).",
                "invalid_applicant",
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
        raise DossierError("Loại chủ hồ sơ không hợp lệ.", "invalid_applicant")
    phone = "".join(ch for ch in data.phone if ch.isdigit() or ch == "+")
    if phone and not (9 <= len(phone.lstrip("+")) <= 12):
        raise DossierError("Số điện thoại không hợp lệ (9 đến 12 chữ số).", "invalid_applicant")
    address = nfc(data.address)
    if len(address) > ADDRESS_LENGTH:
        raise DossierError(f"Địa chỉ quá dài (tối đa {ADDRESS_LENGTH} ký tự).", "invalid_applicant")
    return ApplicantData(
        kind=data.kind,
        name=name,
        id_number=id_number,
        birth_date=data.birth_date,
        sex=data.sex,
        phone=phone,
        email=data.email.strip().lower(),
        address=address,
        representative=nfc(data.representative),
        born_abroad=data.born_abroad,
    )


def check_draft(user: User | None, desk: Desk) -> None:
    """A draft is saved by the applicant online (no user) or by the desk of its unit
    (specialist, head, deputy: ``lifecycle.DESK``), never by an overseer, a clerk or a
    leader, whatever the caller (page, API)."""
    if user is None or not user.is_authenticated:
        return
    if user.unit_id != desk.unit_id and can_view_unit(user, desk.unit):
        raise AccessError(READ_ONLY, "read_only")
    if user.unit_id != desk.unit_id or not (roles_of(user) & lifecycle.DESK):
        raise AccessError(
            "Chỉ chuyên viên, trưởng hoặc phó Bộ phận Một cửa của xã mới lưu hồ sơ nháp.",
            "role_required",
        )


def check_intake(
    user: User | None, desk: Desk, data: IntakeData
) -> tuple[Procedure, ApplicantData]:
    if user is not None and user.is_authenticated and not can_view_unit(user, desk.unit):
        raise AccessError(
            "Bạn không thuộc đơn vị này nên không tiếp nhận hồ sơ ở đây.", "other_unit"
        )
    procedure = active_procedure(data.procedure_code)
    if procedure is None:
        raise DossierError(
            f"Không có thủ tục mã “{data.procedure_code}” trong danh mục.", "unknown_procedure"
        )
    if data.channel not in Channel.values:
        raise DossierError("Kênh tiếp nhận không hợp lệ.", "invalid_intake")
    if (
        data.channel in (Channel.ONLINE, Channel.ONLINE_ASSISTED)
        and not procedure.current_version.is_online
    ):
        raise DossierError("Thủ tục này chưa cung cấp dịch vụ công trực tuyến.", "not_online")
    if not 1 <= data.copies <= 50:
        raise DossierError("Số bộ hồ sơ phải từ 1 đến 50.", "invalid_intake")
    known = {c["name"] for c in procedure.current_version.components}
    unknown = [c for c in data.components if nfc(c) not in known]
    if unknown:
        raise DossierError(
            f"Thành phần không có trong danh mục của thủ tục: {', '.join(unknown)}.",
            "unknown_component",
        )
    check_forms(data.forms, known)
    return procedure, check_applicant(data.applicant)


def check_forms(forms: dict[str, str] | None, known: set[str]) -> None:
    for name, form in (forms or {}).items():
        if nfc(name) not in known:
            raise DossierError(
                f"Thành phần không có trong danh mục của thủ tục: {name}.", "unknown_component"
            )
        if form not in papers.FORM_LABELS:
            raise DossierError(
                "Hình thức giấy tờ phải là bản chính, bản sao, bản sao có chứng thực "
                "hoặc xuất trình.",
                "invalid_intake",
            )


def paper_forms(version, ticked: list[str], forms: dict[str, str] | None) -> dict[str, str]:
    """The form of each paper ticked: as the desk chose, else as the catalogue names it."""
    named = {c["name"]: c.get("form", "") for c in version.components}
    chosen = {nfc(k): v for k, v in (forms or {}).items()}
    out = {}
    for name in (nfc(c) for c in ticked):
        form = chosen.get(name) or named.get(name, "")
        if form:
            out[name] = form
    return out


def new_dossier(user: User | None, desk: Desk, data: IntakeData) -> Dossier:
    """The dossier as typed (checked, not yet saved), still a draft."""
    procedure, applicant = check_intake(user, desk, data)
    return Dossier(
        unit=desk.unit,
        procedure=procedure,
        procedure_version=procedure.current_version,
        channel=data.channel,
        state=State.DRAFT,
        applicant_kind=applicant.kind,
        applicant_name=applicant.name,
        applicant_folded=fold(applicant.name),
        applicant_id_number=applicant.id_number,
        applicant_birth_date=applicant.birth_date,
        applicant_sex=applicant.sex,
        applicant_phone=applicant.phone,
        applicant_email=applicant.email,
        applicant_address=applicant.address,
        representative=applicant.representative,
        submitted_components=[nfc(c) for c in data.components],
        submitted_forms=paper_forms(procedure.current_version, data.components, data.forms),
        copies=data.copies,
        result_delivery=nfc(data.result_delivery),
        received_from=nfc(data.received_from),
        paper_location=PaperLocation.DESK if has_paper(data.channel) else PaperLocation.NONE,
        created_by=user if user is not None and user.is_authenticated else None,
    )


def intake_dossier(
    user: User | None,
    desk: Desk,
    data: IntakeData,
    outcome: Action | None,
    note: str = "",
) -> Dossier:
    """Open a dossier in one transaction with one event, whatever its first outcome:

    - ``RECEIVE``: received, with its code, receipt moment and appointment (Mẫu 01);
    - ``REQUEST_COMPLETION``: kept as a draft with the request to complete it (Mẫu 02);
    - ``REFUSE_RECEPTION``: refused at reception (Mẫu 03);
    - ``None``: a draft (an online submission starts so, confirmed later).
    """
    if outcome is None:
        check_draft(user, desk)
    dossier = new_dossier(user, desk, data)
    now = timezone.now()
    with transaction.atomic():
        if outcome is None:
            dossier.save(force_insert=True)
            append_event(
                dossier,
                EventKind.CREATE,
                from_state="",
                first=True,
                actor=user,
                role=acting_role(user, Action.RECEIVE) if user else lifecycle.CITIZEN,
                at=now,
                data=creation_data(dossier),
            )
            return dossier
        if outcome == Action.REQUEST_COMPLETION and not note.strip():
            # The request lists what is missing unless the official wrote it out.
            note = "\n".join(missing_components(dossier))
        step = ActionInput(note=note, components=data.components, forms=data.forms)
        target = check_action(dossier, user, outcome, step)
        do_action(dossier, user, outcome, target, step, now, new=True)
    return dossier


def receive_dossier(user: User | None, desk: Desk, data: IntakeData) -> Dossier:
    """Tiếp nhận hồ sơ: the desk page, the API and the portal connector all receive here."""
    return intake_dossier(user, desk, data, Action.RECEIVE)


def create_draft(user: User | None, desk: Desk, data: IntakeData) -> Dossier:
    """Start a dossier (chưa tiếp nhận): online by the applicant, or saved at the desk."""
    return intake_dossier(user, desk, data, None)


def submit_online(
    desk: Desk, data: IntakeData, submitted_at: datetime, portal_code: str = ""
) -> Dossier:
    """A dossier submitted online elsewhere (on the national portal), arriving already sent:
    inserted awaiting reception (chờ tiếp nhận) with its one ``submit_online`` event, which
    keeps the moment it was submitted there and its code there. No user: the caller has
    authorised the sender. The desk then receives, refuses or asks for completion as for any
    online dossier. One transaction (a savepoint when the caller holds one, so the caller can
    add the dossier's sync record and files all-or-nothing)."""
    dossier = new_dossier(None, desk, data)
    step = ActionInput(
        components=data.components,
        forms=data.forms,
        submitted_at=submitted_at,
        portal_code=portal_code,
    )
    with transaction.atomic():
        target = check_action(dossier, None, Action.SUBMIT_ONLINE, step)
        do_action(dossier, None, Action.SUBMIT_ONLINE, target, step, timezone.now(), new=True)
    return dossier


def creation_data(dossier: Dossier) -> dict:
    return {
        "channel": dossier.channel,
        "procedure": dossier.procedure.code,
        "version": dossier.procedure_version.number,
    }


def missing_components(dossier: Dossier, ticked: list[str] | None = None) -> list[str]:
    """Required papers of the procedure version (mandatory, not conditional) not ticked."""
    submitted = {nfc(c) for c in (dossier.submitted_components if ticked is None else ticked)}
    return papers.missing(dossier.procedure_version.components, submitted)


# --- transitions -----------------------------------------------------------------------------


@dataclass
class ActionInput:
    note: str = ""
    new_due_at: datetime | None = None  # apologize
    components: list[str] | None = None  # receive / receive_supplement: ticked components
    forms: dict[str, str] | None = None  # receive / receive_supplement: their forms
    collected_by: str = ""  # return_result: who took the paper result
    electronic: bool = True  # return_result: electronic result sent
    transferred_to: str = ""  # transfer
    assigned_to: User | None = None  # receive / start_review
    submitted_at: datetime | None = None  # submit_online: when, if submitted elsewhere
    portal_code: str = ""  # submit_online: its code on the national portal (MaHoSo)


def check_action(dossier: Dossier, user: User | None, action: str, data: ActionInput) -> State:
    """Validate an action on a dossier for a user; return the state it leads to."""
    if user is not None and user.is_authenticated and not can_view_unit(user, dossier.unit):
        raise AccessError(NO_ACCESS, "other_unit")
    target = lifecycle.check_action(dossier.state, action, roles_of(user), data.note)
    action = Action(action)
    now = timezone.now()
    if action == Action.RECEIVE:
        components = (
            data.components if data.components is not None else dossier.submitted_components
        )
        known = {c["name"] for c in dossier.procedure_version.components}
        if any(nfc(c) not in known for c in components):
            raise DossierError(
                "Có thành phần không thuộc danh mục của thủ tục.", "unknown_component"
            )
        check_forms(data.forms, known)
        missing = missing_components(dossier, components)
        if missing:
            raise DossierError(
                "Hồ sơ còn thiếu: "
                + "; ".join(missing)
                + ". Hãy lập Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ.",
                "missing_components",
            )
    if action == Action.APOLOGIZE:
        if dossier.apologized_at is not None:
            raise DossierError(
                "Hồ sơ đã được hẹn lại một lần; không được hẹn lại lần nữa.", "already_extended"
            )
        if dossier.due_at is None or now >= dossier.due_at:
            raise DossierError(
                "Đã quá thời điểm hẹn trả: văn bản xin lỗi và hẹn lại phải gửi trước hạn.",
                "past_due",
            )
        if data.new_due_at is None or data.new_due_at <= dossier.due_at:
            raise DossierError("Ngày hẹn mới phải sau ngày hẹn cũ.", "invalid_due_date")
        if data.new_due_at.year > now.year + 2:
            raise DossierError("Ngày hẹn mới quá xa.", "invalid_due_date")
    if action == Action.RETURN_RESULT and dossier.paper_location != PaperLocation.NONE:
        if not data.collected_by.strip():
            raise DossierError("Cần ghi tên người nhận kết quả bản giấy.", "collector_required")
    if action == Action.RETURN_RESULT and dossier.fee_amount and dossier.fee_paid_at is None:
        raise DossierError(
            "Người nộp chưa nộp phí, lệ phí: thu tiền mặt hoặc chờ chuyển khoản trước khi trả "
            "kết quả.",
            "fee_unpaid",
        )
    if action == Action.TRANSFER and not (data.transferred_to or data.note).strip():
        raise DossierError("Cần ghi cơ quan nhận hồ sơ liên thông.", "transfer_target_required")
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
    *,
    new: bool = False,
) -> DossierEvent:
    """Apply a checked action (the caller holds the row lock) and append its event.

    ``new``: the dossier is not saved yet (intake): it is inserted, and its first event says
    so (``from_state`` empty, the creation's facts in its data).
    """
    from_state = "" if new else dossier.state
    event_data: dict = creation_data(dossier) if new else {}

    if action == Action.RECEIVE:
        if data.components is not None:
            dossier.submitted_components = [nfc(c) for c in data.components]
            dossier.submitted_forms = paper_forms(
                dossier.procedure_version, data.components, data.forms
            )
        version = dossier.procedure_version
        dossier.received_at = now
        dossier.due_at = calendar_for_unit(dossier.unit_id).due_at(
            local(now), version.duration, DurationKind(version.duration_unit)
        )
        dossier.original_due_at = dossier.due_at
        dossier.code = allocate_code(desk_of_unit(dossier.unit_id).electronic_code, local_day(now))
        if user is not None and user.is_authenticated:
            dossier.assigned_to = data.assigned_to or user
        event_data |= {"code": dossier.code, "due_at": dossier.due_at.isoformat()}
    elif action == Action.SUBMIT_ONLINE:
        # Submitted on the national portal: the portal's moment (NgayTiepNhan), else now.
        dossier.submitted_at = data.submitted_at or now
        if data.submitted_at is not None:
            event_data["submitted_at"] = data.submitted_at.isoformat()
        if data.portal_code:
            event_data["portal_code"] = data.portal_code
        # the duty roster offers it to an official on duty for its field (docs/roster.md)
        if dossier.assigned_to_id is None:
            dossier.assigned_to = offered_official(dossier, now)
            if dossier.assigned_to is not None:
                event_data["offered_to"] = dossier.assigned_to.username
    elif action == Action.REQUEST_SUPPLEMENT:
        dossier.supplement_requests += 1
        dossier.pending_supplement_since = now
    elif action == Action.RECEIVE_SUPPLEMENT:
        calendar = calendar_for_unit(dossier.unit_id)
        paused = calendar.working_minutes_between(
            local(dossier.pending_supplement_since), local(now)
        )
        dossier.paused_minutes += paused
        old_due_at = dossier.due_at
        dossier.due_at = calendar.extend(local(dossier.due_at), paused)
        dossier.pending_supplement_since = None
        if data.components is not None:
            dossier.submitted_components = [nfc(c) for c in data.components]
            dossier.submitted_forms = paper_forms(
                dossier.procedure_version, data.components, data.forms
            )
        event_data = {
            "paused_minutes": paused,
            "old_due_at": old_due_at.isoformat(),
            "due_at": dossier.due_at.isoformat(),
        }
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
    if action in (Action.STOP, Action.WITHDRAW, Action.REFUSE):
        dossier.pending_supplement_since = None
    if action in PAPER_AFTER and dossier.paper_location != PaperLocation.NONE:
        dossier.paper_location = PAPER_AFTER[action]
    dossier.state = target
    if dossier.ended_at is not None:
        dossier.timeliness = classify_now(dossier)
    if new:
        count_dossier(dossier, saved=False)  # its cell goes in with the INSERT
        insert_rows(Dossier, [dossier])
    else:
        dossier.save()
    queue_for_action(dossier, action.value, data.note)
    event = append_event(
        dossier,
        action,
        from_state=from_state,
        first=new,
        actor=user,
        role=acting_role(user, action),
        at=now,
        note=data.note,
        data=event_data,
    )
    record_event(dossier, event, new=new)
    return event


def perform(dossier_id, user: User | None, action: str, data: ActionInput | None = None) -> Dossier:
    """Check and apply ``action`` on a dossier: one transaction, one event.

    Locking: the dossier row is locked (SELECT … FOR UPDATE on PostgreSQL; SQLite's
    BEGIN IMMEDIATE serialises writers) before it is read, so two officials acting at once
    cannot both succeed on the same state. Without a user (the applicant confirming an online
    submission by its one-time code) the caller has authorised the request.
    """
    data = data or ActionInput()
    with transaction.atomic():
        if user is None or not user.is_authenticated:
            dossier = lock_dossier(dossier_id)
        else:
            dossier = access_dossier(user, dossier_id, lock=True)
        target = check_action(dossier, user, action, data)
        do_action(dossier, user, Action(action), target, data, timezone.now())
    return dossier
