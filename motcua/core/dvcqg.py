"""The national portal's protocol (Cổng Dịch vụ công quốc gia, DVCQG): its status codes, what
each of our moves tells it, its date format, when an answer counts as accepted, the retry
schedule, and matching our catalogue to the portal's by name.

Pure Python, no Django import. What is known of the protocol and from where: docs/portal.md
(the OpenCPS v2 connector and a provincial system's calls; Thông tư 04/2025/TT-VPCP's annexes
are not public, so a province must confirm every name).
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum

from motcua.core.lifecycle import IN_PROGRESS, Action, EventKind, State
from motcua.core.localtime import LOCAL_TZ
from motcua.core.text import fold

UPSERT = "DongBoHoSoMC"
PROGRESS = "CapNhatTienDoHoSoMC"
LOOKUP = "TraCuuHoSo"
PROCEDURES = "LayDanhSachTTHC"
PROCEDURE = "LayThuTuc"
FIELDS = "LayDanhMucLinhVuc"
AGENCIES = "LayDanhMucCoQuan"


class PortalStatus(IntEnum):
    """TrangThaiHoSo / TrangThai on the portal."""

    REGISTERED = 1
    RECEIVED = 2
    NOT_RECEIVED = 3
    PROCESSING = 4
    SUPPLEMENT = 5
    FINANCIAL = 6
    WITHDRAWAL = 7
    STOPPED = 8
    DONE = 9
    RETURNED = 10


STATUS_LABELS: dict[PortalStatus, str] = {
    PortalStatus.REGISTERED: "Mới đăng ký",
    PortalStatus.RECEIVED: "Được tiếp nhận",
    PortalStatus.NOT_RECEIVED: "Không được tiếp nhận",
    PortalStatus.PROCESSING: "Đang xử lý",
    PortalStatus.SUPPLEMENT: "Yêu cầu bổ sung giấy tờ",
    PortalStatus.FINANCIAL: "Yêu cầu thực hiện nghĩa vụ tài chính",
    PortalStatus.WITHDRAWAL: "Công dân yêu cầu rút hồ sơ",
    PortalStatus.STOPPED: "Dừng xử lý",
    PortalStatus.DONE: "Đã xử lý xong",
    PortalStatus.RETURNED: "Đã trả kết quả",
}

# The portal's status of a dossier in each of our states. A refusal is "không được tiếp
# nhận" before the dossier was received and "đã xử lý xong" (the result is the written
# refusal, Điều 19 NĐ 61/2018) after; a transferred dossier is still being processed, by the
# agency named in DonViXuLy. docs/portal.md lists both as questions for the province.
_STATE_STATUS: dict[State, PortalStatus] = {
    State.DRAFT: PortalStatus.REGISTERED,
    State.AWAITING_RECEPTION: PortalStatus.REGISTERED,
    State.RECEIVED: PortalStatus.RECEIVED,
    State.IN_REVIEW: PortalStatus.PROCESSING,
    State.AWAITING_SUPPLEMENT: PortalStatus.SUPPLEMENT,
    State.AWAITING_APPROVAL: PortalStatus.PROCESSING,
    State.AWAITING_ISSUE: PortalStatus.PROCESSING,
    State.DONE: PortalStatus.DONE,
    State.RETURNED: PortalStatus.RETURNED,
    State.REFUSED: PortalStatus.DONE,
    State.STOPPED: PortalStatus.STOPPED,
    State.WITHDRAWN: PortalStatus.WITHDRAWAL,
    State.TRANSFERRED: PortalStatus.PROCESSING,
}


def portal_status(state: State | str, *, received: bool, fee_due: bool = False) -> PortalStatus:
    """The portal's status of a dossier in ``state`` (``received``: it has a receipt;
    ``fee_due``: a payment request waits, "yêu cầu thực hiện nghĩa vụ tài chính", while the
    dossier is in progress or its result waits to be returned)."""
    state = State(state)
    if fee_due and (state in IN_PROGRESS or state == State.DONE):
        return PortalStatus.FINANCIAL
    if state == State.REFUSED and not received:
        return PortalStatus.NOT_RECEIVED
    return _STATE_STATUS[state]


# Moves the portal hears of as a progress step (CapNhatTienDoHoSoMC) after the dossier's
# upsert. A request to complete a dossier at reception is the portal's "yêu cầu bổ sung".
STEP_ACTIONS = frozenset(
    {
        Action.SUBMIT_ONLINE,
        Action.RECEIVE,
        Action.REQUEST_COMPLETION,
        Action.REFUSE_RECEPTION,
        Action.START_REVIEW,
        Action.REQUEST_SUPPLEMENT,
        Action.RECEIVE_SUPPLEMENT,
        Action.SUBMIT_FOR_APPROVAL,
        Action.SEND_BACK,
        Action.APPROVE,
        Action.ISSUE,
        Action.RETURN_RESULT,
        Action.APOLOGIZE,
        Action.REFUSE,
        Action.STOP,
        Action.WITHDRAW,
        Action.TRANSFER,
    }
)


# The fee's events the portal hears of: the request (status 6) and its end (paid or
# cancelled: the dossier's own status again, with DuocThanhToanTrucTuyen and DanhSachLePhi).
PAYMENT_STEPS = frozenset(
    {EventKind.REQUEST_PAYMENT, EventKind.CANCEL_PAYMENT_REQUEST, EventKind.RECORD_PAYMENT}
)


def step_status(
    action: Action | EventKind, state_after: State | str, *, received: bool, fee_due: bool = False
) -> PortalStatus:
    """The status a progress step reports: the state after the move, except a request to
    complete a dossier at reception (state unchanged), which is the portal's supplement, and
    a payment request, the portal's "nghĩa vụ tài chính"."""
    if action == Action.REQUEST_COMPLETION:
        return PortalStatus.SUPPLEMENT
    if action == EventKind.REQUEST_PAYMENT:
        return PortalStatus.FINANCIAL
    return portal_status(state_after, received=received, fee_due=fee_due)


def services_for(kind: str) -> tuple[str, ...]:
    """The calls one event of ``kind`` makes, in order (none when the portal need not know):
    the dossier as it now stands, then the step. Steps on the files (digitisation, signing)
    are not steps on the portal; what they change (HoSoCoThanhPhanSoHoa, DuocSoHoa, the
    result's papers) travels in the next move's upsert."""
    if kind in STEP_ACTIONS or kind in PAYMENT_STEPS:
        return (UPSERT, PROGRESS)
    return ()


# --- values on the wire ----------------------------------------------------------------------

TIME_FORMAT = "%Y%m%d%H%M%S"


def portal_time(moment: datetime | None) -> str:
    """``yyyyMMddHHmmss`` in Asia/Ho_Chi_Minh; empty when there is no moment."""
    if moment is None:
        return ""
    return moment.astimezone(LOCAL_TZ).strftime(TIME_FORMAT)


def parse_portal_time(text: str) -> datetime | None:
    """A portal time as an aware datetime (None for an empty value; ValueError when wrong)."""
    text = (text or "").strip()
    if not text:
        return None
    if len(text) != 14 or not text.isdigit():
        raise ValueError(f"Thời điểm “{text}” không đúng dạng yyyyMMddHHmmss.")
    return datetime.strptime(text, TIME_FORMAT).replace(tzinfo=LOCAL_TZ)


def accepted(answer: object) -> bool:
    """The portal accepted a call: its ``error_code`` is 0 or "0"/"00"."""
    if not isinstance(answer, dict):
        return False
    code = answer.get("error_code")
    if isinstance(code, bool):
        return False
    if isinstance(code, int):
        return code == 0
    return isinstance(code, str) and code.strip() in ("0", "00")


def answer_message(answer: object) -> str:
    """The portal's own words for a refusal (its ``message``/``error``), or its code."""
    if not isinstance(answer, dict):
        return "Cổng DVCQG trả lời không đúng dạng."
    for key in ("message", "error_message", "error", "msg"):
        value = answer.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()[:500]
    return f"Cổng DVCQG từ chối, mã lỗi {answer.get('error_code')}."


# --- retries ----------------------------------------------------------------------------------

FIRST_RETRY = timedelta(seconds=30)


def next_retry(attempts: int, cap: timedelta) -> timedelta:
    """Wait before the next try after ``attempts`` failed ones: 30 s, 1 min, 2 min, … doubling,
    never more than ``cap``."""
    if attempts < 1:
        return timedelta(0)
    return min(FIRST_RETRY * (2 ** min(attempts - 1, 20)), cap)


# --- matching our catalogue to the portal's ------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    ours: str  # our procedure code
    theirs: str  # the portal's MaTTHC
    their_name: str
    score: float  # 0–1, on the names without diacritics


def _words(name: str) -> str:
    return fold(name)


def suggest_matches(
    ours: list[tuple[str, str]], theirs: list[tuple[str, str]], *, threshold: float = 0.8
) -> list[Suggestion]:
    """For each of our procedures ``(code, name)`` the portal's procedure ``(MaTTHC, name)``
    whose name reads closest with diacritics and case ignored, when it is close enough; an
    exact code match wins outright. An official confirms each suggestion."""
    folded = [(code, name, _words(name)) for code, name in theirs]
    by_code = {code: name for code, name in theirs}
    out = []
    for code, name in ours:
        if code in by_code:
            out.append(Suggestion(code, code, by_code[code], 1.0))
            continue
        mine = _words(name)
        best = None
        for their_code, their_name, their_words in folded:
            score = difflib.SequenceMatcher(None, mine, their_words, autojunk=False).ratio()
            if best is None or score > best.score:
                best = Suggestion(code, their_code, their_name, round(score, 3))
        if best is not None and best.score >= threshold:
            out.append(best)
    return out


# --- looking a dossier up -------------------------------------------------------------------

# The words of the portal's refusal when it holds no dossier with the code asked (TraCuuHoSo):
# such a dossier is itself a difference, "chưa đồng bộ lên Cổng", not an error of the run.
NOT_FOUND_WORDS = ("khong tim thay", "khong ton tai")


def not_found(answer: object) -> bool:
    """The portal's answer says it has no such dossier."""
    words = fold(answer_message(answer))
    return any(w in words for w in NOT_FOUND_WORDS)


# --- what the pages show ------------------------------------------------------------------

SERVICE_LABELS = {
    UPSERT: "Gửi thông tin hồ sơ",
    PROGRESS: "Gửi bước xử lý",
    LOOKUP: "Tra cứu hồ sơ",
}

# A connector message may end in the Python error it caught, "(ConnectionRefusedError: …)":
# for the log, not for an official's screen.
_TECHNICAL = re.compile(r"\s*\([A-Za-z_][A-Za-z0-9_.]*: [^()]*\)")


def readable_answer(stored: str) -> str:
    """An outbox row's stored answer as an official reads it: the portal's own words when
    it answered (the answer is kept as JSON text), else the connector's Vietnamese message
    without the technical detail."""
    text = (stored or "").strip()
    if not text:
        return ""
    try:
        answer = json.loads(text)
    except ValueError:
        return _TECHNICAL.sub("", text)[:500]
    if isinstance(answer, str):
        return answer.strip()[:500]
    if not isinstance(answer, dict):
        return _TECHNICAL.sub("", text)[:500]
    if accepted(answer):
        message = answer.get("message")
        return (
            message.strip()[:500]
            if isinstance(message, str) and message.strip()
            else ("Cổng DVCQG đã nhận.")
        )
    return answer_message(answer)


_PORTAL_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def portal_code_problem(value: str, max_length: int) -> str | None:
    """Why ``value`` cannot be a code on the portal (a MaTTHC, a madonvi), or None: up to
    ``max_length`` letters without diacritics, digits, dots, hyphens and underscores."""
    if len(value) > max_length or not _PORTAL_CODE.fullmatch(value):
        return (
            f"Mã “{value}” không dùng được trên Cổng DVCQG: tối đa {max_length} ký tự gồm chữ "
            "cái không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới."
        )
    return None
