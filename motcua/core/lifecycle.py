"""The dossier state machine (vòng đời hồ sơ): which role may do what in which state.

Pure Python, no Django import. One table, :data:`TRANSITIONS`, is the single source of the
rules; the actions module checks every request against it, and anything not in it is refused
with a Vietnamese message. States and DVCQG names: GLOSSARY.md "States".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from motcua.core.errors import DomainError


class State(StrEnum):
    DRAFT = "draft"
    AWAITING_RECEPTION = "awaiting_reception"
    RECEIVED = "received"
    IN_REVIEW = "in_review"
    AWAITING_SUPPLEMENT = "awaiting_supplement"
    AWAITING_APPROVAL = "awaiting_approval"
    AWAITING_ISSUE = "awaiting_issue"
    DONE = "done"
    RETURNED = "returned"
    REFUSED = "refused"
    STOPPED = "stopped"
    WITHDRAWN = "withdrawn"
    TRANSFERRED = "transferred"


STATE_LABELS: dict[State, str] = {
    State.DRAFT: "Đang soạn (chưa tiếp nhận)",
    State.AWAITING_RECEPTION: "Chờ tiếp nhận (nộp trực tuyến)",
    State.RECEIVED: "Mới tiếp nhận",
    State.IN_REVIEW: "Đang xử lý (thẩm định)",
    State.AWAITING_SUPPLEMENT: "Chờ bổ sung hồ sơ",
    State.AWAITING_APPROVAL: "Chờ lãnh đạo phê duyệt",
    State.AWAITING_ISSUE: "Chờ văn thư ban hành",
    State.DONE: "Đã có kết quả",
    State.RETURNED: "Đã trả kết quả",
    State.REFUSED: "Từ chối giải quyết",
    State.STOPPED: "Dừng giải quyết",
    State.WITHDRAWN: "Công dân rút hồ sơ",
    State.TRANSFERRED: "Đã chuyển liên thông",
}

# The national portal's status names (DVCQG), for sync and reconciliation.
DVCQG_STATUS: dict[State, str | None] = {
    State.DRAFT: None,
    State.AWAITING_RECEPTION: None,
    State.RECEIVED: "Mới tiếp nhận",
    State.IN_REVIEW: "Đang xử lý",
    State.AWAITING_SUPPLEMENT: "Yêu cầu bổ sung hồ sơ",
    State.AWAITING_APPROVAL: "Đang xử lý",
    State.AWAITING_ISSUE: "Đang xử lý",
    State.DONE: "Đã xử lý xong",
    State.RETURNED: "Đã trả kết quả",
    State.REFUSED: "Từ chối",
    State.STOPPED: "Dừng xử lý",
    State.WITHDRAWN: "Công dân yêu cầu rút hồ sơ",
    State.TRANSFERRED: None,
}

NOT_RECEIVED = frozenset({State.DRAFT, State.AWAITING_RECEPTION})
IN_PROGRESS = frozenset(
    {
        State.RECEIVED,
        State.IN_REVIEW,
        State.AWAITING_SUPPLEMENT,
        State.AWAITING_APPROVAL,
        State.AWAITING_ISSUE,
    }
)
# End of processing (DOMAIN.md "Time"): the first of these events ends the clock.
ENDING = frozenset({State.DONE, State.REFUSED, State.STOPPED, State.WITHDRAWN})
TERMINAL = frozenset(
    {State.RETURNED, State.REFUSED, State.STOPPED, State.WITHDRAWN, State.TRANSFERRED}
)

# Role codes: accounts.Role values plus the applicant.
CITIZEN = "citizen"
SPECIALIST = "specialist"
HEAD = "head"
DEPUTY = "deputy"
LEADER = "leader"
CLERK = "clerk"
DESK = frozenset({SPECIALIST, HEAD, DEPUTY})


class Action(StrEnum):
    SUBMIT_ONLINE = "submit_online"
    RECEIVE = "receive"
    REQUEST_COMPLETION = "request_completion"
    REFUSE_RECEPTION = "refuse_reception"
    START_REVIEW = "start_review"
    REQUEST_SUPPLEMENT = "request_supplement"
    RECEIVE_SUPPLEMENT = "receive_supplement"
    SUBMIT_FOR_APPROVAL = "submit_for_approval"
    SEND_BACK = "send_back"
    APPROVE = "approve"
    ISSUE = "issue"
    RETURN_RESULT = "return_result"
    MARK_NOT_COLLECTED = "mark_not_collected"
    APOLOGIZE = "apologize"
    REFUSE = "refuse"
    STOP = "stop"
    WITHDRAW = "withdraw"
    TRANSFER = "transfer"


@dataclass(frozen=True)
class Transition:
    """One allowed move: from any of ``sources`` to ``target`` (None = state unchanged)."""

    label: str
    sources: frozenset[State]
    target: State | None
    roles: frozenset[str]
    note_required: bool = False
    note_label: str = "Ghi chú"


def _t(label, sources, target, roles, note_required=False, note_label="Ghi chú") -> Transition:
    return Transition(
        label, frozenset(sources), target, frozenset(roles), note_required, note_label
    )


_WORKING = (State.RECEIVED, State.IN_REVIEW, State.AWAITING_APPROVAL, State.AWAITING_ISSUE)

TRANSITIONS: dict[Action, Transition] = {
    Action.SUBMIT_ONLINE: _t(
        "Nộp hồ sơ trực tuyến", [State.DRAFT], State.AWAITING_RECEPTION, {CITIZEN, *DESK}
    ),
    Action.RECEIVE: _t(
        "Tiếp nhận hồ sơ", [State.DRAFT, State.AWAITING_RECEPTION], State.RECEIVED, DESK
    ),
    Action.REQUEST_COMPLETION: _t(
        "Yêu cầu bổ sung, hoàn thiện hồ sơ (khi tiếp nhận)",
        [State.DRAFT, State.AWAITING_RECEPTION],
        None,
        DESK,
        True,
        "Nội dung cần bổ sung, hoàn thiện",
    ),
    Action.REFUSE_RECEPTION: _t(
        "Từ chối tiếp nhận",
        [State.DRAFT, State.AWAITING_RECEPTION],
        State.REFUSED,
        DESK,
        True,
        "Lý do từ chối",
    ),
    Action.START_REVIEW: _t("Nhận xử lý", [State.RECEIVED], State.IN_REVIEW, {SPECIALIST}),
    Action.REQUEST_SUPPLEMENT: _t(
        "Yêu cầu bổ sung hồ sơ",
        [State.RECEIVED, State.IN_REVIEW],
        State.AWAITING_SUPPLEMENT,
        {SPECIALIST},
        True,
        "Nội dung cần bổ sung",
    ),
    Action.RECEIVE_SUPPLEMENT: _t(
        "Nhận hồ sơ bổ sung", [State.AWAITING_SUPPLEMENT], State.IN_REVIEW, DESK
    ),
    Action.SUBMIT_FOR_APPROVAL: _t(
        "Trình lãnh đạo", [State.IN_REVIEW], State.AWAITING_APPROVAL, {SPECIALIST}
    ),
    Action.SEND_BACK: _t(
        "Trả lại để xử lý lại",
        [State.AWAITING_APPROVAL],
        State.IN_REVIEW,
        {LEADER},
        True,
        "Lý do trả lại",
    ),
    Action.APPROVE: _t("Phê duyệt, ký", [State.AWAITING_APPROVAL], State.AWAITING_ISSUE, {LEADER}),
    Action.ISSUE: _t("Vào số, đóng dấu, ban hành", [State.AWAITING_ISSUE], State.DONE, {CLERK}),
    Action.RETURN_RESULT: _t("Trả kết quả", [State.DONE], State.RETURNED, DESK),
    Action.MARK_NOT_COLLECTED: _t(
        "Ghi nhận công dân chưa đến nhận kết quả", [State.DONE], None, DESK, True, "Ghi chú"
    ),
    Action.APOLOGIZE: _t(
        "Xin lỗi và hẹn lại ngày trả kết quả",
        [*_WORKING, State.AWAITING_SUPPLEMENT],
        None,
        {*DESK, LEADER},
        True,
        "Lý do chậm",
    ),
    Action.REFUSE: _t(
        "Từ chối giải quyết",
        [State.RECEIVED, State.IN_REVIEW, State.AWAITING_APPROVAL],
        State.REFUSED,
        {LEADER},
        True,
        "Lý do từ chối",
    ),
    Action.STOP: _t(
        "Dừng giải quyết",
        [State.RECEIVED, State.IN_REVIEW, State.AWAITING_SUPPLEMENT, State.AWAITING_APPROVAL],
        State.STOPPED,
        {LEADER},
        True,
        "Lý do dừng",
    ),
    Action.WITHDRAW: _t(
        "Công dân rút hồ sơ",
        [State.AWAITING_RECEPTION, *_WORKING, State.AWAITING_SUPPLEMENT],
        State.WITHDRAWN,
        DESK,
        True,
        "Nội dung đề nghị rút hồ sơ",
    ),
    Action.TRANSFER: _t(
        "Chuyển liên thông",
        [State.RECEIVED, State.IN_REVIEW],
        State.TRANSFERRED,
        DESK,
        True,
        "Cơ quan nhận và nội dung chuyển",
    ),
}


class EventKind(StrEnum):
    """The events of a dossier's history that are not moves of the state machine: the
    dossier's creation, its import from older software, and the steps on its files. An event
    records either an :class:`Action` or one of these, never a free string."""

    CREATE = "create"
    IMPORT = "import"
    ATTACH_COMPONENT = "attach_component"
    DESCRIBE_FILE = "describe_file"
    REUSE_DOCUMENT = "reuse_document"
    ATTACH_RESULT = "attach_result"
    SIGN_RESULT = "sign_result"
    SEAL_RESULT = "seal_result"
    REQUEST_PAYMENT = "request_payment"
    CANCEL_PAYMENT_REQUEST = "cancel_payment_request"
    RECORD_PAYMENT = "record_payment"
    FLAG_PAYMENT = "flag_payment"
    REFUND_PAYMENT = "refund_payment"
    REPLACE_RECEIPT = "replace_receipt"
    PURGE_UNCONFIRMED = "purge_unconfirmed"
    RATE = "rate"  # a satisfaction rating given or changed (motcua.dossiers.ratings)


# The fee's events (motcua.payments): they change no state.
PAYMENT_EVENTS = frozenset(
    {
        EventKind.REQUEST_PAYMENT,
        EventKind.CANCEL_PAYMENT_REQUEST,
        EventKind.RECORD_PAYMENT,
        EventKind.FLAG_PAYMENT,
        EventKind.REFUND_PAYMENT,
        EventKind.REPLACE_RECEIPT,
    }
)


def event_kind(value: str) -> Action | EventKind:
    """The :class:`Action` or :class:`EventKind` named ``value`` (ValueError otherwise)."""
    try:
        return Action(value)
    except ValueError:
        return EventKind(value)


# Labels of every event in a dossier's history, as officials read them (the control slip,
# the dossier page).
EVENT_LABELS: dict[str, str] = {
    EventKind.CREATE: "Lập hồ sơ",
    EventKind.IMPORT: "Nhập từ phần mềm cũ",
    EventKind.ATTACH_COMPONENT: "Số hoá thành phần hồ sơ",
    EventKind.DESCRIBE_FILE: "Nhập thông tin số hoá giấy tờ",
    EventKind.REUSE_DOCUMENT: "Dùng lại giấy tờ từ kho dữ liệu của người nộp",
    EventKind.ATTACH_RESULT: "Lập dự thảo kết quả",
    EventKind.SIGN_RESULT: "Lãnh đạo ký số kết quả",
    EventKind.SEAL_RESULT: "Văn thư cấp số, đóng dấu số",
    EventKind.REQUEST_PAYMENT: "Yêu cầu nộp phí, lệ phí",
    EventKind.CANCEL_PAYMENT_REQUEST: "Huỷ yêu cầu nộp phí, lệ phí",
    EventKind.RECORD_PAYMENT: "Ghi nhận đã nộp phí, lệ phí và lập biên lai",
    EventKind.FLAG_PAYMENT: "Ghi nhận khoản nộp cần kiểm tra (trùng, sai số tiền)",
    EventKind.REFUND_PAYMENT: "Hoàn trả phí, lệ phí",
    EventKind.REPLACE_RECEIPT: "Huỷ và thay thế biên lai điện tử",
    EventKind.PURGE_UNCONFIRMED: "Xoá hồ sơ trực tuyến không được xác nhận",
    EventKind.RATE: "Người dân đánh giá mức độ hài lòng",
    **{action.value: rule.label for action, rule in TRANSITIONS.items()},
}
ROLE_LABELS: dict[str, str] = {
    CITIZEN: "người nộp hồ sơ",
    SPECIALIST: "công chức chuyên môn",
    HEAD: "trưởng bộ phận",
    DEPUTY: "phó bộ phận",
    LEADER: "lãnh đạo",
    CLERK: "văn thư",
    "system": "hệ thống",
}


class LifecycleError(DomainError):
    """A move the rules do not allow; ``forbidden`` is True when the role is the reason."""

    default_code = "not_in_this_state"

    def __init__(self, message: str, *, forbidden: bool = False, code: str | None = None):
        super().__init__(message, code or ("role_not_allowed" if forbidden else None))
        self.forbidden = forbidden


def check_action(
    state: State | str, action: Action | str, roles: frozenset[str] | set[str], note: str = ""
) -> State:
    """Return the state after ``action``, or raise :class:`LifecycleError` (Vietnamese)."""
    try:
        action = Action(action)
    except ValueError:
        raise LifecycleError(f"Không có thao tác “{action}”.", code="unknown_action") from None
    state = State(state)
    rule = TRANSITIONS[action]
    if state not in rule.sources:
        raise LifecycleError(
            f"Không thể “{rule.label.lower()}” khi hồ sơ đang ở trạng thái "
            f"“{STATE_LABELS[state].lower()}”."
        )
    if not (rule.roles & set(roles)):
        raise LifecycleError(f"Vai trò của bạn không được “{rule.label.lower()}”.", forbidden=True)
    if rule.note_required and not note.strip():
        raise LifecycleError(f"Cần nhập “{rule.note_label.lower()}”.", code="note_required")
    return rule.target or state


def available_actions(state: State | str, roles: frozenset[str] | set[str]) -> list[Action]:
    """The actions ``roles`` may take now, in the table's order (for worklist buttons)."""
    state = State(state)
    return [
        action
        for action, rule in TRANSITIONS.items()
        if state in rule.sources and rule.roles & set(roles)
    ]
