"""The portal's procedure catalogue through the connector (``motcua dvcqg pull-catalogue``):
fetch it (LayDanhSachTTHC, then LayThuTuc for each procedure we also have), compare it with
our active procedures (:mod:`motcua.core.portal_catalogue`), show the differences in
Vietnamese, and apply the ones an official accepts through the catalogue's own write
(:func:`motcua.catalog.actions.accept_values`: a new version, one configuration log row).

Nothing changes without an explicit accept. The portal's field names are configured in one
place: ``MOTCUA_DVCQG_CATALOGUE_FIELDS`` over :data:`~motcua.core.portal_catalogue.FIELD_NAMES`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace

from django.conf import settings

from motcua.catalog.actions import ImportResult, accept_values
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.core import portal_catalogue as pc
from motcua.core.dvcqg import PROCEDURE, PROCEDURES
from motcua.core.formatting import money_vi
from motcua.dvcqg.client import Connector, Refused

SOURCE = "Danh mục thủ tục trên Cổng DVCQG"


def configured_names() -> dict[str, str]:
    """The portal's field names: the defaults with ``MOTCUA_DVCQG_CATALOGUE_FIELDS`` (a JSON
    object, e.g. ``{"duration": "ThoiGianGiaiQuyet"}``); ValueError in Vietnamese when wrong."""
    text = (getattr(settings, "MOTCUA_DVCQG_CATALOGUE_FIELDS", "") or "").strip()
    if not text:
        return dict(pc.FIELD_NAMES)
    try:
        overrides = json.loads(text)
    except ValueError as exc:
        raise ValueError("MOTCUA_DVCQG_CATALOGUE_FIELDS không phải JSON hợp lệ.") from exc
    if not isinstance(overrides, dict):
        raise ValueError("MOTCUA_DVCQG_CATALOGUE_FIELDS phải là một đối tượng JSON {…}.")
    return pc.field_names(overrides)


def our_procedures() -> list[pc.OurProcedure]:
    """Our active procedures, each with its current version's values."""
    out = []
    for p in Procedure.objects.filter(is_active=True, current_version__isnull=False).select_related(
        "current_version__field"
    ):
        v = p.current_version
        out.append(
            pc.OurProcedure(
                code=p.code,
                portal_code=p.portal_code,
                values=pc.CatalogueValues(
                    name=v.name,
                    field_name=v.field.name,
                    duration=pc.Duration(v.duration, v.duration_unit),
                    fee=v.fee,
                    online_level=v.online_level,
                    level=v.level,
                ),
            )
        )
    return out


@dataclass
class PulledCatalogue:
    comparison: pc.CatalogueComparison
    names: dict[str, str]  # our code → name, for the table
    warnings: list[str] = field(default_factory=list)
    calls: int = 0


def pull(connector: Connector, madonvi: str = "") -> PulledCatalogue:
    """Fetch the portal's catalogue and compare it with ours (reads only). Raises the client's
    errors (Unreachable, LoginRefused, Refused) and CatalogueShapeError."""
    names = configured_names()
    unit = {"madonvi": madonvi} if madonvi else {}
    listed = pc.listed_procedures(connector.result({"service": PROCEDURES, **unit}, share=True))
    listed_names = {p.code: p.name for p in listed}
    ours = our_procedures()
    theirs: dict[str, pc.CatalogueValues] = {}
    warnings = []
    for procedure in ours:
        if procedure.key not in listed_names:
            continue
        body = {"service": PROCEDURE, "maTTHC": procedure.key, **unit}
        try:
            values = pc.read_procedure(connector.result(body, share=True), names)
        except Refused as exc:
            warnings.append(
                f"Cổng không trả thông tin chi tiết thủ tục {procedure.key}: {exc.message} "
                "(chỉ so sánh tên)."
            )
            values = pc.CatalogueValues()
        if values.name is None:  # the list's name when the procedure's answer lacks one
            values = replace(values, name=listed_names[procedure.key] or None)
        theirs[procedure.key] = values
    comparison = pc.compare_catalogue(ours, listed, theirs)
    return PulledCatalogue(
        comparison,
        {p.code: p.values.name or "" for p in ours},
        warnings,
        connector.calls,
    )


# --- showing it ---------------------------------------------------------------------------------


def value_text(attribute: str, value: object) -> str:
    """A compared value as the catalogue pages write it."""
    if value is None:
        return "—"
    if isinstance(value, pc.Unreadable):
        return f"“{value.raw}” (phần mềm không có giá trị này)"
    if attribute == "duration":
        assert isinstance(value, pc.Duration)
        return ProcedureVersion(duration=value.value, duration_unit=value.unit).duration_display
    if attribute == "fee":
        return money_vi(int(value))
    if attribute == "online_level":
        return ProcedureVersion.OnlineLevel(value).label
    if attribute == "level":
        return ProcedureVersion.Level(value).label
    return str(value)


HEADERS = ("Thủ tục", "Nội dung", "Phần mềm Một cửa", "Cổng DVCQG")


def difference_rows(pulled: PulledCatalogue) -> list[tuple[str, str, str, str]]:
    """One row per difference; the procedure is named on its first row only, and an empty row
    comes between two procedures."""
    rows = []
    shown = ""
    for change in pulled.comparison.changes:
        who = ""
        if change.code != shown:
            if shown:
                rows.append(("", "", "", ""))
            shown = change.code
            code = change.code
            if change.portal_code != change.code:
                code = f"{change.code} (trên Cổng: {change.portal_code})"
            who = f"{code} {pulled.names.get(change.code, '')}".strip()
        rows.append(
            (
                who,
                change.label,
                value_text(change.attribute, change.ours),
                value_text(change.attribute, change.theirs),
            )
        )
    return rows


def _cut(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters, broken between words."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        while len(word) > width:
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:width])
            word = word[width:]
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line = f"{line} {word}"
        else:
            lines.append(line)
            line = word
    if line or not lines:
        lines.append(line)
    return lines


def table(headers: tuple[str, ...], rows: list[tuple[str, ...]], widths: tuple[int, ...]) -> str:
    """A plain-text table with wrapped cells, for a terminal."""

    def line(cells: tuple[str, ...]) -> list[str]:
        parts = [_cut(c, w) for c, w in zip(cells, widths, strict=True)]
        height = max(len(p) for p in parts)
        return [
            "  ".join(
                (p[i] if i < len(p) else "").ljust(w) for p, w in zip(parts, widths, strict=True)
            ).rstrip()
            for i in range(height)
        ]

    out = line(headers)
    out.append("  ".join("-" * w for w in widths))
    for row in rows:
        out.extend(line(row))
    return "\n".join(out)


def report(pulled: PulledCatalogue, *, accepting: bool = False) -> str:
    """The comparison as the command prints it (``accepting``: without the hint on how to
    accept)."""
    c = pulled.comparison
    changed = c.changed_codes()
    lines = [
        f"Đối chiếu danh mục thủ tục với Cổng DVCQG: {c.matched} thủ tục có trên cả hai, "
        f"{len(changed)} thủ tục có khác biệt ({len(c.changes)} nội dung), "
        f"{len(c.only_ours)} chỉ có trong phần mềm, {len(c.only_portal)} chỉ có trên Cổng.",
    ]
    if c.changes:
        lines += ["", table(HEADERS, difference_rows(pulled), (40, 20, 30, 30))]
    if c.only_ours:
        lines += ["", f"Chỉ có trong phần mềm Một cửa ({len(c.only_ours)}):"]
        lines += [f"  {p.key}  {p.values.name or ''}".rstrip() for p in c.only_ours]
    if c.only_portal:
        lines += ["", f"Chỉ có trên Cổng DVCQG ({len(c.only_portal)}):"]
        lines += [f"  {p.code}  {p.name}".rstrip() for p in c.only_portal]
    if pulled.warnings:
        lines += ["", *pulled.warnings]
    if c.changes and not accepting:
        lines += [
            "",
            "Chưa thay đổi gì. Để dùng giá trị của Cổng cho một thủ tục: "
            "motcua dvcqg pull-catalogue --accept MÃ_TTHC (lặp lại được), hoặc --accept-all.",
        ]
    return "\n".join(lines)


# --- accepting ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Accepted:
    result: ImportResult
    codes: list[str]
    skipped: list[pc.Change]  # values the catalogue cannot hold, left as they are


def accept(comparison: pc.CatalogueComparison, codes: list[str] | None, *, by=None) -> Accepted:
    """Apply the portal's values of the procedures ``codes`` (ours or the portal's; None:
    every procedure that differs) in one transaction. ValueError (nothing changed) when a code
    has no difference."""
    wanted = comparison.changed_codes() if codes is None else list(dict.fromkeys(codes))
    unknown = [code for code in wanted if not comparison.changes_of(code)]
    if unknown:
        raise ValueError(
            f"Thủ tục {', '.join(unknown)} không có khác biệt nào với Cổng DVCQG để cập nhật."
        )
    changes: dict[str, dict] = {}
    skipped: list[pc.Change] = []
    for code in wanted:
        for change in comparison.changes_of(code):
            if change.applicable:
                changes.setdefault(change.code, {}).update(change.row_values())
            else:
                skipped.append(change)
    if not changes:
        raise ValueError("Các giá trị của Cổng DVCQG được chọn không dùng được trong phần mềm.")
    result = accept_values(changes, by=by, source=SOURCE)
    return Accepted(result, sorted(changes), skipped)
