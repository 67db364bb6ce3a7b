"""The ledger of a dossier (nhật ký xử lý): its append-only, hash-chained events.

Every change of a dossier — a move of the state machine (:class:`~motcua.core.lifecycle.Action`)
or a step on its files (:class:`~motcua.core.lifecycle.EventKind`) — appends exactly one event
here, while the writer holds the dossier's row lock (:func:`lock_dossier`), in the writer's
transaction. The log is the history of record, sealed with a key kept outside the database
(:func:`audit_key`): each event's seal covers its content, the dossier's previous event and the
unit's previous event, each unit's events are numbered without a gap (:class:`AuditHead`), and
the latest event seals the dossier's row (:data:`SEALED_FIELDS`). ``motcua audit verify``
(:mod:`motcua.dossiers.integrity`) checks all three; docs/audit.md says what it catches.

The one sanctioned upward call: :func:`append_event` moves the dossier's statistics counts
(:func:`motcua.reports.cells.count_dossier`) in the same transaction, so the aggregate cells
are exact by construction. Nothing else in this app imports a layer above it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import connection

from motcua.accounts.models import User
from motcua.core.audit import GENESIS, KEY_BYTES, event_seal, row_seal
from motcua.core.lifecycle import Action, EventKind, event_kind
from motcua.core.text import nfc_text
from motcua.dossiers.models import AuditHead, Dossier, DossierEvent
from motcua.keyfiles import read_or_create
from motcua.reports.cells import count_dossier
from motcua.rows import insert_rows

# The dossier's fields with legal weight, sealed by its latest event: a change of any of them
# behind the application's back shows in ``motcua audit verify``. (Not sealed: what only
# describes the paper's whereabouts or caches something else — stat_cell, folded name,
# digitisation flags, updated_at.)
SEALED_FIELDS = (
    "code",
    "unit_id",
    "procedure_id",
    "procedure_version_id",
    "channel",
    "state",
    "applicant_kind",
    "applicant_name",
    "applicant_id_number",
    "applicant_birth_date",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
    "representative",
    "submitted_at",
    "received_at",
    "due_at",
    "original_due_at",
    "paused_minutes",
    "done_at",
    "ended_at",
    "returned_at",
    "timeliness",
    "assigned_to_id",
    "fee_amount",
    "fee_paid_at",
    "fee_paid_via",
)


def audit_key() -> bytes:
    """The key that seals the log: MOTCUA_AUDIT_KEY_FILE, made (0600) on first use."""
    return _key(Path(settings.MOTCUA_AUDIT_KEY_FILE))


@cache
def _key(path: Path) -> bytes:
    return read_or_create(path, KEY_BYTES)


@cache
def _fields():
    meta = Dossier._meta
    return [(name, meta.get_field(name.removesuffix("_id"))) for name in SEALED_FIELDS]


def sealed_values(dossier: Dossier) -> dict:
    """The sealed fields of ``dossier`` as the database gives them back."""
    return {name: field.to_python(getattr(dossier, name)) for name, field in _fields()}


def take_numbers(unit_id: str, count: int = 1) -> tuple[int, str]:
    """Take the unit's next ``count`` event numbers: ``(first, seal of the event before)``.

    The head's row stays locked until the transaction ends, so the unit's events are numbered
    in the order they commit, without a gap; :func:`set_head` moves its seal."""
    table = connection.ops.quote_name(AuditHead._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (unit_id, last, head) VALUES (%s, %s, %s) "
            f"ON CONFLICT (unit_id) DO UPDATE SET last = {table}.last + excluded.last "
            "RETURNING last, head",
            [unit_id, count, GENESIS],
        )
        last, head = cursor.fetchone()
    return last - count + 1, head


def seal_chain(
    key: bytes,
    dossier: Dossier,
    events: list[DossierEvent],
    number: int,
    unit_prev: str,
    prev_hash: str = GENESIS,
) -> tuple[int, str]:
    """Number and seal ``events`` (``dossier``'s, in order of ``seq``) from unit number
    ``number`` on, after the unit's event sealed ``unit_prev`` and the dossier's sealed
    ``prev_hash``; the last one seals the dossier's row. Returns ``(next number, last seal)``."""
    for event in events:
        event.number, event.unit_prev, event.prev_hash = number, unit_prev, prev_hash
        event.row = row_seal(key, sealed_values(dossier)) if event is events[-1] else ""
        event.hash = event_seal(key, prev_hash, event_payload(event))
        number, unit_prev = number + 1, event.hash
        prev_hash = event.hash
    return number, unit_prev


def set_head(unit_id: str, seal: str) -> None:
    table = connection.ops.quote_name(AuditHead._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET head = %s WHERE unit_id = %s", [seal, unit_id])


def lock_dossier(pk) -> Dossier:
    """Read a dossier holding its row lock (SELECT … FOR UPDATE on PostgreSQL; on SQLite the
    writer's BEGIN IMMEDIATE already serialises writers). Call inside a transaction."""
    # The procedure and the version's field come with it: the portal's outbox row names them
    # on every move (motcua.dvcqg.payloads), one read instead of two more.
    return (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("procedure", "procedure_version__field", "unit")
        .get(pk=pk)
    )


def event_payload(event: DossierEvent) -> dict:
    """What the hash covers: everything about the event but its own hashes."""
    return {
        "dossier": str(event.dossier_id),
        "unit": event.unit_id,
        "seq": event.seq,
        "action": event.action,
        "from": event.from_state,
        "to": event.to_state,
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "role": event.actor_role,
        "at": event.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "note": event.note,
        "data": event.data,
        "number": event.number,
        "unit_prev": event.unit_prev,
        "row": event.row,
    }


def actor_fields(actor: User | None, dossier: Dossier) -> tuple[User | None, str]:
    """Who an event names: the official, or the applicant when nobody is logged in."""
    if actor is not None and actor.is_authenticated:
        return actor, actor.display_name
    return None, dossier.applicant_name


def append_event(
    dossier: Dossier,
    kind: Action | EventKind | str,
    *,
    actor: User | None,
    role: str,
    at: datetime,
    from_state: str | None = None,
    note: str = "",
    data: dict | None = None,
    first: bool = False,
) -> DossierEvent:
    """Append the next event of ``dossier``'s chain (the caller holds the dossier's row lock).

    Call it after the dossier's fields have their new values: it also moves the dossier's
    statistics counts to the cell of its new state. ``from_state`` defaults to the dossier's
    state (a step on its files changes no state). ``first``: the dossier was created in this
    transaction, so its chain is empty (saves reading the chain's tip).
    """
    kind = event_kind(kind)
    last = None if first else dossier.events.order_by("-seq").only("seq", "hash").first()
    user, name = actor_fields(actor, dossier)
    event = DossierEvent(
        dossier=dossier,
        unit_id=dossier.unit_id,
        seq=(last.seq + 1) if last else 1,
        action=kind.value,
        from_state=dossier.state if from_state is None else from_state,
        to_state=dossier.state,
        actor=user,
        actor_name=name,
        actor_role=role,
        at=at,
        note=nfc_text(note),
        data=data or {},
        prev_hash=last.hash if last else GENESIS,
    )
    number, unit_prev = take_numbers(dossier.unit_id)
    seal_chain(audit_key(), dossier, [event], number, unit_prev, event.prev_hash)
    insert_rows(DossierEvent, [event])
    set_head(dossier.unit_id, event.hash)
    count_dossier(dossier)
    return event
