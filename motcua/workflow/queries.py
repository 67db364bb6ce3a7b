"""Reads of the desk's workflow: what waits for whom (Việc của tôi)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from motcua.accounts.models import User
from motcua.core import lifecycle
from motcua.dossiers.models import Dossier
from motcua.dossiers.queries import visible_dossiers


def worklist(user: User) -> QuerySet[Dossier]:
    """Việc của tôi: dossiers waiting for an action the user's roles can take, due soon first."""
    roles = user.role_codes()
    states = {
        state.value
        for state in lifecycle.State
        if lifecycle.available_actions(state, roles)
        and state not in (lifecycle.State.DRAFT, lifecycle.State.DONE)
    }
    if roles & lifecycle.DESK:
        states |= {lifecycle.State.DONE.value, lifecycle.State.AWAITING_RECEPTION.value}
    qs = visible_dossiers(user).filter(state__in=states)
    if lifecycle.SPECIALIST in roles and not roles & {lifecycle.HEAD, lifecycle.DEPUTY}:
        qs = qs.filter(
            Q(assigned_to=user)
            | Q(assigned_to__isnull=True)
            | ~Q(state__in=[lifecycle.State.RECEIVED, lifecycle.State.IN_REVIEW])
        )
    return qs.order_by("due_at", "received_at")
