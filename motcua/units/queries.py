"""Reads on units: a unit's desk and its working calendar."""

from __future__ import annotations

from motcua.core import lifecycle
from motcua.core.calendar import WorkCalendar, default_calendar
from motcua.core.errors import AccessError
from motcua.units.cache import cached
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


def desk_of_unit(unit_id: str) -> Desk:
    """The desk of a unit, with its unit (cached per process: read it, never save it)."""
    return cached(
        ("desk", unit_id),
        lambda: Desk.objects.select_related("unit", "unit__province").get(unit_id=unit_id),
    )


def desk_for_agency_code(code: str) -> Desk | None:
    """The desk whose agency code on the national portal (madonvi) is ``code``: the code
    mapped to it, else its electronic code when none is mapped (cached per process)."""

    def load() -> Desk | None:
        desks = Desk.objects.select_related("unit").order_by("unit_id")
        return (
            desks.filter(portal_agency_code=code).first()
            or desks.filter(portal_agency_code="", electronic_code=code).first()
        )

    return cached(("agency_desk", code), load) if code else None


def calendar_for_unit(unit_id: str) -> WorkCalendar:
    """The working calendar of a unit's desk, its office hours and overrides (cached per
    process; a WorkCalendar is immutable)."""
    return cached(("calendar", unit_id), lambda: work_calendar_for_desk(desk_of_unit(unit_id)))


def desk_for_intake(user) -> Desk:
    """The desk where ``user`` receives dossiers: their own commune's, if their role receives."""
    desk = Desk.objects.select_related("unit").filter(unit_id=user.unit_id).first()
    if desk is None or not user.has_role(*lifecycle.DESK):
        raise AccessError("Chỉ cán bộ Bộ phận Một cửa của xã mới tiếp nhận hồ sơ.", "role_required")
    return desk
