"""Reads on units: the working calendar of a unit."""

from __future__ import annotations

from motcua.core.calendar import WorkCalendar, default_calendar
from motcua.units.models import Desk, Unit, parse_office_hours


def work_calendar_for_desk(desk: Desk) -> WorkCalendar:
    """The working calendar of a desk: national rules plus its office hours and overrides."""
    overrides = list(desk.calendar_overrides.values_list("date", "is_working_day"))
    return WorkCalendar(
        office_hours=parse_office_hours(desk.office_hours),
        extra_days_off=frozenset(d for d, working in overrides if not working),
        extra_working_days=frozenset(d for d, working in overrides if working),
    )


def work_calendar_for_unit(unit: Unit | None) -> WorkCalendar:
    """The unit's calendar, or the national default where the unit has no desk."""
    if unit is None:
        return default_calendar()
    desk = Desk.objects.filter(unit=unit).first()
    return work_calendar_for_desk(desk) if desk else default_calendar()
