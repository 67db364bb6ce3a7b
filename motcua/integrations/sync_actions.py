"""Writes of the sync page: put failed or stopped calls to the portal back in the queue
("gửi lại"), one call, one dossier's, or every failing one the user answers for.

Who: the head and deputy of a commune for its own calls, an administrator for any; everyone
else reads the page only. Each resend is one transaction: the rows go back to "chờ gửi"
(``dvcqg.push.resend``), one row per unit in the configuration log says who resent how many,
and, when the connector is on, a push is queued with the change.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, QuerySet

from motcua.accounts.models import User
from motcua.background import enqueue_with_change
from motcua.core.errors import AccessError, DomainError
from motcua.dvcqg.client import connector_on
from motcua.dvcqg.models import OutboxRow
from motcua.dvcqg.push import resend
from motcua.dvcqg.queries import TROUBLED
from motcua.dvcqg.tasks import push_portal
from motcua.integrations.sync_queries import SyncScope
from motcua.units.access import MANAGER_ROLES, READ_ONLY, is_admin
from motcua.units.audit import record_change
from motcua.units.models import ConfigChange, Unit

NOT_FOUND = "Không có lệnh đồng bộ này trong các đơn vị bạn được xem."


def may_resend(user: User, unit_id: str | None = None) -> bool:
    """An administrator, or the head or deputy of the unit (of their own unit when None)."""
    if is_admin(user):
        return True
    own = user.unit_id is not None and (unit_id is None or unit_id == user.unit_id)
    return own and user.has_role(*MANAGER_ROLES)


def check_resend(user: User, unit_id: str | None = None) -> None:
    if not may_resend(user, unit_id):
        raise AccessError(READ_ONLY, "read_only")


def resend_scope(user: User, scope: SyncScope) -> SyncScope:
    """The part of ``scope`` whose calls ``user`` may resend."""
    check_resend(user)
    if is_admin(user):
        return scope
    return SyncScope((user.unit_id,)) if scope.covers(user.unit_id) else SyncScope(())


def do_resend(user: User, rows: QuerySet[OutboxRow], what: str) -> int:
    """Requeue the failed or stopped ``rows`` (the caller checked who may): one transaction,
    one configuration-log row per unit, the push queued with the change."""
    with transaction.atomic():
        per_unit = dict(
            rows.filter(status__in=TROUBLED)
            .order_by()
            .values_list("unit_id")
            .annotate(n=Count("id"))
        )
        total = 0
        for unit_id in sorted(per_unit):
            done = resend(rows.filter(unit_id=unit_id))
            if not done:
                continue
            total += done
            record_change(
                ConfigChange.Kind.PORTAL_RESEND,
                unit=Unit.objects.get(pk=unit_id),
                actor=user,
                target=what,
                after={"rows": done},
            )
        if total and connector_on():
            enqueue_with_change(push_portal)
    return total


def resend_row(user: User, scope: SyncScope, row_id: int) -> int:
    """Gửi lại one call (failed or stopped) of a dossier the user may see."""
    row = scope.rows().filter(pk=row_id).select_related("dossier").first()
    if row is None:
        raise DomainError(NOT_FOUND, "not_found")
    check_resend(user, row.unit_id)
    label = f"Hồ sơ {row.dossier.code}, lệnh số {row.seq}"
    return do_resend(user, OutboxRow.objects.filter(pk=row.pk), label)


def resend_dossier(user: User, scope: SyncScope, dossier_id) -> int:
    """Gửi lại every failed or stopped call of one dossier."""
    row = scope.rows().filter(dossier_id=dossier_id).select_related("dossier").first()
    if row is None:
        raise DomainError(NOT_FOUND, "not_found")
    check_resend(user, row.unit_id)
    rows = OutboxRow.objects.filter(dossier_id=dossier_id)
    return do_resend(user, rows, f"Hồ sơ {row.dossier.code}: các lệnh lỗi")


def resend_all(user: User, scope: SyncScope) -> int:
    """Gửi lại tất cả lệnh lỗi of the units the user answers for (within ``scope``)."""
    mine = resend_scope(user, scope)
    return do_resend(user, mine.rows(), "Tất cả lệnh lỗi")
