"""Satisfaction ratings of a dossier's handling (đánh giá mức độ hài lòng): pure rules.

A rating belongs to one dossier and one channel, at most one per pair: the desk's tablet, the
QR code of the slip and the result, the link of the return message, and an official entering a
citizen's answer on their behalf (the API, the dossier's page). It has a quick answer on five
levels and, optionally, the nine criteria of the assessment of the handling of administrative
procedures, each scored 0, 1 or 2 (docs/ratings.md gives their legal source and its confidence).
It can be changed for ``CHANGE_DAYS`` after it was first given, then it is closed.

For 766 indicator 5.4 a rating of level 1 or 2 counts as a "dislike" (không hài lòng).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from motcua.core.errors import DomainError

CHANGE_DAYS = 7


class RatingError(DomainError):
    """A rating that cannot be taken (Vietnamese message)."""

    default_code = "invalid_rating"


class Channel(StrEnum):
    DESK = "desk"  # the tablet at the counter, in kiosk mode
    QR = "qr"  # the QR code on the receipt slip and on the result
    MESSAGE = "message"  # the link in the e-mail or SMS of the return
    OFFICIAL = "official"  # an official enters the citizen's answer for them


CHANNEL_LABELS = {
    Channel.DESK: "Máy tính bảng tại quầy",
    Channel.QR: "Mã QR trên giấy hẹn, kết quả",
    Channel.MESSAGE: "Đường dẫn trong tin nhắn",
    Channel.OFFICIAL: "Cán bộ ghi thay người dân",
}

LEVELS = {
    5: "Rất hài lòng",
    4: "Hài lòng",
    3: "Bình thường",
    2: "Không hài lòng",
    1: "Rất không hài lòng",
}
SATISFIED = frozenset({4, 5})
DISLIKE = frozenset({1, 2})

# The nine criteria (NĐ 61/2018/NĐ-CP on assessing the handling of administrative procedures;
# docs/ratings.md), each 0 (không đạt), 1 (đạt), 2 (tốt).
CRITERIA = {
    "total_time": "Tổng thời gian giải quyết so với quy định",
    "agency_time": "Thời gian giải quyết của từng cơ quan, đơn vị so với quy định",
    "contacts": "Số lần phải liên hệ để hoàn thiện hồ sơ",
    "agencies": "Số cơ quan, đơn vị phải liên hệ",
    "one_stop": "Tiếp nhận, giải quyết, trả kết quả tại Bộ phận Một cửa (hoặc trực tuyến)",
    "fees": "Thu phí, lệ phí đúng quy định",
    "attitude": "Tinh thần, thái độ của cán bộ, công chức",
    "publicity": "Mức độ công khai thủ tục hành chính",
    "feedback": "Tiếp thu, giải trình phản ánh, kiến nghị",
}
CRITERION_SCORES = {0: "Không đạt", 1: "Đạt", 2: "Tốt"}


@dataclass(frozen=True)
class Answer:
    level: int
    criteria: dict[str, int]


def check_answer(level, criteria: Mapping | None) -> Answer:
    """The level (1–5, a whole number) and the criteria (each one of :data:`CRITERIA`, scored
    0, 1 or 2; any may be left out) as given, checked."""
    if isinstance(level, bool) or not isinstance(level, int | str):
        raise RatingError("Mức hài lòng phải là số từ 1 đến 5.")
    text = str(level).strip()
    if not (text.isascii() and text.isdigit()) or int(text) not in LEVELS:
        raise RatingError("Mức hài lòng phải là số từ 1 đến 5.")
    scores: dict[str, int] = {}
    for key, value in (criteria or {}).items():
        if key not in CRITERIA:
            raise RatingError(f"Không có tiêu chí “{str(key)[:40]}”.")
        if isinstance(value, bool) or value not in CRITERION_SCORES:
            raise RatingError(f"Điểm của tiêu chí “{CRITERIA[key]}” phải là 0, 1 hoặc 2.")
        scores[key] = int(value)
    return Answer(int(text), scores)


def check_open(first_given: datetime | None, now: datetime) -> None:
    """A rating already given may be changed for CHANGE_DAYS, not after."""
    if first_given is not None and now - first_given > timedelta(days=CHANGE_DAYS):
        raise RatingError(
            f"Đánh giá đã gửi quá {CHANGE_DAYS} ngày nên không sửa được nữa.",
            "rating_closed",
        )


@dataclass(frozen=True)
class Summary:
    """Ratings counted: how many at each level, the satisfied share (levels 4–5) and the
    dislikes (levels 1–2); each criterion's average score."""

    count: int
    by_level: dict[int, int]
    satisfied: int
    dislikes: int
    criteria: dict[str, float]

    @property
    def satisfied_share(self) -> float | None:
        return self.satisfied / self.count if self.count else None


def summarise(answers: Iterable[Answer]) -> Summary:
    by_level = dict.fromkeys(LEVELS, 0)
    totals: dict[str, list[int]] = {key: [] for key in CRITERIA}
    for answer in answers:
        by_level[answer.level] += 1
        for key, score in answer.criteria.items():
            totals[key].append(score)
    count = sum(by_level.values())
    return Summary(
        count=count,
        by_level=by_level,
        satisfied=sum(by_level[level] for level in SATISFIED),
        dislikes=sum(by_level[level] for level in DISLIKE),
        criteria={key: sum(v) / len(v) for key, v in totals.items() if v},
    )
