"""Dossiers with a past: bulk creation with valid hash-chained events.

Used by the importer of past dossiers (``motcua import-dossiers``) and by the demo data. Both
write many rows at once; each dossier's events are chained and sealed in memory as
:func:`motcua.dossiers.ledger.append_event` does — numbered in the unit's log, the latest one
sealing the dossier's row — so ``motcua audit verify`` checks them like any other.

Rows go in with one ``executemany`` per table (:func:`motcua.rows.insert_rows`) rather than
``bulk_create``: Django compiles an INSERT of at most 999 parameters at a time on SQLite and
prepares every value through the field, which made the ORM's SQL building, not the database,
three quarters of an import's time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, models

from motcua.core.audit import GENESIS
from motcua.core.codes import DossierCodeError, parse_dossier_code
from motcua.core.text import fold
from motcua.counters import keep_at_least
from motcua.dossiers.ledger import (
    audit_key,
    seal_chain,
    set_head,
    take_numbers,
)
from motcua.dossiers.models import AuditHead, DailySequence, Dossier, DossierEvent
from motcua.reports.cells import count_new_dossiers
from motcua.rows import insert_rows


@dataclass
class Step:
    """One past event of a dossier."""

    action: str
    to_state: str
    at: datetime
    actor_name: str
    actor_role: str
    actor_id: int | None = None
    note: str = ""
    data: dict = field(default_factory=dict)


def chain_events(dossier: Dossier, steps: list[Step]) -> list[DossierEvent]:
    """The events of ``dossier`` from ``steps``, in order, not yet sealed (:func:`seal_events`)."""
    events = []
    from_state = ""
    for seq, step in enumerate(steps, start=1):
        events.append(
            DossierEvent(
                dossier=dossier,
                unit_id=dossier.unit_id,
                seq=seq,
                action=step.action,
                from_state=from_state,
                to_state=step.to_state,
                actor_id=step.actor_id,
                actor_name=step.actor_name,
                actor_role=step.actor_role,
                at=step.at,
                note=step.note,
                data=step.data,
            )
        )
        from_state = step.to_state
    return events


def seal_events(pairs: list[tuple[Dossier, list[DossierEvent]]]) -> None:
    """Number and seal the events of each dossier, as append_event would have one by one: the
    units' next numbers are taken in one block per unit, and the unit heads moved once."""
    key = audit_key()
    per_unit: dict[str, int] = defaultdict(int)
    for dossier, events in pairs:
        per_unit[dossier.unit_id] += len(events)
    heads = {unit: take_numbers(unit, count) for unit, count in per_unit.items() if count}
    for dossier, events in pairs:
        if events:
            heads[dossier.unit_id] = seal_chain(key, dossier, events, *heads[dossier.unit_id])
    for unit, (_, head) in heads.items():
        set_head(unit, head)


def bulk_save(pairs: list[tuple[Dossier, list[Step]]], batch_size: int = 2000) -> None:
    """Insert dossiers and their events, and count them in the statistics (the caller holds
    the transaction)."""
    dossiers = [d for d, _ in pairs]
    for dossier in dossiers:
        dossier.applicant_folded = dossier.applicant_folded or fold(dossier.applicant_name)
    count_new_dossiers(dossiers)
    insert_rows(Dossier, dossiers, batch_size=batch_size)
    chains = [(d, chain_events(d, steps)) for d, steps in pairs]
    seal_events(chains)
    insert_rows(DossierEvent, [e for _, events in chains for e in events], batch_size=batch_size)
    bump_sequences([d.code for d, _ in pairs if d.code])


def bump_sequences(codes: list[str]) -> None:
    """Raise each (unit code, day) counter above the numbers already used, so none is reused."""
    highest: dict[tuple[str, object], int] = defaultdict(int)
    for code in codes:
        try:
            parsed = parse_dossier_code(code)
        except DossierCodeError:
            continue  # a legacy code of another format: unique by itself
        key = (parsed.unit_code, parsed.received_on)
        highest[key] = max(highest[key], parsed.sequence)
    if not highest:
        return
    keep_at_least(
        DailySequence._meta.db_table,
        ("unit_code", "day"),
        [(unit, day, last) for (unit, day), last in highest.items()],
    )


def analyze(tables: Iterable[type[models.Model] | str] | None = None) -> None:
    """Refresh the query planner's statistics of ``tables`` (models or table names; None: the
    whole database). Call it after every bulk load, once the rows are committed.

    Why: SQLite never gathers statistics by itself and PostgreSQL's autovacuum does only after
    enough changes and some delay; a database never analysed after a bulk load answered the
    province list 10× slower (issue 9). PostgreSQL samples a table (30,000 rows), so this is
    cheap at any size; SQLite reads the table's indexes.
    """
    with connection.cursor() as cursor:
        if tables is None:
            cursor.execute("ANALYZE")
            return
        for table in tables:
            name = table if isinstance(table, str) else table._meta.db_table
            cursor.execute(f"ANALYZE {connection.ops.quote_name(name)}")


def reseal_unit(unit_id: str, batch: int = 1000) -> int:
    """Number and seal all of a unit's events again, dossier by dossier in order: only for a
    history written by the software itself before it was sealed — the demo's, once, at load
    time, after it inserted the result steps into past dossiers (docs/audit.md). Returns the
    number of events."""
    key = audit_key()
    events = DossierEvent.objects.filter(unit_id=unit_id)
    top = events.aggregate(top=models.Max("number"))["top"] or 0
    # out of the way first: the final numbers 1…N never meet one still held
    events.update(number=models.F("number") + top + 1)
    number, unit_prev, pending = 1, GENESIS, []
    current, chain = None, []

    def seal(chain: list[DossierEvent]) -> None:
        nonlocal number, unit_prev
        dossier = Dossier.objects.get(pk=chain[0].dossier_id)
        number, unit_prev = seal_chain(key, dossier, chain, number, unit_prev)
        pending.extend(chain)
        if len(pending) >= batch:
            flush()

    def flush() -> None:
        DossierEvent.objects.bulk_update(
            pending, ["number", "unit_prev", "row", "prev_hash", "hash"], batch_size=batch
        )
        pending.clear()

    for event in events.order_by("dossier_id", "seq").iterator(chunk_size=batch):
        if event.dossier_id != current and chain:
            seal(chain)
            chain = []
        current = event.dossier_id
        chain.append(event)
    if chain:
        seal(chain)
    flush()
    AuditHead.objects.update_or_create(
        unit_id=unit_id, defaults={"last": number - 1, "head": unit_prev}
    )
    return number - 1
