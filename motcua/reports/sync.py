"""Reads for 766 indicator 1.4 (tỷ lệ hồ sơ đồng bộ lên Cổng DVCQG): the dossiers received in
a period that the national portal has accepted, per period and per day and unit, and the ones
it has not.

A dossier counts as synced when its sync record (``dossiers.DossierSync``, written with the
connector's outbox) has ``first_synced_at``: the portal accepted its first call. Grouped
queries only: the received counts come from the statistics cells (the same number as the
cohort's ``received``), the synced counts from the sync records' (unit, received_at) index.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate

from motcua.core.indicators import percent
from motcua.core.localtime import LOCAL_TZ
from motcua.dossiers.models import Dossier, DossierSync
from motcua.reports.models import StatCell
from motcua.reports.queries import Scope, local_bounds, scoped_dossiers

SYNCED = Q(first_synced_at__isnull=False)


def _syncs(scope: Scope, start: date, end: date) -> QuerySet[DossierSync]:
    """The sync records of the scope's dossiers received in [start, end]."""
    lo, hi = local_bounds(start, end)
    return DossierSync.objects.filter(
        scope.dossier_filter("dossier__"),
        unit_id__in=scope.unit_codes,
        received_at__gte=lo,
        received_at__lt=hi,
    )


def synced_count(scope: Scope, start: date, end: date) -> int | None:
    """How many of the scope's dossiers received in the period the portal has accepted; None
    (no sync data: indicator 1.4 is N/A) when the connector is off and the portal accepted
    none of them — the outbox is written even without a connector, so unsent records alone
    say nothing of what the portal holds."""
    synced = _syncs(scope, start, end).filter(SYNCED).count()
    if synced == 0 and not settings.MOTCUA_DVCQG_URL:
        return None
    return synced


@dataclass(frozen=True)
class SyncDay:
    """One day of one unit: dossiers received, of them synced."""

    day: date
    unit_id: str
    received: int
    synced: int

    @property
    def share(self) -> Decimal | None:
        """synced ÷ received as a percentage (2 decimals, as the 766 set rounds), None for 0."""
        if self.received == 0:
            return None
        return percent(Fraction(min(self.synced, self.received), self.received))


def _received_by_day(scope: Scope, start: date, end: date) -> dict[tuple[date, str], int]:
    if scope.needs_dossiers:  # procedure and official are not cell dimensions
        lo, hi = local_bounds(start, end)
        rows = (
            scoped_dossiers(scope)
            .filter(received_at__gte=lo, received_at__lt=hi)
            .annotate(day=TruncDate("received_at", tzinfo=LOCAL_TZ))
            .values("day", "unit_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
    else:
        cells = StatCell.objects.filter(
            unit_id__in=scope.unit_codes, received_day__range=(start, end)
        )
        if scope.field_id is not None:
            cells = cells.filter(field_id=scope.field_id)
        rows = cells.values("unit_id", day=F("received_day")).annotate(n=Sum("received")).order_by()
    return {(row["day"], row["unit_id"]): row["n"] or 0 for row in rows}


def sync_rate_by_day(scope: Scope, start: date, end: date) -> list[SyncDay]:
    """Per day received and per unit: received, synced and their share, oldest day first
    (days without a received dossier are left out)."""
    received = _received_by_day(scope, start, end)
    synced = {
        (row["day"], row["unit_id"]): row["n"]
        for row in _syncs(scope, start, end)
        .filter(SYNCED)
        .annotate(day=TruncDate("received_at", tzinfo=LOCAL_TZ))
        .values("day", "unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    }
    keys = sorted(set(received) | set(synced))
    return [
        SyncDay(day, unit, received.get((day, unit), 0), synced.get((day, unit), 0))
        for day, unit in keys
    ]


def unsynced_dossiers(scope: Scope, start: date, end: date) -> QuerySet[Dossier]:
    """The scope's dossiers received in the period that the portal has not accepted: no sync
    record, or one the portal has not accepted yet (pending, failing or stopped)."""
    lo, hi = local_bounds(start, end)
    return scoped_dossiers(scope).filter(
        Q(sync__isnull=True) | Q(sync__first_synced_at__isnull=True),
        received_at__gte=lo,
        received_at__lt=hi,
    )
