"""Who is offered a dossier that arrives without an official (submitted online, on the
national portal): the duty roster's officials on duty now for its field, the least loaded
first (``motcua.core.roster.pick``; docs/roster.md). Nobody on duty for the field: nobody, and
the field's officials see it as before."""

from __future__ import annotations

from datetime import datetime

from motcua.accounts.models import User
from motcua.core.roster import Candidate, pick
from motcua.dossiers.models import Dossier
from motcua.roster.queries import covers, on_duty
from motcua.workflow.queries import workload


def offered_official(dossier: Dossier, now: datetime) -> User | None:
    shifts = [s for s in on_duty(dossier.unit_id, now) if covers(s, dossier_field(dossier))]
    if not shifts:
        return None
    officials = {s.official_id: s.official for s in shifts}
    loads = workload(dossier.unit_id, now, officials)
    chosen = pick(
        Candidate(
            pk, loads[pk].open if pk in loads else 0, loads[pk].due_soon if pk in loads else 0
        )
        for pk in officials
    )
    return officials[chosen]


def dossier_field(dossier: Dossier) -> int | None:
    return dossier.procedure_version.field_id
