"""The duty roster (lịch trực) of a desk: pure rules.

A shift is one official on duty on one day, in the morning, the afternoon or the whole day, at
a counter of the desk or — the option the seed asks for, for the commune police whose work
cannot move to the desk — at their own office, whose place the desk shows the citizen. A
shift covers fields (lĩnh vực); it may be a stand-in for another official.

Who is offered a new dossier that arrives without an official (an online one): among the
officials on duty now whose shift covers the dossier's field, the one with the fewest open
dossiers, then the fewest due within three working days, then the one who has waited longest
(the smallest id, for a stable answer). Nobody on duty for the field: nobody is chosen, and
the dossier waits for the field's officials as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from motcua.core.errors import DomainError

NOON = time(12, 0)
WEEK = 7


class RosterError(DomainError):
    default_code = "invalid_shift"


class Part(StrEnum):
    MORNING = "morning"
    AFTERNOON = "afternoon"
    DAY = "day"


PART_LABELS = {Part.MORNING: "Sáng", Part.AFTERNOON: "Chiều", Part.DAY: "Cả ngày"}
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


def halves(part: Part) -> frozenset[Part]:
    """The half-days a shift takes: two shifts of one official overlap when these meet."""
    return frozenset({Part.MORNING, Part.AFTERNOON}) if part == Part.DAY else frozenset({part})


def part_at(moment: time) -> Part:
    return Part.MORNING if moment < NOON else Part.AFTERNOON


def on_duty_at(part: Part, moment: time) -> bool:
    return part == Part.DAY or part == part_at(moment)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_of(monday: date) -> list[date]:
    return [monday + timedelta(days=i) for i in range(WEEK)]


def day_label(day: date) -> str:
    return f"{WEEKDAYS[day.weekday()]} {day:%d/%m}"


@dataclass(frozen=True)
class Candidate:
    official: int
    open_dossiers: int
    due_soon: int


def pick(candidates: Iterable[Candidate]) -> int | None:
    """The official offered the next dossier: the least loaded (docstring of the module)."""
    best = min(candidates, key=lambda c: (c.open_dossiers, c.due_soon, c.official), default=None)
    return None if best is None else best.official


def check_part(value) -> Part:
    try:
        return Part(value)
    except ValueError:
        raise RosterError("Ca trực phải là sáng, chiều hoặc cả ngày.") from None


def is_now(day: date, part: Part, now: datetime) -> bool:
    return day == now.date() and on_duty_at(part, now.time())
