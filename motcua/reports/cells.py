"""Keep the statistics cells exact: every dossier change moves its counts in the same transaction.

The one entry point for live changes is :func:`count_dossier`, called by
``motcua.dossiers.ledger.append_event`` — every change of a dossier appends exactly one event
while holding the dossier's row lock, so the cell is updated in that same transaction. That
call is the one sanctioned upward arrow from the ledger (docs/architecture.md): this module
depends on the dossier's model only, never on the ledger or the workflow. Bulk
loads (import from old software, demo data) call :func:`rebuild` afterwards.
`motcua stats verify` (:func:`verify`) recomputes every cell from the raw dossiers and compares.

Two tables, kept exact together: day cells (``StatCell``) and their roll-up by month
(``StatMonthCell``: the same key with the first day of each month). Every delta goes to both
in the same statement order and transaction (:func:`add_to_cells`), so a month cell is always
the sum of its day cells; reports read month cells for the whole months of a period.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import connection, transaction

from motcua.catalog.models import Field, ProcedureVersion
from motcua.core.localtime import LOCAL_TZ
from motcua.core.statistics import COUNT_FIELDS, CellKey, Counts, DossierFacts, cell_of, cells_of
from motcua.dossiers.models import ONLINE_PAYMENT, Dossier
from motcua.reports.models import NEVER, StatCell, StatMonthCell
from motcua.units.cache import cached

FACT_COLUMNS = (
    "unit_id",
    "procedure_version__field_id",
    "channel",
    "received_at",
    "due_at",
    "ended_at",
    "pending_supplement_since",
    "supplement_requests",
    "apologized_at",
    "components_digitised",
    "result_digitised",
    "reused_stored_document",
    # A version's fee never changes under its dossiers (a new fee is a new version,
    # catalog.actions), so a cell's fee count moves only when the dossier's own fee does.
    "procedure_version__fee",
    "fee_paid_via",
)


def exempt_fields() -> frozenset[int]:
    """Fields whose dossiers are not digitised (settings.MOTCUA_DIGITISATION_EXEMPT_FIELDS);
    cached per process with the catalogue (motcua.units.cache)."""
    names = tuple(settings.MOTCUA_DIGITISATION_EXEMPT_FIELDS)
    return cached(
        ("exempt_fields", names),
        lambda: frozenset(Field.objects.filter(name__in=names).values_list("pk", flat=True)),
    )


def _local(moment):
    return moment.astimezone(LOCAL_TZ) if moment is not None else None


def facts_from_row(row: tuple, exempt: frozenset[int]) -> DossierFacts:
    """DossierFacts from a ``values_list(*FACT_COLUMNS)`` row."""
    (
        unit,
        field,
        channel,
        received,
        due,
        ended,
        pending,
        requests,
        apologized,
        comp,
        res,
        reused,
        fee,
        paid_via,
    ) = row
    return DossierFacts(
        unit=unit,
        field=field,
        channel=channel,
        received_at=_local(received),
        due_at=_local(due),
        ended_at=_local(ended),
        pending_supplement_since=_local(pending),
        supplement_requests=requests,
        apologized_at=_local(apologized),
        digitisable=field not in exempt,
        components_digitised=comp,
        result_digitised=res,
        reused=reused,
        charged=bool(fee),
        paid_online=paid_via in ONLINE_PAYMENT,
    )


def facts_of(
    dossier: Dossier,
    version: tuple[int, int] | None = None,
    exempt: frozenset[int] | None = None,
) -> DossierFacts:
    """``version``: the (field id, fee) of its procedure version when the caller has them
    (bulk loads), else read from ``dossier.procedure_version``."""
    if version is None:
        version = (dossier.procedure_version.field_id, dossier.procedure_version.fee)
    field_id, fee = version
    return facts_from_row(
        (
            dossier.unit_id,
            field_id,
            dossier.channel,
            dossier.received_at,
            dossier.due_at,
            dossier.ended_at,
            dossier.pending_supplement_since,
            dossier.supplement_requests,
            dossier.apologized_at,
            dossier.components_digitised,
            dossier.result_digitised,
            dossier.reused_stored_document,
            fee,
            dossier.fee_paid_via,
        ),
        exempt if exempt is not None else exempt_fields(),
    )


def iter_facts(dossiers) -> Iterator[DossierFacts]:
    exempt = exempt_fields()
    for row in dossiers.values_list(*FACT_COLUMNS).iterator(chunk_size=5000):
        yield facts_from_row(row, exempt)


# --- the stored form of a dossier's contribution ---------------------------------------------


def encode(key: CellKey, counts: Counts) -> str:
    return json.dumps(
        [
            key.unit,
            key.field,
            key.received_day.isoformat(),
            key.ended_day.isoformat() if key.ended_day else None,
            key.overdue_from.isoformat() if key.overdue_from else None,
            [f for f in COUNT_FIELDS if getattr(counts, f)],
        ],
        separators=(",", ":"),
    )


def decode(text: str) -> tuple[CellKey, Counts] | None:
    if not text:
        return None
    unit, field, received, ended, overdue, ones = json.loads(text)
    key = CellKey(
        unit,
        field,
        date.fromisoformat(received),
        date.fromisoformat(ended) if ended else None,
        date.fromisoformat(overdue) if overdue else None,
    )
    return key, Counts(**{f: 1 for f in ones})


# --- writing cells ---------------------------------------------------------------------------


def db_key(key: CellKey) -> tuple:
    return (
        key.unit,
        key.received_day,
        key.field,
        key.ended_day or NEVER,
        key.overdue_from or NEVER,
    )


def month_of(day: date | None) -> date | None:
    return day.replace(day=1) if day is not None else None


def month_key(key: CellKey) -> CellKey:
    """The month cell a day cell rolls up into (its days replaced by their months' first)."""
    return CellKey(
        key.unit,
        key.field,
        month_of(key.received_day),
        month_of(key.ended_day),
        month_of(key.overdue_from),
    )


def by_month(cells: Iterable[tuple[CellKey, Counts]]) -> dict[CellKey, Counts]:
    out: dict[CellKey, Counts] = {}
    for key, counts in cells:
        out.setdefault(month_key(key), Counts()).add(counts)
    return out


# The day columns of each table's key (received, ended, overdue from).
DAY_KEY = ("received_day", "ended_day", "overdue_from")
MONTH_KEY = ("received_month", "ended_month", "overdue_month")


def _upsert_sql(table: str, day_columns: tuple[str, str, str]) -> str:
    received, ended, overdue = day_columns
    key = f"unit_id, {received}, field_id, {ended}, {overdue}"
    placeholders = ", ".join(["%s"] * (5 + len(COUNT_FIELDS)))
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in COUNT_FIELDS)
    return (
        f"INSERT INTO {table} ({key}, {', '.join(COUNT_FIELDS)}) VALUES ({placeholders}) "
        f"ON CONFLICT ({key}) DO UPDATE SET {updates}"
    )


DAY_UPSERT = _upsert_sql(StatCell._meta.db_table, DAY_KEY)
MONTH_UPSERT = _upsert_sql(StatMonthCell._meta.db_table, MONTH_KEY)


def _rows(cells: dict[CellKey, Counts]) -> list[tuple]:
    # Sorted by key: concurrent transactions lock the rows they share in the same order.
    return sorted(
        (*db_key(key), *(getattr(counts, f) for f in COUNT_FIELDS))
        for key, counts in cells.items()
        if not counts.is_zero()
    )


def add_to_cells(deltas: Iterable[tuple[CellKey, Counts]]) -> None:
    """Add (or, with negative counts, take away) counts: one atomic upsert per day cell, then
    one per month cell, in the caller's transaction (one statement per table)."""
    days: dict[CellKey, Counts] = {}
    for key, counts in deltas:
        days.setdefault(key, Counts()).add(counts)
    day_rows = _rows(days)
    month_rows = _rows(by_month(days.items()))
    with connection.cursor() as cursor:
        if day_rows:
            cursor.executemany(DAY_UPSERT, day_rows)
        if month_rows:
            cursor.executemany(MONTH_UPSERT, month_rows)


def negated(counts: Counts) -> Counts:
    out = Counts()
    out.sub(counts)
    return out


def count_dossier(dossier: Dossier, *, saved: bool = True) -> None:
    """Move ``dossier``'s counts to the cell its current state belongs to.

    The caller holds the dossier's row lock inside a transaction (``append_event`` does).
    ``saved=False``: the dossier is about to be inserted with ``stat_cell`` set here (intake
    counts it before its INSERT, saving an UPDATE).
    """
    found = cell_of(facts_of(dossier))
    text = encode(*found) if found else ""
    if text == dossier.stat_cell:
        return
    old = decode(dossier.stat_cell)
    deltas = []
    if old is not None:
        deltas.append((old[0], negated(old[1])))
    if found is not None:
        deltas.append(found)
    add_to_cells(deltas)
    dossier.stat_cell = text
    if saved:
        Dossier.objects.filter(pk=dossier.pk).update(stat_cell=text)


def count_new_dossiers(dossiers: list[Dossier]) -> None:
    """Count dossiers about to be bulk-inserted (history import, demo): sets their
    ``stat_cell`` and adds them to the cells. The caller holds the transaction."""

    version_ids = {d.procedure_version_id for d in dossiers}
    version_of = {
        pk: (field_id, fee)
        for pk, field_id, fee in ProcedureVersion.objects.filter(pk__in=version_ids).values_list(
            "pk", "field_id", "fee"
        )
    }
    exempt = exempt_fields()
    cells: dict[CellKey, Counts] = {}
    for dossier in dossiers:
        found = cell_of(facts_of(dossier, version_of[dossier.procedure_version_id], exempt))
        dossier.stat_cell = encode(*found) if found else ""
        if found is not None:
            cells.setdefault(found[0], Counts()).add(found[1])
    add_to_cells(cells.items())


@transaction.atomic
def rebuild(unit_codes: Iterable[str] | None = None) -> int:
    """Recompute the cells, day and month (of some units, or all), from the raw dossiers;
    returns the day cell count.

    Used after bulk loads and to repair; locks nothing but runs in one transaction.
    """
    dossiers = Dossier.objects.all()
    cells = StatCell.objects.all()
    months = StatMonthCell.objects.all()
    if unit_codes is not None:
        codes = list(unit_codes)
        dossiers = dossiers.filter(unit_id__in=codes)
        cells = cells.filter(unit_id__in=codes)
        months = months.filter(unit_id__in=codes)
    cells.delete()
    months.delete()
    computed: dict[CellKey, Counts] = {}
    updates: list[tuple[str, str]] = []
    exempt = exempt_fields()
    for pk, *row in dossiers.values_list("pk", *FACT_COLUMNS).iterator(chunk_size=5000):
        found = cell_of(facts_from_row(tuple(row), exempt))
        text = ""
        if found is not None:
            computed.setdefault(found[0], Counts()).add(found[1])
            text = encode(*found)
        updates.append((text, pk.hex if connection.vendor == "sqlite" else pk))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {Dossier._meta.db_table} SET stat_cell = %s WHERE id = %s", updates
        )
    store_cells(StatCell, DAY_KEY, computed)
    store_cells(StatMonthCell, MONTH_KEY, by_month(computed.items()))
    return len(computed)


def store_cells(model, day_columns: tuple[str, str, str], cells: dict[CellKey, Counts]) -> None:
    """Insert ``cells`` as rows of ``model`` (day or month cells), 2,000 at a time."""
    received, ended, overdue = day_columns
    model.objects.bulk_create(
        [
            model(
                unit_id=key.unit,
                field_id=key.field,
                **{received: key.received_day, ended: key.ended_day or NEVER},
                **{overdue: key.overdue_from or NEVER},
                **{f: getattr(counts, f) for f in COUNT_FIELDS},
            )
            for key, counts in cells.items()
        ],
        batch_size=2000,
    )


@dataclass
class Mismatch:
    """A stored cell that differs from what it should hold. ``month``: a month cell (its key's
    days are the first days of the months), compared with the sum of its stored day cells."""

    key: CellKey
    stored: Counts
    computed: Counts
    month: bool = False


def stored_cells(
    unit_codes: Iterable[str] | None = None, *, months: bool = False
) -> dict[CellKey, Counts]:
    """The stored day cells (``months``: month cells) with any non-zero count."""
    cells = (StatMonthCell if months else StatCell).objects.all()
    if unit_codes is not None:
        cells = cells.filter(unit_id__in=list(unit_codes))
    out: dict[CellKey, Counts] = {}
    for row in cells.values_list(
        "unit_id", "field_id", *(MONTH_KEY if months else DAY_KEY), *COUNT_FIELDS
    ).iterator(chunk_size=5000):
        key = CellKey(
            row[0],
            row[1],
            row[2],
            None if row[3] == NEVER else row[3],
            None if row[4] == NEVER else row[4],
        )
        counts = Counts(*row[5:])
        if not counts.is_zero():
            out[key] = counts
    return out


def _differences(stored: dict, computed: dict, month: bool) -> list[Mismatch]:
    out = []
    for key in sorted(set(computed) | set(stored), key=db_key):
        a, b = stored.get(key, Counts()), computed.get(key, Counts())
        if a != b:
            out.append(Mismatch(key, a, b, month))
    return out


def verify(unit_codes: Iterable[str] | None = None) -> list[Mismatch]:
    """Every cell whose stored counts differ from what it should hold: a day cell from the
    counts recomputed from the dossiers, a month cell from those recomputed day cells summed
    by month. No mismatch thus means day cells = recomputation and month cells = the sum of
    the day cells; a wrong day cell shows once (as a day cell), a drifted month cell once."""
    codes = list(unit_codes) if unit_codes is not None else None
    dossiers = Dossier.objects.all()
    if codes is not None:
        dossiers = dossiers.filter(unit_id__in=codes)
    computed = cells_of(iter_facts(dossiers))
    months = {k: c for k, c in by_month(computed.items()).items() if not c.is_zero()}
    return _differences(stored_cells(codes), computed, False) + _differences(
        stored_cells(codes, months=True), months, True
    )
