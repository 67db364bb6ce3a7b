"""Reads of the duty roster: a week's shifts, who is on duty now, who covers a field."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet

from motcua.core import roster as rules
from motcua.core.localtime import local
from motcua.roster.models import ServiceCounter, Shift


def counters(unit_id: str) -> QuerySet[ServiceCounter]:
    return ServiceCounter.objects.filter(unit_id=unit_id).prefetch_related("fields")


def shifts_between(unit_id: str, first: date, last: date) -> QuerySet[Shift]:
    return (
        Shift.objects.filter(unit_id=unit_id, day__gte=first, day__lte=last)
        .select_related("official", "counter", "stand_in_for")
        .prefetch_related("fields", "official__fields")
        .order_by("day", "part", "counter__number", "official__full_name")
    )


def field_names(shift: Shift) -> list[str]:
    """The fields the shift covers: its own, else its official's."""
    fields = list(shift.fields.all()) or list(shift.official.fields.all())
    return sorted(f.name for f in fields)


def covers(shift: Shift, field_id: int | None) -> bool:
    if field_id is None:
        return True
    own = [f.pk for f in shift.fields.all()]
    return field_id in (own or [f.pk for f in shift.official.fields.all()])


def on_duty(unit_id: str, now: datetime) -> list[Shift]:
    """The shifts of this half-day (local time)."""
    moment = local(now)
    today = shifts_between(unit_id, moment.date(), moment.date())
    return [s for s in today if rules.on_duty_at(rules.Part(s.part), moment.time())]


@dataclass(frozen=True)
class WeekCell:
    day: date
    part: rules.Part
    shifts: list[Shift]


def week(unit_id: str, monday: date) -> list[tuple[date, str, list[WeekCell]]]:
    """The week as rows of days, each with its morning and afternoon (a whole-day shift in
    both)."""
    days = rules.week_of(monday)
    shifts = list(shifts_between(unit_id, days[0], days[-1]))
    rows = []
    for day in days:
        cells = [
            WeekCell(
                day,
                part,
                [s for s in shifts if s.day == day and part in rules.halves(rules.Part(s.part))],
            )
            for part in (rules.Part.MORNING, rules.Part.AFTERNOON)
        ]
        rows.append((day, rules.day_label(day), cells))
    return rows
