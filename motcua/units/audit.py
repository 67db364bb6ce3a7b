"""The configuration log: every write that changes legal outcomes records who, when, what, and
the values before and after, in the write's own transaction (Zulip's realm audit log).

Callers: the desk's calendar and office hours (units.actions), certificates and trusted
authorities (documents.certificates), catalogue imports (catalog.actions), report texts
(reports.actions), the codes on the national portal (units.actions, catalog.actions) and the
calls resent to it (integrations.sync_actions).
"""

from __future__ import annotations

from motcua.accounts.models import User
from motcua.units.models import ConfigChange, Unit

SYSTEM_NAME = "Hệ thống (dòng lệnh)"


def record_change(
    kind: str,
    *,
    unit: Unit | None,
    actor: User | None,
    target: str = "",
    before=None,
    after=None,
    note: str = "",
) -> ConfigChange:
    """Append one row to the configuration log (the caller holds the transaction)."""
    authenticated = actor is not None and actor.is_authenticated
    change = ConfigChange.objects.create(
        unit=unit,
        kind=kind,
        actor=actor if authenticated else None,
        actor_name=actor.display_name if authenticated else SYSTEM_NAME,
        target=target[:300],
        before=before,
        after=after,
        note=note,
    )
    return change
