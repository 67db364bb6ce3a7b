"""Feedback and petitions (phản ánh, kiến nghị — PAKN): pure rules.

A feedback is about a procedure, a regulation or a member of staff (or something else the desk
classifies). It runs on a legal clock in working days, counted by the unit's own calendar (the
one that times dossiers), from the day after the day it arrived (docs/feedback.md):

- refuse it (not ours to handle, no content…) within ``refuse`` days (766: 2);
- ask the sender for more information within ``ask`` days (766: 5); the handling clock then
  waits for the answer and starts again, whole, from the day the information arrives;
- handle it (the answer) within ``handle`` days (766: 15);
- publish the answer within ``publish`` days of it (766: 2).

A deadline is a day: the step is on time when it is done on or before that day. The province
may set other numbers (:class:`Rules`); a feedback keeps the deadlines it was given.

766 (QĐ 766/QĐ-TTg, group 5): 5.1 the share classified, 5.2 the share handled on time (every
step it took within its limit; one still open and past a deadline is late), 5.3 the share
that is neither answered to the sender's dissatisfaction, nor late, nor raised again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from motcua.core.errors import DomainError
from motcua.core.text import nfc

ONE_DAY = timedelta(days=1)
MAX_CONTENT = 5000
MAX_TITLE = 200


class FeedbackError(DomainError):
    """A feedback or a step on it that cannot be taken (Vietnamese message)."""

    default_code = "invalid_feedback"


class Status(StrEnum):
    RECEIVED = "received"  # waiting to be classified and assigned
    HANDLING = "handling"  # assigned, being handled
    ASKING = "asking"  # more information asked of the sender; the handling clock waits
    REFUSED = "refused"  # not taken up (with the reason sent to the sender)
    ANSWERED = "answered"  # answered, the answer not yet published
    PUBLISHED = "published"  # answered and published, personal data removed


STATUS_LABELS = {
    Status.RECEIVED: "Chờ phân loại",
    Status.HANDLING: "Đang xử lý",
    Status.ASKING: "Chờ người gửi bổ sung",
    Status.REFUSED: "Từ chối tiếp nhận",
    Status.ANSWERED: "Đã trả lời, chờ công khai",
    Status.PUBLISHED: "Đã trả lời và công khai",
}
OPEN = frozenset({Status.RECEIVED, Status.HANDLING, Status.ASKING})
CLOSED = frozenset({Status.REFUSED, Status.PUBLISHED})


EVENT_LABELS = {
    "receive": "Tiếp nhận",
    "classify": "Phân loại, giao xử lý",
    "refuse": "Từ chối tiếp nhận",
    "ask": "Yêu cầu bổ sung thông tin",
    "supplement": "Người gửi bổ sung thông tin",
    "answer": "Trả lời",
    "publish": "Công khai kết quả",
    "rate": "Người gửi đánh giá câu trả lời",
    "reopen": "Người gửi phản ánh lại",
}


class About(StrEnum):
    PROCEDURE = "procedure"  # a procedure's handling (a dossier, the desk's service)
    REGULATION = "regulation"  # a rule, a procedure's content (NĐ 20/2008)
    STAFF = "staff"  # a member of staff's conduct
    OTHER = "other"


ABOUT_LABELS = {
    About.PROCEDURE: "Việc giải quyết thủ tục hành chính",
    About.REGULATION: "Quy định hành chính",
    About.STAFF: "Hành vi, thái độ của cán bộ, công chức",
    About.OTHER: "Nội dung khác",
}

ABOUT_SHORT = {
    About.PROCEDURE: "Giải quyết TTHC",
    About.REGULATION: "Quy định",
    About.STAFF: "Cán bộ",
    About.OTHER: "Khác",
}


class Source(StrEnum):
    DESK = "desk"  # said or handed in at the desk, entered by an official
    WEB = "web"  # the public page /phan-anh/
    EMAIL = "email"  # a message to the desk's feedback address, imported
    PORTAL = "portal"  # the national portal's PAKN, through the connector


SOURCE_LABELS = {
    Source.DESK: "Tại Bộ phận Một cửa",
    Source.WEB: "Trang phản ánh trực tuyến",
    Source.EMAIL: "Thư điện tử",
    Source.PORTAL: "Cổng Dịch vụ công quốc gia",
}


# --- the clock ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rules:
    """The working days of each step (766's by default; a province may set its own)."""

    refuse: int = 2
    ask: int = 5
    handle: int = 15
    publish: int = 2

    def __post_init__(self) -> None:
        for name in ("refuse", "ask", "handle", "publish"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 90:
                raise FeedbackError("Thời hạn xử lý phản ánh phải là số ngày làm việc từ 1 đến 90.")


RULES_766 = Rules()

# the calendar's "N-th working day strictly after d" (WorkCalendar.working_day_after)
DayAfter = Callable[[date, int], date]
# the calendar's "is d a working day" (WorkCalendar.is_working_day)
IsWorking = Callable[[date], bool]


@dataclass(frozen=True)
class Deadlines:
    refuse_by: date
    ask_by: date
    handle_by: date


def deadlines(received: date, rules: Rules, day_after: DayAfter) -> Deadlines:
    """The last days to refuse, to ask for more and to answer a feedback received on
    ``received`` (that day is not counted; days off are skipped by ``day_after``)."""
    return Deadlines(
        refuse_by=day_after(received, rules.refuse),
        ask_by=day_after(received, rules.ask),
        handle_by=day_after(received, rules.handle),
    )


def handle_by_after_supplement(supplied: date, rules: Rules, day_after: DayAfter) -> date:
    """The handling deadline once the asked information arrived on ``supplied``: the whole
    handling time again, from the day after (docs/feedback.md says why)."""
    return day_after(supplied, rules.handle)


def publish_by(answered: date, rules: Rules, day_after: DayAfter) -> date:
    return day_after(answered, rules.publish)


def working_days_left(today: date, due: date, is_working: IsWorking) -> int:
    """Working days from ``today`` to ``due``: 0 when ``due`` is today (the last day), N > 0
    when N working days come after today up to ``due``, −N when ``due`` is past by N working
    days (today included, if worked; at least 1 once past). A few weeks at most, so a walk."""
    first, last = (today, due) if due >= today else (due, today)
    count, day = 0, first
    while day < last:
        day += ONE_DAY
        count += is_working(day)
    return count if due >= today else -max(count, 1)


def countdown_text(left: int) -> str:
    """The countdown a person reads: "còn 3 ngày làm việc", "hạn cuối hôm nay", "quá hạn 2
    ngày làm việc"."""
    if left > 0:
        return f"còn {left} ngày làm việc"
    if left == 0:
        return "hạn cuối hôm nay"
    return f"quá hạn {-left} ngày làm việc"


@dataclass(frozen=True)
class Clock:
    """Where a feedback stands on its clock: the step now due and its deadline (None when
    nothing is due: refused or published)."""

    step: str  # "refuse_or_handle", "handle", "supplement", "publish", ""
    label: str
    due: date | None


def current_clock(status: Status, handle_by: date | None, publish_due: date | None) -> Clock:
    """The deadline that now matters. While the sender is asked for more, no deadline of the
    desk runs (the sender's turn); 'received' and 'handling' run to the handling deadline."""
    if status in (Status.RECEIVED, Status.HANDLING):
        return Clock("handle", "Hạn trả lời", handle_by)
    if status == Status.ASKING:
        return Clock("supplement", "Chờ người gửi bổ sung thông tin", None)
    if status == Status.ANSWERED:
        return Clock("publish", "Hạn công khai kết quả", publish_due)
    return Clock("", "", None)


@dataclass(frozen=True)
class Steps:
    """The days a feedback's steps were done (local dates), and its deadlines."""

    status: Status
    refuse_by: date
    ask_by: date
    handle_by: date  # the one in force (moved by a supplement)
    refused_on: date | None = None
    asked_on: date | None = None  # the first request for more information
    answered_on: date | None = None
    publish_by: date | None = None
    published_on: date | None = None


def on_time(s: Steps, today: date) -> bool:
    """766 5.2: every step it took within its limit, and no limit now past for a step not
    yet taken. A feedback waiting for the sender is on time (the clock is theirs)."""
    if s.refused_on is not None:
        return s.refused_on <= s.refuse_by
    if s.asked_on is not None and s.asked_on > s.ask_by:
        return False
    if s.answered_on is not None:
        if s.answered_on > s.handle_by:
            return False
        if s.published_on is not None:
            return s.publish_by is None or s.published_on <= s.publish_by
        return s.publish_by is None or today <= s.publish_by
    if s.status == Status.ASKING:
        return True
    return today <= s.handle_by


# --- checks -------------------------------------------------------------------------------------


def title_from(content: str, limit: int = 80) -> str:
    """A title for a feedback sent without one: its first words."""
    first = content.splitlines()[0] if content else ""
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0] + "…"


def check_text(value, label: str, *, limit: int, required: bool = True) -> str:
    """A free text, NFC, trimmed, within ``limit``; refused when empty and required."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise FeedbackError(f"{label} phải là văn bản.")
    text = nfc(value).strip()
    if "\x00" in text:
        raise FeedbackError(f"{label} có ký tự không hợp lệ.")
    if required and len(re.sub(r"\W", "", text)) < 3:
        raise FeedbackError(f"Hãy ghi {label.lower()} (ít nhất vài chữ).", "feedback_empty")
    if len(text) > limit:
        raise FeedbackError(f"{label} dài quá {limit:,} ký tự.".replace(",", "."))
    return text


def choice(value, enum: type[StrEnum], label: str):
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise FeedbackError(f"{label} phải là một trong: {allowed}.") from None


# --- what may be published ---------------------------------------------------------------------

_PATTERNS = (
    # e-mail addresses
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE), "[địa chỉ thư]"),
    # citizen identity numbers (12 digits), old ID cards (9), tax codes (10/13)
    (re.compile(r"(?<!\d)(?:\d[ .]?){8,12}\d(?!\d)"), "[số giấy tờ/điện thoại]"),
)


def redact(text: str, names: list[str] | tuple[str, ...] = ()) -> str:
    """``text`` with the personal data a public page must not carry removed: e-mail addresses,
    phone and identity numbers (runs of 9 to 13 digits, spaces or dots between), and the
    given names (the sender's, the staff member's), whole words, in any letter case. The
    official reads the result before it is published (docs/feedback.md)."""
    out = nfc(text)
    for pattern, mark in _PATTERNS:
        out = pattern.sub(mark, out)
    for name in sorted({nfc(n).strip() for n in names if n and n.strip()}, key=len, reverse=True):
        if len(name) >= 2:
            out = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", "[họ tên]", out, flags=re.IGNORECASE)
    return out


# --- the figures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """One feedback as the figures see it."""

    classified: bool
    on_time: bool
    unsatisfied: bool  # the sender said the answer did not satisfy them
    repeated: bool  # raised again (reopened) after an answer


@dataclass(frozen=True)
class Figures:
    total: int = 0
    classified: int = 0
    on_time: int = 0
    late: int = 0
    unsatisfied: int = 0
    repeated: int = 0
    satisfied: int = 0  # 766 5.3's numerator


def figures(outcomes) -> Figures:
    """The period's counts: 5.3 counts a feedback once even when it is late, unsatisfied and
    repeated at the same time."""
    total = classified = timely = unsatisfied = repeated = kept = 0
    for o in outcomes:
        total += 1
        classified += o.classified
        timely += o.on_time
        unsatisfied += o.unsatisfied
        repeated += o.repeated
        kept += o.on_time and not o.unsatisfied and not o.repeated
    return Figures(total, classified, timely, total - timely, unsatisfied, repeated, kept)
