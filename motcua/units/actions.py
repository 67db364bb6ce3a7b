"""Writes on units and desks."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from motcua.core.text import fold, nfc
from motcua.units.models import Desk, Unit, validate_electronic_code


class UnitError(Exception):
    """A unit or desk request that cannot be carried out (Vietnamese message)."""


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
    *, unit_code: str, name: str | None = None, electronic_code: str | None = None
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
            "Hãy chạy “motcua load-units” trước, và dùng mã xã 5 chữ số (ví dụ 05605)."
        )
    if electronic_code is not None:
        electronic_code = electronic_code.strip().upper()
        try:
            validate_electronic_code(electronic_code)
        except ValidationError as exc:
            raise UnitError(exc.messages[0]) from exc
        clash = Desk.objects.filter(electronic_code=electronic_code).exclude(unit=unit)
        if clash.exists():
            raise UnitError(
                f"Mã định danh điện tử “{electronic_code}” đã được dùng cho {clash.first()}."
            )
    desk = Desk.objects.select_for_update().filter(unit=unit).first()
    if desk is None:
        desk = Desk.objects.create(
            unit=unit,
            name=nfc(name) if name else default_desk_name(unit),
            electronic_code=electronic_code or f"XA{unit.code}",
        )
        return desk, True
    changed = []
    if name and nfc(name) != desk.name:
        desk.name = nfc(name)
        changed.append("name")
    if electronic_code and electronic_code != desk.electronic_code:
        desk.electronic_code = electronic_code
        changed.append("electronic_code")
    if changed:
        desk.save(update_fields=changed)
    return desk, False
