"""Writes on the catalogue: import of a catalogue file, with versions, recorded in the
configuration log (who imported what, how many procedures changed); values accepted from the
national portal's catalogue go the same way (a new version, one log row)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from motcua.accounts.models import User
from motcua.catalog.models import DEFAULT_PROCESS, Field, Procedure, ProcedureVersion
from motcua.catalog.queries import version_row
from motcua.core.components import parse_component
from motcua.core.dvcqg import portal_code_problem
from motcua.core.errors import AccessError, CatalogError, DomainError
from motcua.core.fees import Basis, describe, rule_to_dict
from motcua.core.formatting import number_vi
from motcua.core.procedure_rows import ProcedureRow, parse_rows, per_case
from motcua.core.text import fold, slugify_vi
from motcua.tabular import read_table
from motcua.units.access import is_admin
from motcua.units.audit import record_change
from motcua.units.models import ConfigChange


@dataclass(frozen=True)
class ImportResult:
    created: int
    new_versions: int
    unchanged: int

    def __str__(self) -> str:
        return (
            f"{self.created} thủ tục mới, {self.new_versions} thủ tục có phiên bản mới, "
            f"{self.unchanged} không đổi."
        )


def import_procedures_file(path: str | Path, *, by: User | None = None) -> ImportResult:
    """Import a CSV/XLSX catalogue file: all rows or none (raises with row-numbered errors)."""
    headers, rows = read_table(path)
    return import_procedure_rows(parse_rows(headers, rows), by=by, source=Path(path).name)


def field_for(name: str) -> Field:
    slug = slugify_vi(name)
    field_obj = Field.objects.filter(slug=slug).first()
    if field_obj is None:
        field_obj = Field.objects.create(name=name, slug=slug)
    return field_obj


@transaction.atomic
def import_procedure_rows(
    rows: list[ProcedureRow],
    *,
    by: User | None = None,
    source: str = "",
    before: dict | None = None,
    values: dict | None = None,
) -> ImportResult:
    """Upsert validated rows by code; a changed row becomes a new current version. The import
    and the codes it changed go in the configuration log, in the same transaction (with
    ``before`` and ``values``, when given: what each changed value was and became)."""
    created = new_versions = unchanged = 0
    changed_codes: list[str] = []
    existing = {
        p.code: p
        for p in Procedure.objects.select_for_update(of=("self",))
        .select_related("current_version")
        .filter(code__in=[r.code for r in rows])
    }
    for row in rows:
        digest = row.content_hash()
        procedure = existing.get(row.code)
        if (
            procedure
            and procedure.current_version
            and procedure.current_version.content_hash == digest
        ):
            unchanged += 1
            continue
        field_obj = field_for(row.field_name)
        if procedure is None:
            procedure = Procedure.objects.create(code=row.code, field=field_obj, name=row.name)
            number = 1
            created += 1
        else:
            number = (procedure.current_version.number if procedure.current_version else 0) + 1
            new_versions += 1
        version = ProcedureVersion.objects.create(
            procedure=procedure,
            number=number,
            name=row.name,
            field=field_obj,
            level=row.level,
            agency=row.agency,
            duration=row.duration,
            duration_unit=row.duration_unit,
            fee=row.fee,
            fee_rule=rule_to_dict(row.rule),
            fee_note=row.fee_note,
            online_level=row.online_level,
            cross_border=row.cross_border,
            components=[parse_component(name).as_dict() for name in row.components],
            result=row.result,
            result_system=row.result_system,
            process=DEFAULT_PROCESS,
            legal_basis=row.legal_basis,
            verified=row.verified,
            notes=row.notes,
            source=row.source,
            content_hash=digest,
        )
        procedure.current_version = version
        procedure.field = field_obj
        procedure.name = row.name
        procedure.is_active = True
        procedure.search_text = fold(f"{row.code} {row.name} {row.field_name}")
        procedure.save()
        changed_codes.append(row.code)
    result = ImportResult(created=created, new_versions=new_versions, unchanged=unchanged)
    after = {"created": created, "updated": new_versions, "unchanged": unchanged, "file": source}
    if values is not None:
        after["values"] = values
    record_change(
        ConfigChange.Kind.CATALOGUE,
        unit=None,
        actor=by,
        target=source or "danh mục thủ tục",
        before=before,
        after=after,
        note=", ".join(changed_codes[:200]),
    )
    return result


def check_accept_values(changes: dict[str, dict]) -> dict[str, Procedure]:
    """Every code is an active procedure of our catalogue, and something is to change."""
    if not changes:
        raise DomainError("Chưa chọn thủ tục nào để cập nhật.", "invalid")
    found = {
        p.code: p
        for p in Procedure.objects.select_related("current_version__field").filter(
            code__in=list(changes), is_active=True, current_version__isnull=False
        )
    }
    missing = sorted(set(changes) - set(found))
    if missing:
        raise DomainError(
            f"Không có thủ tục đang áp dụng mã {', '.join(missing)} trong danh mục.",
            "unknown_procedure",
        )
    return found


def _shown(value: object) -> object:
    """A row value as the log's JSON holds it (an amount of time as "2", not "2.00")."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value if isinstance(value, (int, str, bool)) or value is None else str(value)


def _rule_for_new_fee(current: ProcedureRow, values: dict) -> dict:
    """A new amount accepted from elsewhere moves the rule with it: an amount per case (or
    free) becomes the new amount per case; a rule by copies, pages or units says more than
    one amount can, and is refused (the catalogue file is the place to change it)."""
    if "fee" not in values or "fee_rule" in values or values["fee"] == current.fee:
        return {}
    rule = current.rule
    if rule == per_case(current.fee):  # no more than an amount per case (or free)
        return {"fee_rule": rule_to_dict(per_case(values["fee"]))}
    if rule.basis == Basis.PER_CASE and values["fee"]:  # its name, basis, exemptions kept
        return {"fee_rule": {**rule_to_dict(rule), "price": values["fee"]}}
    raise CatalogError(
        f"Thủ tục {current.code} tính phí, lệ phí “{describe(rule)}”: một mức thu "
        f"{number_vi(values['fee'])} đồng không thay được cách tính này; sửa trong tệp "
        "danh mục thủ tục.",
        "invalid_catalogue_file",
    )


@transaction.atomic
def accept_values(changes: dict[str, dict], *, by: User | None = None, source: str) -> ImportResult:
    """Apply values accepted from another catalogue (``{code: {row field: value}}``, e.g. the
    national portal's times and fees) to our procedures: each becomes a new version through
    the import's own path, with one configuration log row saying what each value was and
    became. All or nothing."""
    found = check_accept_values(changes)
    rows, before, after = [], {}, {}
    for code in sorted(changes):
        current = version_row(found[code])
        values = changes[code]
        rows.append(replace(current, **values, **_rule_for_new_fee(current, values)))
        before[code] = {k: _shown(getattr(current, k)) for k in values}
        after[code] = {k: _shown(v) for k, v in values.items()}
    return import_procedure_rows(rows, by=by, source=source, before=before, values=after)


# --- the procedures' codes on the national portal -----------------------------------------

CATALOGUE_ONLY_ADMIN = (
    "Chỉ quản trị hệ thống sửa được mã thủ tục trên Cổng DVCQG: danh mục thủ tục dùng chung "
    "cho mọi xã của máy chủ."
)


def check_portal_codes(user: User, codes: dict[str, str], *, lock: bool = False) -> dict[str, str]:
    """The procedures' new portal codes (our code → MaTTHC, blank: our own code) that differ
    from the stored ones, checked: an administrator, procedures of the catalogue, a portal
    code's characters, and no two procedures with one code on the portal once the change is
    made. ``lock``: hold the catalogue's rows (inside the writer's transaction)."""
    if not is_admin(user):
        raise AccessError(CATALOGUE_ONLY_ADMIN, "role_required")
    limit = Procedure._meta.get_field("portal_code").max_length
    cleaned: dict[str, str] = {}
    for ours, theirs in codes.items():
        theirs = (theirs or "").strip()
        if theirs:
            problem = portal_code_problem(theirs, limit)
            if problem:
                raise CatalogError(f"Thủ tục {ours}: {problem}", "invalid_portal_code")
        cleaned[ours] = "" if theirs == ours else theirs
    procedures = Procedure.objects.select_for_update() if lock else Procedure.objects
    known = dict(procedures.order_by("code").values_list("code", "portal_code"))
    unknown = sorted(set(cleaned) - set(known))
    if unknown:
        raise CatalogError(
            f"Không có thủ tục {', '.join(unknown[:5])} trong danh mục.", "unknown_procedure"
        )
    effective: dict[str, str] = {}
    for ours, theirs in {**known, **cleaned}.items():
        portal = theirs or ours
        if portal in effective and (ours in cleaned or effective[portal] in cleaned):
            raise CatalogError(
                f"Mã “{portal}” trên Cổng DVCQG đã gán cho thủ tục {effective[portal]}; "
                f"không gán cho cả thủ tục {ours}.",
                "invalid_portal_code",
            )
        effective[portal] = ours
    return {ours: theirs for ours, theirs in cleaned.items() if known[ours] != theirs}


def set_portal_codes(user: User, codes: dict[str, str]) -> int:
    """Sửa mã TTHC trên Cổng DVCQG of some procedures (all or none); return how many changed.
    One configuration-log row lists every change, in the same transaction."""
    with transaction.atomic():
        changes = check_portal_codes(user, codes, lock=True)
        if not changes:
            return 0
        before = {}
        for procedure in Procedure.objects.filter(code__in=list(changes)):
            before[procedure.code] = procedure.portal_code
            procedure.portal_code = changes[procedure.code]
            procedure.save(update_fields=["portal_code", "updated_at"])
        record_change(
            ConfigChange.Kind.PORTAL_CODES,
            unit=None,
            actor=user,
            target="Mã thủ tục trên Cổng DVCQG",
            before=before,
            after=changes,
            note=", ".join(sorted(changes)),
        )
    return len(changes)
