"""Writing the portal's outbox in the dossier's transaction (the transactional outbox).

:func:`record_event` is called by the workflow right after an event is appended, while the
dossier's row lock is held: the rows commit or roll back with the change they report, so the
portal can never hear of a change that did not happen, nor miss one that did. What each event
sends: :func:`motcua.core.dvcqg.services_for`; the rows' contents: :mod:`.payloads`.
"""

from __future__ import annotations

from django.db.models import F

from motcua.background import enqueue_with_change
from motcua.core.dvcqg import UPSERT, services_for
from motcua.core.lifecycle import event_kind
from motcua.dossiers.models import Dossier, DossierEvent, DossierSync
from motcua.dvcqg.client import connector_on
from motcua.dvcqg.models import OutboxRow
from motcua.dvcqg.payloads import agency_code, dossier_record, progress_step
from motcua.dvcqg.tasks import push_portal
from motcua.rows import insert_rows


def start_sync(
    dossier: Dossier, portal_code: str, *, from_portal: bool, save: bool = True
) -> DossierSync:
    """The sync record of a dossier the portal will hear of (``from_portal``: it was submitted
    on the portal, which therefore already holds it)."""
    sync = DossierSync(
        dossier=dossier,
        unit_id=dossier.unit_id,
        portal_code=portal_code,
        received_at=dossier.received_at,
        from_portal=from_portal,
    )
    if save:
        sync.save(force_insert=True)
    return sync


def record_event(dossier: Dossier, event: DossierEvent, *, new: bool = False) -> list[OutboxRow]:
    """Write the calls that tell the portal of ``event`` (none when it need not know, or when
    the dossier has no code yet: a desk draft is first heard of at its receipt). ``new``: the
    dossier was created in this transaction, so it has no sync record unless one was started."""
    services = services_for(event.action)
    if not services:
        return []
    sync = None if new else DossierSync.objects.filter(dossier_id=dossier.pk).first()
    created = sync is None
    if created:
        if not dossier.code:
            return []
        sync = start_sync(dossier, dossier.code, from_portal=False, save=False)
    updating = sync.last_seq > 0 or sync.from_portal
    madonvi = agency_code(dossier.unit_id)
    rows = []
    for service in services:
        if service == UPSERT:
            body = {
                "service": UPSERT,
                "madonvi": madonvi,
                "isUpdating": "True" if updating else "False",
                "data": [dossier_record(dossier, sync.portal_code, event)],
            }
            updating = True
        else:
            step = progress_step(dossier, sync.portal_code, event, event_kind(event.action))
            body = {"service": service, "madonvi": madonvi, "data": [step]}
        rows.append(
            OutboxRow(
                dossier_id=dossier.pk,
                unit_id=dossier.unit_id,
                seq=sync.last_seq + len(rows) + 1,
                event=event,
                action=event.action,
                service=service,
                payload=body,
                created_at=event.at,
            )
        )
    if created:  # one INSERT with its counts (the intake's hot path)
        sync.last_seq = sync.pending = len(rows)
        insert_rows(DossierSync, [sync])
    else:
        DossierSync.objects.filter(pk=sync.pk).update(
            last_seq=F("last_seq") + len(rows),
            pending=F("pending") + len(rows),
            received_at=dossier.received_at,
        )
    insert_rows(OutboxRow, rows)
    if connector_on():
        enqueue_with_change(push_portal)
    return rows
