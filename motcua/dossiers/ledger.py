"""The ledger of a dossier (nhật ký xử lý): its append-only, hash-chained events.

Every change of a dossier — a move of the state machine (:class:`~motcua.core.lifecycle.Action`)
or a step on its files (:class:`~motcua.core.lifecycle.EventKind`) — appends exactly one event
here, while the writer holds the dossier's row lock (:func:`lock_dossier`), in the writer's
transaction. The log is the history of record: ``motcua audit verify`` (:func:`broken_chains`)
re-computes every hash.

The one sanctioned upward call: :func:`append_event` moves the dossier's statistics counts
(:func:`motcua.reports.cells.count_dossier`) in the same transaction, so the aggregate cells
are exact by construction. Nothing else in this app imports a layer above it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from motcua.accounts.models import User
from motcua.core.audit import GENESIS, event_hash, first_broken_link
from motcua.core.lifecycle import Action, EventKind, event_kind
from motcua.core.text import nfc_text
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.reports.cells import count_dossier


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
    event.hash = event_hash(event.prev_hash, event_payload(event))
    event.save(force_insert=True)
    count_dossier(dossier)
    return event


def broken_chains(batch: int = 2000) -> list[tuple[str, int]]:
    """Every dossier whose event chain does not verify: ``(code or id, first bad seq)``."""
    broken: list[tuple[str, int]] = []
    current, chain, events = None, [], []

    def check():
        index = first_broken_link(chain)
        if index is not None:
            event = events[index]
            broken.append((event.dossier.code or str(event.dossier_id), event.seq))

    qs = DossierEvent.objects.select_related("dossier").order_by("dossier_id", "seq")
    for event in qs.iterator(chunk_size=batch):
        if event.dossier_id != current:
            if current is not None:
                check()
            current, chain, events = event.dossier_id, [], []
        chain.append((event_payload(event), event.prev_hash, event.hash))
        events.append(event)
    if current is not None:
        check()
    return broken
