"""Dossiers with a past: bulk creation with valid hash-chained events.

Used by the importer of past dossiers (``motcua import-dossiers``) and by the demo data. Both
write many rows at once with ``bulk_create``; each dossier's events are chained in memory with
the same hash as :func:`motcua.dossiers.actions.append_event` uses, so ``motcua audit verify``
checks them like any other.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection

from motcua.core.audit import GENESIS, event_hash
from motcua.core.codes import DossierCodeError, parse_dossier_code
from motcua.dossiers.actions import event_payload
from motcua.dossiers.models import DailySequence, Dossier, DossierEvent


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
    """The events of ``dossier`` from ``steps``, hashed in order."""
    events = []
    prev_hash, from_state = GENESIS, ""
    for seq, step in enumerate(steps, start=1):
        event = DossierEvent(
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
            prev_hash=prev_hash,
        )
        event.hash = event_hash(prev_hash, event_payload(event))
        prev_hash, from_state = event.hash, step.to_state
        events.append(event)
    return events


def bulk_save(pairs: list[tuple[Dossier, list[Step]]], batch_size: int = 2000) -> None:
    """Insert dossiers and their events (the caller holds the transaction)."""
    Dossier.objects.bulk_create([d for d, _ in pairs], batch_size=batch_size)
    events = [e for d, steps in pairs for e in chain_events(d, steps)]
    DossierEvent.objects.bulk_create(events, batch_size=batch_size)
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
    table = DailySequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (unit_code, day, last) VALUES (%s, %s, %s) "
            f"ON CONFLICT (unit_code, day) DO UPDATE SET last = "
            f"CASE WHEN {table}.last > excluded.last THEN {table}.last ELSE excluded.last END",
            [(unit, day, last) for (unit, day), last in highest.items()],
        )
