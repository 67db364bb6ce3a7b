"""Statistics of receiving and handling dossiers: one definition of every figure.

Pure Python, no Django import. Every report (page, API, export, CLI, drafted report) and the
benchmark's plain SQL baseline go through the definitions here; docs/statistics.md states each
one with its legal source and an example.

How it works. Each received dossier contributes to one **cell**: the counts of one
(unit, field, day received, day ended, day overdue from) combination (:class:`CellKey`). A
period report only needs to know, for every cell, where its three days fall relative to the
period, so the database returns cells already summed by those **positions** (:class:`Position`)
and :func:`cohort` / :func:`flow` turn them into figures. The same functions run on cells built
in memory from dossiers (:func:`cell_of`), which is how `motcua stats verify` and the tests
check the stored aggregates against the raw records.

Definitions (DOMAIN.md "Time" and "Statistics"; 766 indicator 2.1; TT 01/2020/TT-VPCP):
- A dossier counts from its receipt (``received_at``); drafts and online submissions not yet
  received are not counted.
- End of processing: the first ending event, or the moment a supplement was requested while
  the applicant has not supplemented (it then counts as ended on time, 766 §2.1).
- Overdue from: the local day of the due moment; the day of an apology (the dossier is late from
  then on); the day received where more than one supplement was requested.
- Cohort view (the seed's): of the dossiers received in the period, how many by channel, how
  many ended by the period's end (early / on time / late), how many still in progress at the
  end (within time / overdue).
- Flow view (the periodic report): carried over (received before the period, not ended before
  it), received in the period, ended in the period, in progress at the end.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from motcua.core.classify import DossierClock, Timeliness, resolution

CHANNELS = ("direct", "online", "online_assisted", "post")


@dataclass(frozen=True)
class CellKey:
    """Where one dossier's counts are kept (Django model ``reports.StatCell``)."""

    unit: str
    field: int
    received_day: date
    ended_day: date | None
    overdue_from: date | None


@dataclass
class Counts:
    """What a cell counts. Every column is a plain sum, so cells add up (commune → province)."""

    received: int = 0
    received_direct: int = 0
    received_online: int = 0
    received_online_assisted: int = 0
    received_post: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    digitisable: int = 0
    digitised: int = 0
    components_digitised: int = 0
    results_digitised: int = 0
    reused: int = 0
    # fees (766 3.5b, 3.6): dossiers of a procedure whose version charges (fee > 0), and of
    # those, the ones whose fee stands paid by bank transfer or on the portal's platform
    fee_dossiers: int = 0
    paid_online: int = 0

    def add(self, other: Counts) -> None:
        for f in COUNT_FIELDS:
            setattr(self, f, getattr(self, f) + getattr(other, f))

    def sub(self, other: Counts) -> None:
        for f in COUNT_FIELDS:
            setattr(self, f, getattr(self, f) - getattr(other, f))

    def is_zero(self) -> bool:
        return all(getattr(self, f) == 0 for f in COUNT_FIELDS)


COUNT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Counts))


@dataclass(frozen=True)
class DossierFacts:
    """What statistics need to know of one dossier (times are local, Asia/Ho_Chi_Minh)."""

    unit: str
    field: int
    channel: str
    received_at: datetime | None
    due_at: datetime | None
    ended_at: datetime | None
    pending_supplement_since: datetime | None = None
    supplement_requests: int = 0
    apologized_at: datetime | None = None
    digitisable: bool = True
    components_digitised: bool = False
    result_digitised: bool = False
    reused: bool = False
    charged: bool = False  # its procedure version's fee is not 0
    paid_online: bool = False  # its fee stands paid online (dossiers.models.ONLINE_PAYMENT)


def cell_of(facts: DossierFacts) -> tuple[CellKey, Counts] | None:
    """The cell one dossier contributes to, and its counts (None when not received)."""
    if facts.received_at is None:
        return None
    clock = DossierClock(
        due_at=facts.due_at,
        ended_at=facts.ended_at,
        supplement_requests=facts.supplement_requests,
        pending_supplement_since=facts.pending_supplement_since,
        apologized=facts.apologized_at is not None,
    )
    outcome = resolution(clock)
    end = facts.ended_at or facts.pending_supplement_since
    overdue_from: date | None = None
    if outcome in (None, Timeliness.LATE):
        if facts.supplement_requests > 1:
            overdue_from = facts.received_at.date()
        elif facts.apologized_at is not None:
            overdue_from = facts.apologized_at.date()
        elif facts.due_at is not None:
            overdue_from = facts.due_at.date()
    key = CellKey(
        unit=facts.unit,
        field=facts.field,
        received_day=facts.received_at.date(),
        ended_day=end.date() if end is not None else None,
        overdue_from=overdue_from,
    )
    counts = Counts(received=1)
    channel = facts.channel if facts.channel in CHANNELS else "direct"
    setattr(counts, f"received_{channel}", 1)
    if outcome is not None:
        setattr(counts, outcome.value, 1)
    if facts.digitisable:
        counts.digitisable = 1
        counts.digitised = int(facts.components_digitised and facts.result_digitised)
    counts.components_digitised = int(facts.components_digitised)
    counts.results_digitised = int(facts.result_digitised)
    counts.reused = int(facts.reused)
    # Counted by the day received like everything else: the cell does not know the day paid,
    # so a period's figure is "of the dossiers received in it, those paid online by now".
    counts.fee_dossiers = int(facts.charged)
    counts.paid_online = int(facts.charged and facts.paid_online)
    return key, counts


def cells_of(dossiers: Iterable[DossierFacts]) -> dict[CellKey, Counts]:
    """All cells of some dossiers, summed (what the aggregate table must hold)."""
    cells: dict[CellKey, Counts] = {}
    for facts in dossiers:
        found = cell_of(facts)
        if found is None:
            continue
        key, counts = found
        cells.setdefault(key, Counts()).add(counts)
    return cells


# --- positions: a cell seen from one period --------------------------------------------------


class Where(StrEnum):
    """Where a day falls relative to a period [start, end]."""

    BEFORE = "before"
    WITHIN = "within"
    AFTER = "after"
    NEVER = "never"  # no such day (not ended, never overdue)


def where(day: date | None, start: date, end: date) -> Where:
    if day is None:
        return Where.NEVER
    if day < start:
        return Where.BEFORE
    if day > end:
        return Where.AFTER
    return Where.WITHIN


@dataclass(frozen=True)
class Position:
    """A cell's received, ended and overdue-from days relative to one period."""

    received: Where
    ended: Where
    overdue: Where


def position_of(key: CellKey, start: date, end: date) -> Position:
    return Position(
        where(key.received_day, start, end),
        where(key.ended_day, start, end),
        where(key.overdue_from, start, end),
    )


def by_position(
    cells: Iterable[tuple[CellKey, Counts]], start: date, end: date
) -> dict[Position, Counts]:
    """Sum cells by their position in the period (what the database query returns)."""
    out: dict[Position, Counts] = {}
    for key, counts in cells:
        out.setdefault(position_of(key, start, end), Counts()).add(counts)
    return out


# --- figures ---------------------------------------------------------------------------------


def rate(part: int, whole: int) -> float | None:
    """A percentage rounded half-up to one decimal (98,5 %); None when the whole is 0."""
    if whole == 0:
        return None
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return float(value)


@dataclass
class Figures:
    """The figures of one report (cohort or flow view), as the CLI's JSON gives them."""

    view: str
    start: date
    end: date
    received: int = 0
    # online = DVCQG channel 2, by the applicant or with an official's help (the subset below)
    received_online: int = 0
    received_online_assisted: int = 0
    received_direct: int = 0
    received_post: int = 0
    carried_over: int = 0
    resolved: int = 0
    resolved_early: int = 0
    resolved_on_time: int = 0
    resolved_late: int = 0
    in_progress: int = 0
    in_progress_within_time: int = 0
    in_progress_overdue: int = 0
    digitisable_dossiers: int = 0
    digitised_dossiers: int = 0
    components_digitised: int = 0
    results_digitised: int = 0
    reused_dossiers: int = 0
    fee_dossiers: int = 0  # of procedures with a non-zero fee (766 3.6's denominator)
    fee_dossiers_paid_online: int = 0
    rates: dict[str, float | None] = field(default_factory=dict)

    def as_json(self) -> dict:
        out = asdict(self)
        rates = out.pop("rates")
        out["start"] = self.start.isoformat()
        out["end"] = self.end.isoformat()
        out.update(rates)
        return out


def _finish(f: Figures) -> Figures:
    """Rates, each defined once (docs/statistics.md)."""
    handled = f.carried_over + f.received if f.view == "flow" else f.received
    f.rates = {
        # received online (by the applicant or with an official's help) / received
        "online_rate": rate(f.received_online, f.received),
        # truly online: submitted by the applicant alone / received
        "truly_online_rate": rate(f.received_online - f.received_online_assisted, f.received),
        "direct_rate": rate(f.received_direct, f.received),
        "post_rate": rate(f.received_post, f.received),
        # resolved / dossiers to handle (received; flow view: carried over + received)
        "resolved_rate": rate(f.resolved, handled),
        # early or on time / resolved
        "on_time_rate": rate(f.resolved_early + f.resolved_on_time, f.resolved),
        # 766 §2.1: (resolved early/on time + in progress within time) / all handled
        "timely_rate_766": rate(
            f.resolved_early + f.resolved_on_time + f.in_progress_within_time,
            f.resolved + f.in_progress,
        ),
        # 766 §4.2: components and result both digitised / dossiers subject to digitisation
        "digitisation_rate": rate(f.digitised_dossiers, f.digitisable_dossiers),
        "components_digitisation_rate": rate(f.components_digitised, f.received),
        "results_digitisation_rate": rate(f.results_digitised, f.resolved),
        # 766 §4.3: dossiers with at least one component reused from the store / received
        "reuse_rate": rate(f.reused_dossiers, f.received),
    }
    return f


def _take_received(f: Figures, c: Counts) -> None:
    f.received += c.received
    f.received_direct += c.received_direct
    f.received_online += c.received_online + c.received_online_assisted
    f.received_online_assisted += c.received_online_assisted
    f.received_post += c.received_post
    f.digitisable_dossiers += c.digitisable
    f.digitised_dossiers += c.digitised
    f.components_digitised += c.components_digitised
    f.reused_dossiers += c.reused
    f.fee_dossiers += c.fee_dossiers
    f.fee_dossiers_paid_online += c.paid_online


def _take_resolved(f: Figures, c: Counts) -> None:
    f.resolved += c.received
    f.resolved_early += c.early
    f.resolved_on_time += c.on_time
    f.resolved_late += c.late
    f.results_digitised += c.results_digitised


def _take_in_progress(f: Figures, c: Counts, overdue: Where) -> None:
    f.in_progress += c.received
    if overdue in (Where.BEFORE, Where.WITHIN):
        f.in_progress_overdue += c.received
    else:
        f.in_progress_within_time += c.received


def cohort(positions: dict[Position, Counts], start: date, end: date) -> Figures:
    """Of the dossiers received in [start, end]: channels, ended by ``end``, still in progress."""
    f = Figures("cohort", start, end)
    for pos, c in positions.items():
        if pos.received != Where.WITHIN:
            continue
        _take_received(f, c)
        if pos.ended in (Where.BEFORE, Where.WITHIN):
            _take_resolved(f, c)
        else:
            _take_in_progress(f, c, pos.overdue)
    return _finish(f)


def flow(positions: dict[Position, Counts], start: date, end: date) -> Figures:
    """The periodic report: carried over, received, resolved in, in progress at the end."""
    f = Figures("flow", start, end)
    for pos, c in positions.items():
        if pos.received == Where.AFTER:
            continue
        if pos.received == Where.WITHIN:
            _take_received(f, c)
        elif pos.ended != Where.BEFORE:
            f.carried_over += c.received
        if pos.ended == Where.WITHIN:
            _take_resolved(f, c)
        elif pos.ended in (Where.AFTER, Where.NEVER):
            _take_in_progress(f, c, pos.overdue)
    return _finish(f)


VIEWS = {"cohort": cohort, "flow": flow}


def figures(view: str, positions: dict[Position, Counts], start: date, end: date) -> Figures:
    if view not in VIEWS:
        raise ValueError(f"Không có cách thống kê “{view}” (chỉ có cohort, flow).")
    return VIEWS[view](positions, start, end)


# --- report periods --------------------------------------------------------------------------

PERIOD_KINDS = {
    "month": "Tháng",
    "quarter": "Quý",
    "half": "6 tháng",
    "nine": "9 tháng",
    "year": "Năm",
}


def _month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def period(kind: str, year: int, number: int = 1) -> tuple[date, date]:
    """A reporting period: month ``number`` (1–12), quarter ``number`` (1–4), the first 6 or 9
    months, or the year. The 6- and 9-month reports run from 1 January (TT 01/2020/TT-VPCP)."""
    if kind == "month":
        if not 1 <= number <= 12:
            raise ValueError("Tháng phải từ 1 đến 12.")
        return date(year, number, 1), _month_end(year, number)
    if kind == "quarter":
        if not 1 <= number <= 4:
            raise ValueError("Quý phải từ 1 đến 4.")
        first = 3 * (number - 1) + 1
        return date(year, first, 1), _month_end(year, first + 2)
    if kind == "half":
        return date(year, 1, 1), date(year, 6, 30)
    if kind == "nine":
        return date(year, 1, 1), date(year, 9, 30)
    if kind == "year":
        return date(year, 1, 1), date(year, 12, 31)
    raise ValueError(f"Không có loại kỳ báo cáo “{kind}”.")


def months_of(start: date, end: date) -> list[tuple[date, date]]:
    """The calendar months a period touches, each clipped to the period."""
    out, d = [], date(start.year, start.month, 1)
    while d <= end:
        last = _month_end(d.year, d.month)
        out.append((max(d, start), min(last, end)))
        d = last + timedelta(days=1)
    return out
