"""Reads of the citizen pages that the record's own queries do not offer."""

from __future__ import annotations

from motcua.core.lifecycle import State
from motcua.documents.models import StoredFile
from motcua.dossiers.models import Dossier


def issued_result(dossier: Dossier) -> StoredFile | None:
    """The dossier's result as issued: its latest result file sealed by the clerk, or signed
    in the national system that issues the procedure's results (StoredFile.ISSUED)."""
    return (
        StoredFile.objects.filter(
            dossier=dossier, role=StoredFile.Role.RESULT, stage__in=StoredFile.ISSUED
        )
        .order_by("-uploaded_at")
        .first()
    )


def result_for_citizen(dossier: Dossier) -> StoredFile | None:
    """The sealed result the citizen may download now, or None.

    Issued and free: at once. With a fee: once it is paid, or the result returned (the fee is
    collected at the latest at the return, DOMAIN.md step 5), so the electronic copy does not
    skip the payment.
    """
    if dossier.state not in (State.DONE, State.RETURNED):
        return None
    if dossier.state == State.DONE and dossier.fee_paid_at is None:
        if dossier.fee_amount or dossier.procedure_version.fee:
            return None
    return issued_result(dossier)
