"""Reads of the connector that pages below the sync page need: one dossier's sync state (the
dossier page shows it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, Subquery

from motcua.core.dvcqg import readable_answer
from motcua.dossiers.models import DossierSync
from motcua.dvcqg.models import OutboxRow

TROUBLED = (OutboxRow.Status.FAILED, OutboxRow.Status.DEAD)
UNSENT = (OutboxRow.Status.PENDING, *TROUBLED)


@dataclass(frozen=True)
class DossierSyncState:
    """Where a dossier stands with the portal, for its page."""

    kind: str  # "none" (never sent), "synced", "pending", "failing"
    pending: int = 0
    synced_at: datetime | None = None
    message: str = ""  # the portal's (or the connector's) answer to the failing call
    dead: bool = False  # the failing call was stopped after its last try


def dossier_sync_state(dossier_id) -> DossierSyncState:
    """One query: the dossier's sync record with its first failing call's answer."""
    failing = OutboxRow.objects.filter(dossier_id=OuterRef("pk"), status__in=TROUBLED).order_by(
        "seq"
    )
    found = (
        DossierSync.objects.filter(pk=dossier_id)
        .annotate(
            error=Subquery(failing.values("answer")[:1]),
            error_status=Subquery(failing.values("status")[:1]),
        )
        .values("pending", "last_synced_at", "error", "error_status")
        .first()
    )
    if found is None:
        return DossierSyncState("none")
    pending, synced_at = found["pending"], found["last_synced_at"]
    if found["error_status"] is not None:
        return DossierSyncState(
            "failing",
            pending,
            synced_at,
            readable_answer(found["error"]) or "Cổng DVCQG chưa nhận.",
            found["error_status"] == OutboxRow.Status.DEAD,
        )
    if pending > 0:
        return DossierSyncState("pending", pending, synced_at)
    if synced_at is not None:
        return DossierSyncState("synced", 0, synced_at)
    return DossierSyncState("none")
