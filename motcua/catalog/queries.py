"""Reads on the catalogue, shared by the public pages and the API."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from motcua.catalog.models import Field, Procedure, ProcedureVersion
from motcua.core.procedure_rows import ALL_COLUMNS
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


def search_procedures(
    text: str = "", field_slug: str = "", online_only: bool = False
) -> QuerySet[Procedure]:
    """Active procedures matching every word of ``text`` (diacritics and case ignored)."""
    qs = Procedure.objects.filter(is_active=True).select_related("current_version", "field")
    for word in fold(text).split():
        qs = qs.filter(search_text__contains=word)
    if field_slug:
        qs = qs.filter(field__slug=field_slug)
    if online_only:
        qs = qs.exclude(current_version__online_level=ProcedureVersion.OnlineLevel.NONE)
    return qs.order_by("field__name", "code")


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


def export_rows() -> tuple[list[str], list[list]]:
    """The catalogue in the import format, so an export can be imported back unchanged."""
    rows = []
    for p in (
        Procedure.objects.filter(is_active=True)
        .select_related("current_version__field")
        .order_by("code")
    ):
        v = p.current_version
        rows.append(
            [
                p.code,
                v.name,
                v.field.name,
                v.level,
                v.agency,
                format(v.duration.normalize(), "f"),
                DURATION_UNIT_CODES[v.duration_unit],
                v.fee,
                v.online_level,
                int(v.cross_border),
                ";".join(c["name"] for c in v.components),
                v.fee_note,
                v.result,
                "xac_minh" if v.verified else "chua_xac_minh",
                v.notes,
                v.source,
                v.legal_basis,
                v.result_system,
            ]
        )
    return list(ALL_COLUMNS), rows
