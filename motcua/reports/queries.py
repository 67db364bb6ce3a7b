"""Reads for reports: figures from the statistics cells, and the dossiers behind a figure.

Two ways to the same numbers, on purpose:
- :func:`positions_from_cells` sums the aggregate tables (what every page and export uses):
  month cells for the whole months of the period, day cells for the months it cuts, in one
  UNION ALL query (:func:`positions_from_day_cells` reads day cells only: the benchmark's
  second baseline);
- :func:`positions_from_dossiers` is a plain SQL GROUP BY over the raw dossiers (the benchmark's
  baseline, and a cross-check in the tests).
Both return cells summed by their position in the period; :mod:`motcua.core.statistics` turns
positions into figures, so the arithmetic exists once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Case, CharField, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, TruncMonth

from motcua.catalog.models import Field
from motcua.core import statistics as st
from motcua.core.localtime import LOCAL_TZ
from motcua.core.statistics import COUNT_FIELDS, Counts, Figures, Position, Where
from motcua.dossiers.models import ONLINE_PAYMENT, Dossier
from motcua.reports.cells import (
    DAY_KEY,
    FACT_COLUMNS,
    MONTH_KEY,
    cell_of,
    exempt_fields,
    facts_from_row,
)
from motcua.reports.models import NEVER, StatCell, StatMonthCell
from motcua.units.models import Unit


@dataclass(frozen=True)
class Scope:
    """What a report is about: units (a commune, or a province's communes), optionally a field."""

    unit_codes: tuple[str, ...]
    field_id: int | None = None
    procedure_code: str | None = None
    official_id: int | None = None

    @property
    def needs_dossiers(self) -> bool:
        """Procedure and official are not cell dimensions: those reports read the dossiers."""
        return self.procedure_code is not None or self.official_id is not None

    def dossier_filter(self, via: str = "") -> Q:
        """The scope as a filter on dossiers, or on a model reaching them through ``via``
        (e.g. ``"dossier__"``); the units are filtered by the caller's own column."""
        q = Q()
        if self.field_id is not None:
            q &= Q(**{f"{via}procedure_version__field_id": self.field_id})
        if self.procedure_code is not None:
            q &= Q(**{f"{via}procedure__code": self.procedure_code})
        if self.official_id is not None:
            q &= Q(**{f"{via}assigned_to_id": self.official_id})
        return q


def units_of(code: str) -> tuple[str, ...]:
    """A commune's own code, or a province's communes (its roll-up)."""
    unit = Unit.objects.filter(code=code).only("level").first()
    if unit is None:
        raise ValueError(f"Không có đơn vị hành chính mã {code}.")
    if unit.level == Unit.Level.PROVINCE:
        return (code, *Unit.objects.filter(province_id=code).values_list("code", flat=True))
    return (code,)


def _day_position(column: str, start: date, end: date, never: date | None = NEVER) -> Case:
    whens = []
    if never is not None:
        whens.append(When(**{column: never}, then=Value(Where.NEVER.value)))
    whens += [
        When(**{f"{column}__lt": start}, then=Value(Where.BEFORE.value)),
        When(**{f"{column}__gt": end}, then=Value(Where.AFTER.value)),
    ]
    return Case(*whens, default=Value(Where.WITHIN.value), output_field=CharField())


def _summed(rows, extra: tuple[str, ...] = ()) -> dict:
    out: dict = {}
    for row in rows:
        pos = Position(Where(row["r"]), Where(row["e"]), Where(row["o"]))
        key = (pos, *(row[x] for x in extra)) if extra else pos
        out.setdefault(key, Counts()).add(Counts(**{f: row[f] or 0 for f in COUNT_FIELDS}))
    return out


def _last_day(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def cut_months(start: date, end: date) -> tuple[tuple[date, date], ...]:
    """The calendar months the period covers only in part, each whole: (first day, last day).

    A cell with a day in such a month needs that day to place it in the period, so it is read
    from the day cells; a cell with all its days in other months is placed by month alone."""
    ends = {start.replace(day=1), end.replace(day=1)}  # the months between are whole
    return tuple((m, _last_day(m)) for m in sorted(ends) if m < start or _last_day(m) > end)


def cells_in_play(scope: Scope, start: date, end: date) -> QuerySet[StatCell]:
    """Cells that can matter to a period: received by its end, not ended before its start
    (flow), or received within it (cohort) — one index range per unit."""
    cells = StatCell.objects.filter(unit_id__in=scope.unit_codes, received_day__lte=end).filter(
        Q(ended_day__gte=start) | Q(received_day__gte=start)
    )
    if scope.field_id is not None:
        cells = cells.filter(field_id=scope.field_id)
    return cells


def _by_position(cells: QuerySet, columns: tuple[str, str, str], start, end, by) -> QuerySet:
    received, ended, overdue = columns
    return (
        cells.annotate(
            r=_day_position(received, start, end, never=None),
            e=_day_position(ended, start, end),
            o=_day_position(overdue, start, end),
        )
        .values("r", "e", "o", *((by,) if by else ()))
        .annotate(**{f: Sum(f) for f in COUNT_FIELDS})
        .order_by()
    )


def positions_from_day_cells(scope: Scope, start: date, end: date, by: str | None = None) -> dict:
    """Day cells in play summed by position, every day cell of the period (no month cells)."""
    rows = _by_position(cells_in_play(scope, start, end), DAY_KEY, start, end, by)
    return _summed(rows, (by,) if by else ())


def month_cells_in_play(scope: Scope, start: date, end: date) -> QuerySet[StatMonthCell]:
    """Month cells with no day in a month the period cuts, that can matter to it (received in
    it, or received before it and not ended before it) — index ranges per unit."""
    cuts = [first for first, _ in cut_months(start, end)]
    cells = StatMonthCell.objects.filter(unit_id__in=scope.unit_codes).filter(
        Q(received_month__gte=start, received_month__lte=end)
        | Q(received_month__lt=start, ended_month__gte=start)
    )
    if cuts:
        cells = cells.exclude(received_month__in=cuts).exclude(ended_month__in=cuts)
        cells = cells.exclude(overdue_month__in=cuts)
    if scope.field_id is not None:
        cells = cells.filter(field_id=scope.field_id)
    return cells


def day_cells_of_cut_months(scope: Scope, start: date, end: date) -> QuerySet[StatCell] | None:
    """Day cells in play with a day (received, ended or overdue from) in a month the period
    cuts: exactly the cells whose month cells :func:`month_cells_in_play` leaves out."""
    cuts = cut_months(start, end)
    if not cuts:
        return None
    some_day = Q()
    for column in DAY_KEY:
        for first, last in cuts:
            some_day |= Q(**{f"{column}__range": (first, last)})
    return cells_in_play(scope, start, end).filter(some_day)


def positions_from_cells(scope: Scope, start: date, end: date, by: str | None = None) -> dict:
    """Cells in play summed by position (and by ``by``: "field_id" or "unit_id"): month cells
    for the whole months, day cells for the cut months, one UNION ALL query."""
    rows = _by_position(month_cells_in_play(scope, start, end), MONTH_KEY, start, end, by)
    days = day_cells_of_cut_months(scope, start, end)
    if days is not None:
        day_rows = _by_position(days, DAY_KEY, start, end, by)
        rows = rows.union(day_rows, all=True)
    return _summed(rows, (by,) if by else ())


# --- the raw baseline: the same positions straight from the dossiers --------------------------


def local_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, day after end 00:00) in local time."""
    return (
        datetime.combine(start, time(), LOCAL_TZ),
        datetime.combine(end + timedelta(days=1), time(), LOCAL_TZ),
    )


def _moment_position(expr, lo: datetime, hi: datetime) -> Case:
    return Case(
        When(Q(**{f"{expr}__isnull": True}), then=Value(Where.NEVER.value)),
        When(Q(**{f"{expr}__lt": lo}), then=Value(Where.BEFORE.value)),
        When(Q(**{f"{expr}__gte": hi}), then=Value(Where.AFTER.value)),
        default=Value(Where.WITHIN.value),
        output_field=CharField(),
    )


def scoped_dossiers(scope: Scope) -> QuerySet[Dossier]:
    return Dossier.objects.filter(
        scope.dossier_filter(), unit_id__in=scope.unit_codes, received_at__isnull=False
    )


def positions_from_dossiers(scope: Scope, start: date, end: date) -> dict[Position, Counts]:
    """A plain GROUP BY over the dossiers (no aggregates): the benchmark's baseline.

    Mirrors :func:`motcua.core.statistics.cell_of` in SQL: end = ended or waiting for a
    supplement; overdue-from only for dossiers late or not ended.
    """
    lo, hi = local_bounds(start, end)
    pending_late = Q(supplement_requests__gt=1) | Q(apologized_at__isnull=False)
    outcome = Case(
        When(ended_at__isnull=False, then=F("timeliness")),
        When(Q(pending_supplement_since__isnull=False) & pending_late, then=Value("late")),
        When(pending_supplement_since__isnull=False, then=Value("on_time")),
        default=Value(""),
        output_field=CharField(),
    )
    digitisable = ~Q(procedure_version__field_id__in=list(exempt_fields()))
    charged = Q(procedure_version__fee__gt=0)
    one = Value(1)

    def when(condition: Q) -> Sum:
        return Sum(Case(When(condition, then=one), default=Value(0)))

    rows = (
        scoped_dossiers(scope)
        .filter(received_at__lt=hi)
        .annotate(
            end_moment=Coalesce("ended_at", "pending_supplement_since"),
            outcome=outcome,
        )
        .filter(Q(end_moment__isnull=True) | Q(end_moment__gte=lo) | Q(received_at__gte=lo))
        .annotate(
            overdue_moment=Case(
                When(Q(outcome__in=["early", "on_time"]), then=Value(None)),
                When(supplement_requests__gt=1, then=F("received_at")),
                When(apologized_at__isnull=False, then=F("apologized_at")),
                default=F("due_at"),
            ),
        )
        .annotate(
            r=_moment_position("received_at", lo, hi),
            e=_moment_position("end_moment", lo, hi),
            o=_moment_position("overdue_moment", lo, hi),
        )
        .values("r", "e", "o")
        .annotate(
            received=Sum(one),
            received_direct=when(Q(channel="direct")),
            received_online=when(Q(channel="online")),
            received_online_assisted=when(Q(channel="online_assisted")),
            received_post=when(Q(channel="post")),
            early=when(Q(outcome="early")),
            on_time=when(Q(outcome="on_time")),
            late=when(Q(outcome="late")),
            digitisable=when(digitisable),
            digitised=when(digitisable & Q(components_digitised=True) & Q(result_digitised=True)),
            components_digitised=when(Q(components_digitised=True)),
            results_digitised=when(Q(result_digitised=True)),
            reused=when(Q(reused_stored_document=True)),
            fee_dossiers=when(charged),
            paid_online=when(charged & Q(fee_paid_via__in=list(ONLINE_PAYMENT))),
        )
        .order_by()
    )
    return _summed(rows)


def positions_in_python(scope: Scope, start: date, end: date) -> dict[Position, Counts]:
    """Positions from the dossiers through the pure core (narrow scopes: a procedure, an
    official; and the drill-down)."""
    cells = []
    exempt = exempt_fields()
    for row in scoped_dossiers(scope).values_list(*FACT_COLUMNS).iterator(chunk_size=2000):
        found = cell_of(facts_from_row(row, exempt))
        if found is not None:
            cells.append(found)
    return st.by_position(cells, start, end)


# --- figures ---------------------------------------------------------------------------------


def report(scope: Scope, start: date, end: date, view: str = "cohort") -> Figures:
    """The figures of a unit (or province) for a period: from the cells, or the dossiers when
    the scope is a procedure or an official."""
    if end < start:
        raise ValueError("Ngày kết thúc kỳ báo cáo phải sau ngày bắt đầu.")
    positions = (
        positions_in_python(scope, start, end)
        if scope.needs_dossiers
        else positions_from_cells(scope, start, end)
    )
    return st.figures(view, positions, start, end)


def report_by_field(
    scope: Scope, start: date, end: date, view: str = "flow"
) -> list[tuple[Field, Figures]]:
    """One row per field with dossiers in play (the official form is per field), by name."""
    per_field = report_by(scope, start, end, view, "field_id")
    fields = Field.objects.in_bulk(list(per_field))
    rows = [(fields[fid], fig) for fid, fig in per_field.items()]
    return sorted(rows, key=lambda pair: pair[0].name)


def report_by(scope: Scope, start: date, end: date, view: str, by: str) -> dict:
    """Figures per field ("field_id") or per commune ("unit_id"), those with any dossier."""
    grouped = positions_from_cells(scope, start, end, by=by)
    per: dict = {}
    for (pos, value), counts in grouped.items():
        per.setdefault(value, {})[pos] = counts
    out = {value: st.figures(view, positions, start, end) for value, positions in per.items()}
    return {k: f for k, f in out.items() if f.received or f.carried_over or f.resolved}


RECEIVED_ONLY = {"digitised_dossiers", "digitisable_dossiers", "reused_dossiers"}


def _per_month(scope: Scope, start: date, end: date, kind: str) -> dict[date, Counts]:
    """Counts summed by the month a dossier was received (``kind`` "received") or ended
    ("ended") within [start, end]: month cells for whole months, day cells for cut ones."""
    cuts = cut_months(start, end)
    sums = {f: Sum(f) for f in COUNT_FIELDS}
    months = StatMonthCell.objects.filter(unit_id__in=scope.unit_codes).filter(
        **{f"{kind}_month__range": (start, end)}
    )
    months = months.exclude(**{f"{kind}_month__in": [first for first, _ in cuts]})
    queries = [months.annotate(m=F(f"{kind}_month"))]
    if cuts:
        in_cuts = Q()
        for cut in cuts:
            in_cuts |= Q(**{f"{kind}_day__range": cut})
        days = StatCell.objects.filter(unit_id__in=scope.unit_codes).filter(
            in_cuts, **{f"{kind}_day__range": (start, end)}
        )
        queries.append(days.annotate(m=TruncMonth(f"{kind}_day")))
    out: dict[date, Counts] = {}
    for cells in queries:
        if scope.field_id is not None:
            cells = cells.filter(field_id=scope.field_id)
        for row in cells.values("m").annotate(**sums).order_by():
            counts = Counts(**{f: row[f] or 0 for f in COUNT_FIELDS})
            out.setdefault(row["m"], Counts()).add(counts)
    return out


def monthly(scope: Scope, start: date, end: date) -> list[tuple[date, Counts, Counts]]:
    """Per calendar month of the period: dossiers received (by the month received) and
    dossiers resolved (by the month ended) — grouped queries over the month cells (and the
    day cells of cut months); the same numbers as the cohort's ``received_*`` and the flow
    view's ``resolved_*`` of each month."""
    received = _per_month(scope, start, end, "received")
    resolved = _per_month(scope, start, end, "ended")
    out = []
    for first, _ in st.months_of(start, end):
        month = first.replace(day=1)
        out.append((first, received.get(month, Counts()), resolved.get(month, Counts())))
    return out


def dossiers_behind(
    scope: Scope, start: date, end: date, view: str, figure: str
) -> QuerySet[Dossier]:
    """The dossiers a figure counts (drill-down): each dossier's own cell is run through the
    same view, so the list and the number cannot disagree."""
    lo, hi = local_bounds(start, end)
    # A superset in SQL (index on unit, received_at), the exact choice by the pure core below.
    candidates = scoped_dossiers(scope).filter(received_at__lt=hi)
    if view == "cohort" or figure.startswith("received") or figure in RECEIVED_ONLY:
        candidates = candidates.filter(received_at__gte=lo)
    # end of processing = ended_at, or a pending supplement request when not ended
    not_ended = Q(ended_at__isnull=True)
    if figure.startswith("in_progress"):  # not ended by the period's end
        candidates = candidates.filter(
            Q(ended_at__gte=hi)
            | (
                not_ended
                & (Q(pending_supplement_since__isnull=True) | Q(pending_supplement_since__gte=hi))
            )
        )
    elif figure.startswith("resolved"):  # ended by the period's end
        candidates = candidates.filter(
            Q(ended_at__lt=hi) | (not_ended & Q(pending_supplement_since__lt=hi))
        )
    elif figure == "carried_over":
        candidates = candidates.filter(
            Q(ended_at__gte=lo)
            | (
                not_ended
                & (Q(pending_supplement_since__isnull=True) | Q(pending_supplement_since__gte=lo))
            )
        )
    picked = []
    exempt = exempt_fields()
    for pk, *row in candidates.values_list("pk", *FACT_COLUMNS).iterator(chunk_size=2000):
        found = cell_of(facts_from_row(tuple(row), exempt))
        if found is None:
            continue
        key, counts = found
        single = {st.position_of(key, start, end): counts}
        if getattr(st.figures(view, single, start, end), figure, 0):
            picked.append(pk)
    return Dossier.objects.filter(pk__in=picked)
