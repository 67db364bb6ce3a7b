"""Reads on the catalogue, shared by the public pages and the API."""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Length

from motcua.catalog.models import Field, Procedure, ProcedureVersion
from motcua.core.procedure_rows import ALL_COLUMNS, FEE_COLUMNS, ProcedureRow, fee_columns
from motcua.core.text import fold
from motcua.units.cache import cached


def active_procedure(code: str) -> Procedure | None:
    """The active procedure with ``code`` and its current version (None when there is none);
    cached per process (read it, never save it)."""
    return cached(
        ("procedure", code),
        lambda: (
            Procedure.objects.select_related("current_version", "current_version__field")
            .filter(code=code, is_active=True)
            .first()
        ),
    )


def procedure_for_portal_code(code: str) -> Procedure | None:
    """The active procedure the national portal calls ``code`` (its MaTTHC): the one mapped
    to it (``Procedure.portal_code``), else the one whose own code it is (cached per process)."""
    if not code:
        return None
    mapped = cached(
        ("portal_procedure", code),
        lambda: (
            Procedure.objects.select_related("current_version", "current_version__field")
            .filter(portal_code=code, is_active=True)
            .order_by("code")
            .first()
        ),
    )
    return mapped or active_procedure(code)


def name_rank(name: str, phrase: str) -> int:
    """How well a folded procedure name answers a folded query (smaller is better): the exact
    name, the name starting with the query, the query as a phrase in the name, every word of
    the query in the name, then the others (matched by code or field)."""
    if name == phrase:
        return 0
    if name.startswith(phrase):
        return 1
    if f" {phrase}" in f" {name}":
        return 2
    if all(word in name for word in phrase.split()):
        return 3
    return 4


def search_procedures(
    text: str = "", field_slug: str = "", online_only: bool = False
) -> QuerySet[Procedure]:
    """Active procedures matching every word of ``text`` (diacritics and case ignored), the
    most relevant first (:func:`name_rank`; then shorter names, which are the general case).

    The rank is computed on the matching names in Python (a catalogue has a few hundred
    procedures) and handed back to the database as one CASE, so callers still get a queryset
    to page, slice or serialise."""
    qs = Procedure.objects.filter(is_active=True).select_related("current_version", "field")
    words = fold(text).split()
    for word in words:
        qs = qs.filter(search_text__contains=word)
    if field_slug:
        qs = qs.filter(field__slug=field_slug)
    if online_only:
        qs = qs.exclude(current_version__online_level=ProcedureVersion.OnlineLevel.NONE)
    if not words:
        return qs.order_by("field__name", "code")
    phrase = " ".join(words)
    by_rank: dict[int, list[int]] = {}
    for pk, name in qs.values_list("pk", "name"):
        by_rank.setdefault(name_rank(fold(name), phrase), []).append(pk)
    rank = Case(
        *[When(pk__in=pks, then=Value(r)) for r, pks in sorted(by_rank.items()) if r < 4],
        default=Value(4),
        output_field=IntegerField(),
    )
    return qs.annotate(rank=rank).order_by("rank", Length("name"), "code")


def fields_with_counts() -> QuerySet[Field]:
    return (
        Field.objects.annotate(total=Count("procedures", filter=Q(procedures__is_active=True)))
        .filter(total__gt=0)
        .order_by("name")
    )


DURATION_UNIT_CODES = {
    "working_days": "ngay_lam_viec",
    "working_hours": "gio_lam_viec",
    "days": "ngay",
}


def version_row(procedure: Procedure) -> ProcedureRow:
    """The procedure's current version as a catalogue row (what an import of it would hold):
    the export writes it out, and a value accepted from elsewhere is applied to it and
    imported back (``catalog.actions.accept_values``)."""
    v = procedure.current_version
    return ProcedureRow(
        code=procedure.code,
        name=v.name,
        field_name=v.field.name,
        level=v.level,
        agency=v.agency,
        duration=v.duration,
        duration_unit=v.duration_unit,
        fee=v.fee,
        online_level=v.online_level,
        cross_border=v.cross_border,
        components=tuple(c["name"] for c in v.components),
        fee_note=v.fee_note,
        result=v.result,
        verified=v.verified,
        notes=v.notes,
        source=v.source,
        legal_basis=v.legal_basis,
        result_system=v.result_system,
        fee_rule=v.fee_rule,
    )


def export_rows() -> tuple[list[str], list[list]]:
    """The catalogue in the import format, so an export can be imported back unchanged."""
    rows = []
    for p in (
        Procedure.objects.filter(is_active=True)
        .select_related("current_version__field")
        .order_by("code")
    ):
        r = version_row(p)
        fees = fee_columns(r.fee, r.fee_rule)
        rows.append(
            [
                r.code,
                r.name,
                r.field_name,
                r.level,
                r.agency,
                format(r.duration.normalize(), "f"),
                DURATION_UNIT_CODES[r.duration_unit],
                r.fee,
                r.online_level,
                int(r.cross_border),
                ";".join(r.components),
                r.fee_note,
                r.result,
                "xac_minh" if r.verified else "chua_xac_minh",
                r.notes,
                r.source,
                r.legal_basis,
                r.result_system,
                *(fees[c] for c in FEE_COLUMNS),
            ]
        )
    return list(ALL_COLUMNS), rows
