"""Reads of the sync page (Đồng bộ Cổng DVCQG): the connector's state, the outbox counted by
status and by day, and the dossiers whose calls are not sent yet.

Everything is counted by the database over the outbox's indexes (``dvcqg.models``): a
province during a portal outage may hold hundreds of thousands of rows, and the page reads
them in a few grouped queries, never row by row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import pairwise

from django.db.models import Count, IntegerField, Min, Q, QuerySet, Sum, Value
from django.utils import timezone

from motcua.core.dvcqg import SERVICE_LABELS, readable_answer
from motcua.core.lifecycle import EVENT_LABELS
from motcua.core.localtime import LOCAL_TZ
from motcua.dossiers.models import Dossier
from motcua.dvcqg.client import connector_on
from motcua.dvcqg.models import UNSENT_CONDITION, ConnectorState, OutboxRow
from motcua.dvcqg.queries import TROUBLED, UNSENT
from motcua.units.access import is_admin, visible_units
from motcua.units.models import Desk

Status = OutboxRow.Status
DAYS = 14
ROWS_SHOWN = 3  # a dossier's failing calls listed on the page (the others counted)


def unsent_rows(rows: QuerySet[OutboxRow]) -> QuerySet[OutboxRow]:
    return rows.filter(UNSENT_CONDITION)


@dataclass(frozen=True)
class SyncScope:
    """The units whose outbox a page reads. Always a list, for an administrator every unit
    with a desk: each query then starts on the unit, as the outbox's indexes do."""

    units: tuple[str, ...]

    def rows(self) -> QuerySet[OutboxRow]:
        return OutboxRow.objects.order_by().filter(unit_id__in=self.units)

    def covers(self, unit_id: str) -> bool:
        return unit_id in self.units


def scope_for(user, unit_code: str = "") -> SyncScope:
    """The outbox ``user`` may read, or only one unit's of it (a unit they may see: the
    caller checked)."""
    if unit_code:
        return SyncScope((unit_code,))
    if is_admin(user):
        return SyncScope(tuple(Desk.objects.order_by("unit_id").values_list("unit_id", flat=True)))
    return SyncScope(tuple(visible_units(user).order_by("code").values_list("code", flat=True)))


# --- the connector ------------------------------------------------------------------------


@dataclass(frozen=True)
class ConnectorView:
    on: bool
    last_success_at: datetime | None = None
    failing_since: datetime | None = None
    failure: str = ""
    login_refused: bool = False
    retry_at: datetime | None = None


def connector_view() -> ConnectorView:
    """The connector's last word with the portal (its one row may not exist yet)."""
    state = ConnectorState.objects.filter(pk=1).first()
    if state is None:
        return ConnectorView(connector_on())
    failing = state.failing_since is not None
    return ConnectorView(
        on=connector_on(),
        last_success_at=state.last_success_at,
        failing_since=state.failing_since,
        failure=readable_answer(state.last_failure) if failing else "",
        login_refused=failing and state.login_refused,
        retry_at=state.paused_until if failing else None,
    )


# --- counts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayCount:
    day: date
    created: int
    sent: int


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LOCAL_TZ)


def _per_day(rows: QuerySet[OutboxRow], column: str, days: list[date]) -> list[int]:
    """How many ``rows`` have ``column`` on each local day: one statement, one count per day
    over its index range (no date function per row)."""
    bounds = [local_midnight(d) for d in days] + [local_midnight(days[-1] + timedelta(days=1))]
    counts = [
        rows.filter(**{f"{column}__gte": lo, f"{column}__lt": hi})
        .annotate(day=Value(i, output_field=IntegerField()))
        .values("day")
        .annotate(n=Count("*"))
        .values("day", "n")
        for i, (lo, hi) in enumerate(pairwise(bounds))
    ]
    found = {row["day"]: row["n"] for row in counts[0].union(*counts[1:], all=True)}
    return [found.get(i, 0) for i in range(len(days))]


def per_day(scope: SyncScope, today: date | None = None) -> list[DayCount]:
    """Calls written and calls sent on each of the last 14 local days, oldest first."""
    today = today or timezone.localdate()
    days = [today - timedelta(days=DAYS - 1 - i) for i in range(DAYS)]
    # every status named, so that the (unit, status, created_at) index serves the range
    created = _per_day(scope.rows().filter(status__in=Status.values), "created_at", days)
    sent = _per_day(scope.rows().filter(sent_at__isnull=False), "sent_at", days)
    return [DayCount(d, c, s) for d, c, s in zip(days, created, sent, strict=True)]


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class QueueSummary:
    """The calls not sent, and the dossiers they belong to, counted in one statement."""

    dossiers: int
    pending: int
    failed: int
    dead: int


def queue_summary(scope: SyncScope) -> QueueSummary:
    """One pass over the queue's index: the dossier groups of :func:`unsent_dossiers`,
    summed (the paginator is told the number of dossiers; nothing counts them again)."""
    found = (
        unsent_dossiers(scope)
        .order_by()
        .aggregate(
            n_dossiers=Count("*"),
            n_unsent=Sum("unsent"),
            n_failed=Sum("failed"),
            n_dead=Sum("dead"),
        )
    )
    failed, dead = found["n_failed"] or 0, found["n_dead"] or 0
    unsent = found["n_unsent"] or 0
    return QueueSummary(found["n_dossiers"], unsent - failed - dead, failed, dead)


def status_counts(queue: QueueSummary, days: list[DayCount]) -> list[StatusCount]:
    """The calls by status: those not sent, and those sent in the last 14 days (``days``):
    the sent ones of every year are not counted again on each visit."""
    found = {
        Status.PENDING: queue.pending,
        Status.FAILED: queue.failed,
        Status.DEAD: queue.dead,
        Status.SENT: sum(d.sent for d in days),
    }
    return [StatusCount(s.value, s.label, found[s]) for s in Status]


# --- the dossiers waiting -----------------------------------------------------------------


def unsent_dossiers(scope: SyncScope, dossier_code: str = "") -> QuerySet:
    """One group per dossier with calls not sent: stopped ones first, then failing, then the
    oldest waiting (for a paginator: it counts the groups, then reads one page of them)."""
    rows = unsent_rows(scope.rows())
    if dossier_code:
        rows = rows.filter(dossier__code=dossier_code)
    # grouped by unit and dossier (one dossier, one unit): the queue index's order
    return (
        rows.values("unit_id", "dossier_id")
        .annotate(
            unsent=Count("status"),
            dead=Count("status", filter=Q(status=Status.DEAD)),
            failed=Count("status", filter=Q(status=Status.FAILED)),
            since=Min("created_at"),
        )
        .order_by("-dead", "-failed", "since", "dossier_id")
    )


@dataclass
class RowLine:
    """One unsent call as the page lists it."""

    id: int
    seq: int
    step: str
    service: str
    status: str
    status_label: str
    attempts: int
    next_try_at: datetime | None
    answer: str
    created_at: datetime

    @property
    def troubled(self) -> bool:
        return self.status in TROUBLED


@dataclass
class DossierLine:
    """A dossier of the page with its calls not sent (the first few)."""

    id: object
    code: str
    unit_id: str
    unsent: int
    dead: int
    failed: int
    since: datetime
    rows: list[RowLine] = field(default_factory=list)

    @property
    def troubled(self) -> bool:
        return bool(self.dead or self.failed)

    @property
    def more(self) -> int:
        return self.unsent - len(self.rows)


def dossier_lines(groups: list[dict]) -> list[DossierLine]:
    """The page's groups with their dossiers' codes and calls: of each, the call that goes
    next and the other failing ones (two queries for the page, whatever its size)."""
    ids = [g["dossier_id"] for g in groups]
    dossiers = {
        pk: (code, unit)
        for pk, code, unit in Dossier.objects.filter(pk__in=ids).values_list(
            "pk", "code", "unit_id"
        )
    }
    lines = {
        g["dossier_id"]: DossierLine(
            id=g["dossier_id"],
            code=dossiers.get(g["dossier_id"], ("", ""))[0] or "",
            unit_id=dossiers.get(g["dossier_id"], ("", ""))[1],
            unsent=g["unsent"],
            dead=g["dead"],
            failed=g["failed"],
            since=g["since"],
        )
        for g in groups
    }
    labels = dict(Status.choices)
    rows = (
        OutboxRow.objects.filter(dossier_id__in=ids, status__in=UNSENT)
        .order_by("dossier_id", "seq")
        .values_list(
            "id",
            "dossier_id",
            "seq",
            "action",
            "service",
            "status",
            "attempts",
            "next_try_at",
            "answer",
            "created_at",
        )
    )
    for pk, dossier_id, seq, action, service, status, attempts, next_try, answer, at in rows:
        line = lines[dossier_id]
        # the call that goes next (it holds the others back), and any other failing one
        if line.rows and (status not in TROUBLED or len(line.rows) >= ROWS_SHOWN):
            continue
        line.rows.append(
            RowLine(
                id=pk,
                seq=seq,
                step=EVENT_LABELS.get(action, action),
                service=SERVICE_LABELS.get(service, service),
                status=status,
                status_label=labels.get(status, status),
                attempts=attempts,
                next_try_at=next_try,
                answer=readable_answer(answer),
                created_at=at,
            )
        )
    return [lines[i] for i in ids]
