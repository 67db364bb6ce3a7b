"""Changing the duty roster: counters and shifts, by the desk's head or deputy (or an
administrator), each change one row of the configuration log in its transaction.

A shift is refused, with nothing stored, for a person who is not an active official of the same
commune (issue 14, item 7), a counter of another desk, a day the desk is closed, a stand-in for
themselves or for someone of another commune, at their own office without saying where, or one
that overlaps a shift of the same official."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction

from motcua.accounts.models import User
from motcua.catalog.models import Field
from motcua.core import roster as rules
from motcua.core.roster import RosterError
from motcua.core.text import nfc
from motcua.roster.models import ServiceCounter, Shift
from motcua.units.access import active_official, check_manage_unit
from motcua.units.audit import record_change
from motcua.units.models import Unit
from motcua.units.queries import calendar_for_unit


@dataclass(frozen=True)
class ShiftData:
    day: date
    part: str
    official_id: int | str
    counter_id: int | str | None = None
    at_own_office: bool = False
    place: str = ""
    field_ids: list = field(default_factory=list)
    stand_in_for_id: int | str | None = None
    note: str = ""


def _member(unit: Unit, pk, what: str) -> User:
    found = active_official(unit.code, pk)
    if found is None:
        raise RosterError(
            f"{what} phải là cán bộ, công chức đang làm việc của {unit.name}.", "invalid_shift"
        )
    return found


def _fields(ids) -> list[Field]:
    ids = [int(i) for i in ids if str(i).isdigit()]
    found = list(Field.objects.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise RosterError("Có lĩnh vực không có trong danh mục.")
    return found


def check_shift(user: User, unit: Unit, data: ShiftData) -> dict:
    check_manage_unit(user, unit)
    part = rules.check_part(data.part)
    if not isinstance(data.day, date):
        raise RosterError("Hãy chọn ngày trực (dd/mm/yyyy).")
    if not calendar_for_unit(unit.code).is_working_day(data.day):
        raise RosterError(
            f"Ngày {data.day:%d/%m/%Y} là ngày nghỉ theo lịch làm việc của xã; không xếp ca trực."
        )
    official = _member(unit, data.official_id, "Người trực")
    stand_in_for = None
    if data.stand_in_for_id not in (None, ""):
        stand_in_for = _member(unit, data.stand_in_for_id, "Người được trực thay")
        if stand_in_for == official:
            raise RosterError("Một người không trực thay cho chính mình.")
    counter = None
    if data.counter_id not in (None, ""):
        counter = ServiceCounter.objects.filter(pk=data.counter_id, unit=unit).first()
        if counter is None:
            raise RosterError("Quầy không thuộc Bộ phận Một cửa của xã.")
    place = nfc(data.place or "").replace("\x00", "").strip()[:300]
    if data.at_own_office and not place:
        raise RosterError("Hãy ghi nơi tiếp nhận (trụ sở riêng) để người dân biết nơi đến.")
    if data.at_own_office and counter is not None:
        raise RosterError("Người tiếp nhận tại trụ sở riêng thì không ngồi quầy.")
    taken = Shift.objects.filter(unit=unit, day=data.day, official=official)
    if any(rules.halves(part) & rules.halves(rules.Part(s.part)) for s in taken):
        raise RosterError(
            f"{official.display_name} đã có ca trực trùng buổi ngày {data.day:%d/%m/%Y}."
        )
    return {
        "part": part,
        "official": official,
        "stand_in_for": stand_in_for,
        "counter": counter,
        "place": place if data.at_own_office else "",
        "fields": _fields(data.field_ids),
        "note": nfc(data.note or "").replace("\x00", "").strip()[:200],
    }


def add_shift(user: User, unit: Unit, data: ShiftData) -> Shift:
    checked = check_shift(user, unit, data)
    with transaction.atomic():
        shift = Shift.objects.create(
            unit=unit,
            day=data.day,
            part=checked["part"],
            official=checked["official"],
            counter=checked["counter"],
            at_own_office=bool(data.at_own_office),
            place=checked["place"],
            stand_in_for=checked["stand_in_for"],
            note=checked["note"],
        )
        shift.fields.set(checked["fields"])
        record_change(
            "shift_added",
            unit=unit,
            actor=user,
            target=f"{data.day:%d/%m/%Y} {shift.part_label}: {shift.official.display_name}",
            after=describe(shift),
        )
    return shift


def describe(shift: Shift) -> dict:
    return {
        "day": shift.day.isoformat(),
        "part": shift.part,
        "official": shift.official.display_name,
        "counter": shift.counter.label if shift.counter_id else "",
        "at_own_office": shift.at_own_office,
        "place": shift.place,
        "fields": sorted(f.name for f in shift.fields.all()),
        "stand_in_for": shift.stand_in_for.display_name if shift.stand_in_for_id else "",
    }


def remove_shift(user: User, unit: Unit, pk) -> None:
    check_manage_unit(user, unit)
    with transaction.atomic():
        # no ordering: the model's (by the counter's number) would join the counter, which a
        # row lock cannot take on PostgreSQL
        shift = Shift.objects.select_for_update().filter(pk=pk, unit=unit).order_by().first()
        if shift is None:
            raise RosterError("Không có ca trực này.", "not_found")
        before = describe(shift)
        shift.delete()
        record_change(
            "shift_removed",
            unit=unit,
            actor=user,
            target=f"{before['day']} {before['part']}: {before['official']}",
            before=before,
        )


def copy_week(user: User, unit: Unit, source_monday: date, target_monday: date) -> int:
    """The shifts of one week again in another, day for day; a day the desk is closed in the
    target week, or a shift that would overlap, is left out. Returns how many were added."""
    check_manage_unit(user, unit)
    added = 0
    with transaction.atomic():
        for shift in Shift.objects.filter(
            unit=unit, day__gte=source_monday, day__lt=source_monday + timedelta(days=rules.WEEK)
        ).prefetch_related("fields"):
            day = target_monday + (shift.day - source_monday)
            data = ShiftData(
                day=day,
                part=shift.part,
                official_id=shift.official_id,
                counter_id=shift.counter_id,
                at_own_office=shift.at_own_office,
                place=shift.place,
                field_ids=[f.pk for f in shift.fields.all()],
                stand_in_for_id=shift.stand_in_for_id,
                note=shift.note,
            )
            try:
                add_shift(user, unit, data)
            except RosterError:
                continue
            added += 1
    return added


def save_counter(user: User, unit: Unit, number, name: str, field_ids) -> ServiceCounter:
    check_manage_unit(user, unit)
    if not str(number).isdigit() or not 1 <= int(number) <= 99:
        raise RosterError("Số quầy là số từ 1 đến 99.")
    fields = _fields(field_ids)
    with transaction.atomic():
        counter, created = ServiceCounter.objects.get_or_create(unit=unit, number=int(number))
        before = None if created else {"name": counter.name}
        counter.name = nfc(name or "").replace("\x00", "").strip()[:120]
        counter.save()
        counter.fields.set(fields)
        record_change(
            "counter",
            unit=unit,
            actor=user,
            target=counter.label,
            before=before,
            after={"name": counter.name, "fields": sorted(f.name for f in fields)},
        )
    return counter
