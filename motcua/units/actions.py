"""Writes on units and desks. Every change of a desk's settings (its details, office hours,
calendar overrides) is an action with its record in the configuration log
(:mod:`motcua.units.audit`), in one transaction; who may make it is checked here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from motcua.accounts.models import User
from motcua.core.dvcqg import portal_code_problem
from motcua.core.errors import UnitError
from motcua.core.text import fold, nfc
from motcua.units.access import check_manage_unit
from motcua.units.audit import record_change
from motcua.units.models import (
    CalendarOverride,
    ConfigChange,
    Desk,
    Unit,
    parse_office_hours,
    validate_electronic_code,
)


@dataclass(frozen=True)
class LoadUnitsResult:
    provinces: int
    communes: int
    created: int


def province_code(number: int) -> str:
    return f"{number:02d}"


def commune_code(number: int) -> str:
    return f"{number:05d}"


@transaction.atomic
def load_units() -> LoadUnitsResult:
    """Load all provinces and communes from `vietnam-provinces`; idempotent (upsert by code)."""
    from vietnam_provinces import Province, Ward

    existing = set(Unit.objects.values_list("code", flat=True))
    provinces = [
        Unit(
            code=province_code(int(p.code)),
            name=nfc(p.name),
            division_type=p.division_type.value,
            level=Unit.Level.PROVINCE,
            name_folded=fold(p.name),
        )
        for p in Province.iter_all()
    ]
    communes = [
        Unit(
            code=commune_code(int(w.code)),
            name=nfc(w.name),
            division_type=w.division_type.value,
            level=Unit.Level.COMMUNE,
            province_id=province_code(int(w.province_code)),
            name_folded=fold(w.name),
        )
        for w in Ward.iter_all()
    ]
    fields = ["name", "division_type", "level", "province", "name_folded"]
    for batch in (provinces, communes):
        Unit.objects.bulk_create(
            batch,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=fields,
        )
    created = len({u.code for u in provinces + communes} - existing)
    return LoadUnitsResult(provinces=len(provinces), communes=len(communes), created=created)


def default_desk_name(unit: Unit) -> str:
    return f"Bộ phận Một cửa {unit.name[:1].lower()}{unit.name[1:]}"


@transaction.atomic
def create_desk(
    *,
    unit_code: str,
    name: str | None = None,
    electronic_code: str | None = None,
    by: User | None = None,
) -> tuple[Desk, bool]:
    """Create the one-stop desk of a commune, or update its given fields; idempotent.

    Returns ``(desk, created)``.
    """
    code = unit_code.strip()
    if code.isdigit():
        code = commune_code(int(code)) if len(code) > 2 else province_code(int(code))
    unit = Unit.objects.filter(code=code).select_related("province").first()
    if unit is None:
        raise UnitError(
            f"Không tìm thấy đơn vị hành chính mã “{unit_code}”. "
            "Hãy chạy “motcua load-units” trước, và dùng mã xã 5 chữ số (ví dụ 05605).",
            "unknown_unit",
        )
    if electronic_code is not None:
        electronic_code = electronic_code.strip().upper()
        try:
            validate_electronic_code(electronic_code)
        except ValidationError as exc:
            raise UnitError(exc.messages[0], "invalid_desk") from exc
        clash = Desk.objects.filter(electronic_code=electronic_code).exclude(unit=unit)
        if clash.exists():
            raise UnitError(
                f"Mã định danh điện tử “{electronic_code}” đã được dùng cho {clash.first()}.",
                "invalid_desk",
            )
    desk = Desk.objects.select_for_update().filter(unit=unit).first()
    if desk is None:
        desk = Desk.objects.create(
            unit=unit,
            name=nfc(name) if name else default_desk_name(unit),
            electronic_code=electronic_code or f"XA{unit.code}",
        )
        record_change(
            ConfigChange.Kind.DESK_CREATED,
            unit=unit,
            actor=by,
            target=desk.name,
            after=desk_summary(desk),
        )
        return desk, True
    before = desk_summary(desk)
    changed = []
    if name and nfc(name) != desk.name:
        desk.name = nfc(name)
        changed.append("name")
    if electronic_code and electronic_code != desk.electronic_code:
        desk.electronic_code = electronic_code
        changed.append("electronic_code")
    if changed:
        desk.save(update_fields=changed)
        record_change(
            ConfigChange.Kind.DESK_CHANGED,
            unit=unit,
            actor=by,
            target=desk.name,
            before=before,
            after=desk_summary(desk),
        )
    return desk, False


def desk_summary(desk: Desk) -> dict:
    return {
        "name": desk.name,
        "electronic_code": desk.electronic_code,
        "office_hours": desk.office_hours,
    }


# --- the desk's working calendar --------------------------------------------------------------


def override_summary(override: CalendarOverride) -> dict:
    return {
        "date": override.date.isoformat(),
        "is_working_day": override.is_working_day,
        "note": override.note,
    }


def override_label(day: date, working: bool) -> str:
    kind = "ngày làm việc (làm bù)" if working else "ngày nghỉ"
    return f"{day:%d/%m/%Y}: {kind}"


def check_override_day(day: date) -> date:
    if not 2000 <= day.year <= 2100:
        raise UnitError("Ngày phải nằm trong khoảng năm 2000 đến 2100.", "invalid_calendar")
    return day


def add_calendar_override(
    user: User, desk: Desk, day: date, is_working_day: bool, note: str = ""
) -> CalendarOverride:
    """Thêm ngày điều chỉnh lịch: an extra day off or a make-up working day of the unit.

    Due moments computed from now on follow it; dossiers already received keep theirs.
    """
    check_manage_unit(user, desk.unit)
    check_override_day(day)
    note = nfc(note)[:200]
    try:
        with transaction.atomic():
            override = CalendarOverride.objects.create(
                desk=desk, date=day, is_working_day=is_working_day, note=note
            )
            record_change(
                ConfigChange.Kind.OVERRIDE_ADDED,
                unit=desk.unit,
                actor=user,
                target=override_label(day, is_working_day),
                after=override_summary(override),
                note=note,
            )
    except IntegrityError:
        raise UnitError(
            "Ngày này đã có điều chỉnh; hãy xoá điều chỉnh cũ trước.", "duplicate_override"
        ) from None
    return override


def remove_calendar_override(user: User, desk: Desk, override_id: int) -> None:
    """Xoá ngày điều chỉnh lịch (the national calendar applies to that day again)."""
    check_manage_unit(user, desk.unit)
    with transaction.atomic():
        override = (
            CalendarOverride.objects.select_for_update().filter(pk=override_id, desk=desk).first()
        )
        if override is None:
            raise UnitError("Không có ngày điều chỉnh này.", "override_not_found")
        before = override_summary(override)
        override.delete()
        record_change(
            ConfigChange.Kind.OVERRIDE_REMOVED,
            unit=desk.unit,
            actor=user,
            target=override_label(override.date, override.is_working_day),
            before=before,
        )


def set_office_hours(user: User, desk: Desk, text: str) -> Desk:
    """Đổi giờ làm việc, e.g. "07:30-11:30,13:00-17:00" (due moments from now on follow)."""
    check_manage_unit(user, desk.unit)
    text = ",".join(part.strip() for part in (text or "").split(",") if part.strip())
    try:
        parse_office_hours(text)
    except ValueError as exc:
        raise UnitError(str(exc), "invalid_calendar") from exc
    return change_desk_field(user, desk, "office_hours", text, ConfigChange.Kind.OFFICE_HOURS, "")


RULES_LENGTH = 4000


def set_desk_rules(user: User, desk: Desk, text: str) -> Desk:
    """Nội quy of the desk, as the disclosure board shows it (NFC, at most 4.000 characters)."""
    check_manage_unit(user, desk.unit)
    text = nfc(text or "").replace("\x00", "").strip()
    if len(text) > RULES_LENGTH:
        raise UnitError("Nội quy dài quá 4.000 ký tự.", "invalid")
    return change_desk_field(user, desk, "rules", text, ConfigChange.Kind.DESK_CHANGED, "nội quy")


def change_desk_field(user: User, desk: Desk, name: str, value: str, kind: str, what: str) -> Desk:
    """Set one checked field of a desk, holding its row lock, with its configuration-log row
    (``what``: added to the desk's name in the log's target); nothing when it is unchanged."""
    with transaction.atomic():
        locked = Desk.objects.select_for_update().get(pk=desk.pk)
        before = getattr(locked, name)
        if before == value:
            return locked
        setattr(locked, name, value)
        locked.save(update_fields=[name])
        record_change(
            kind,
            unit=desk.unit,
            actor=user,
            target=f"{locked.name}: {what}" if what else locked.name,
            before={name: before},
            after={name: value},
        )
    return locked


# --- the desk's code on the national portal -----------------------------------------------


def check_portal_agency_code(desk: Desk, code: str) -> str:
    """The code as stored (blank: the desk's electronic code), or a UnitError: a portal code's
    characters, and no other desk already known to the portal by it."""
    code = (code or "").strip()
    if not code:
        return ""
    problem = portal_code_problem(code, Desk._meta.get_field("portal_agency_code").max_length)
    if problem:
        raise UnitError(problem, "invalid_portal_code")
    taken = (
        Desk.objects.exclude(pk=desk.pk)
        .filter(Q(portal_agency_code=code) | Q(portal_agency_code="", electronic_code=code))
        .first()
    )
    if taken is not None:
        raise UnitError(
            f"Mã “{code}” đã là mã trên Cổng DVCQG của {taken.name}: mỗi Bộ phận Một cửa "
            "một mã đơn vị.",
            "invalid_portal_code",
        )
    return "" if code == desk.electronic_code else code


def set_portal_agency_code(user: User, desk: Desk, code: str) -> Desk:
    """Sửa mã đơn vị trên Cổng DVCQG (madonvi) of a desk: its head or deputy, or an
    administrator. The calls already queued keep the code they were written with."""
    check_manage_unit(user, desk.unit)
    code = check_portal_agency_code(desk, code)
    return change_desk_field(
        user,
        desk,
        "portal_agency_code",
        code,
        ConfigChange.Kind.PORTAL_CODES,
        "mã đơn vị trên Cổng DVCQG",
    )
