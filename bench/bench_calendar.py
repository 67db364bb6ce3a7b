"""Due moments: our WorkCalendar against a naive day loop over the ``holidays`` package, in the
same run (a benchmark, not a test; it asserts only that both give the same due moments).

    .venv/bin/python bench/bench_calendar.py      (or: make bench)

(a) ``WorkCalendar().due_at`` over 100,000 random (receipt moment, amount, kind) cases;
(b) the baseline: the rules of docs/time.md done the obvious way, one day at a time, asking the
    ``holidays`` package (b1) or a frozenset of its dates (b2) whether a day is a holiday;
(c) a fresh calendar per request, built by ``work_calendar_for_desk`` (a stand-in desk, no
    database), then one due moment; against one calendar reused, and against the shared tables
    dropped before every request (each request then builds its year tables, as every request
    did before they were shared).
CPU time (time.process_time), median of 5 runs; the machine is shared, so the load is printed.
"""

from __future__ import annotations

import math
import os
import random
import time
from collections.abc import Callable, Container
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal

import django
import holidays
from _setup import median  # also the Django settings for (c); no database is used

from motcua.core.calendar import (
    LOCAL_TZ,
    DurationKind,
    WorkCalendar,
    clear_shared_tables,
    shipped_makeup_days,
)

N = 100_000
RUNS = 5
REQUESTS = 20_000  # (c), per run
COLD_REQUESTS = 500  # (c) with the tables built again every request: 1-2 ms each
AMOUNTS = [0, 0.5, 1, 2, 3, 5, 7, 10, 15, 20, 30]
YEARS = range(2024, 2028)  # receipts in 2024-2026; due moments up to 2027

# --- the baseline -------------------------------------------------------------------------------

PERIODS = ((clock(7, 30), clock(11, 30)), (clock(13, 0), clock(17, 0)))
MINUTES_PER_DAY = 480
CUTOFF = clock(15, 0)
ONE_DAY = timedelta(days=1)


class DayLoop:
    """docs/time.md, one day at a time: is it a working day, then its periods one by one."""

    def __init__(self, national: Container[date], makeup: Container[date]) -> None:
        self.national = national
        self.makeup = makeup

    def working(self, d: date) -> bool:
        return d in self.makeup or (d.weekday() < 5 and d not in self.national)

    def next_working(self, d: date) -> date:
        d += ONE_DAY
        while not self.working(d):
            d += ONE_DAY
        return d

    def periods(self, d: date) -> list[tuple[datetime, datetime]]:
        return [(datetime.combine(d, s), datetime.combine(d, e)) for s, e in PERIODS]

    def receipt(self, moment: datetime) -> datetime:
        if self.working(moment.date()):
            for start, end in self.periods(moment.date()):
                if moment < start:
                    return start
                if moment < end:
                    return moment
        return datetime.combine(self.next_working(moment.date()), PERIODS[0][0])

    def due_at(self, received: datetime, amount: float | int, kind: DurationKind) -> datetime:
        aware = received.tzinfo is not None
        moment = received.astimezone(LOCAL_TZ).replace(tzinfo=None) if aware else received
        value = Decimal(str(amount))
        start = self.receipt(moment)
        if value == 0:
            day = start.date()
            if start.time() >= CUTOFF:
                day = self.next_working(day)
            due = datetime.combine(day, PERIODS[-1][1])
        elif kind is DurationKind.DAYS:
            due = start + timedelta(days=math.ceil(value))
            while not self.working(due.date()):
                due += ONE_DAY
        else:
            per_unit = MINUTES_PER_DAY if kind is DurationKind.WORKING_DAYS else 60
            due = self.add(start, timedelta(minutes=round(value * per_unit)))
        return due.replace(tzinfo=LOCAL_TZ) if aware else due

    def add(self, start: datetime, left: timedelta) -> datetime:
        current, day = start, start.date()
        while True:
            if self.working(day):
                for begin, end in self.periods(day):
                    if current >= end:
                        continue
                    begin = max(begin, current)
                    if left <= end - begin:
                        return begin + left
                    left -= end - begin
            day += ONE_DAY


# --- the cases, the clock -----------------------------------------------------------------------


def make_cases(rng: random.Random) -> list[tuple[datetime, float | int, DurationKind]]:
    """Receipts at any minute of 2024-2026 (nights and weekends included), half of them aware
    as the web layer passes them; amounts as procedures have them; the three kinds."""
    first = datetime(2024, 1, 1)
    cases = []
    for _ in range(N):
        received = first + timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))
        if rng.random() < 0.5:
            received = received.replace(tzinfo=LOCAL_TZ)
        cases.append((received, rng.choice(AMOUNTS), rng.choice(list(DurationKind))))
    return cases


def cpu_runs(work: Callable[[], object], runs: int = RUNS) -> list[float]:
    times = []
    for _ in range(runs):
        began = time.process_time()
        work()
        times.append(time.process_time() - began)
    return times


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


# --- (c) a calendar per request -----------------------------------------------------------------


class StandInDesk:
    """What work_calendar_for_desk reads of a Desk: its office hours and its overrides."""

    def __init__(self, office_hours: str, overrides: list[tuple[date, bool]]) -> None:
        self.office_hours = office_hours
        self.overrides = overrides
        self.calendar_overrides = self  # desk.calendar_overrides.values_list("date", ...)

    def values_list(self, *fields: str) -> list[tuple[date, bool]]:
        return self.overrides


def stand_in_desks(rng: random.Random, count: int) -> list[StandInDesk]:
    desks = []
    for n in range(count):
        overrides = [
            (date(2025, 1, 1) + timedelta(days=rng.randrange(730)), rng.random() < 0.5)
            for _ in range(n % 4 * 2)  # 0, 2, 4 or 6 overrides
        ]
        hours = "07:30-11:30,13:00-17:00" if n % 3 else "07:00-11:30,13:30-17:00"
        desks.append(StandInDesk(hours, overrides))
    return desks


def main() -> None:
    print(f"machine: {os.cpu_count()} CPUs, {load()}")
    rng = random.Random(2026)
    cases = make_cases(rng)
    ours = WorkCalendar()
    years = list(YEARS)
    package = holidays.country_holidays("VN", years=years, language="vi")
    with_package = DayLoop(package, shipped_makeup_days())
    with_set = DayLoop(frozenset(package), shipped_makeup_days())

    # Same due moments, case by case (and warm every table before timing).
    mine = [ours.due_at(r, a, k) for r, a, k in cases]
    theirs = [with_set.due_at(r, a, k) for r, a, k in cases]
    assert mine == theirs, "our due moments differ from the day loop's"
    assert [with_package.due_at(r, a, k) for r, a, k in cases[:10_000]] == theirs[:10_000]
    print(f"{N:,} cases: our due moments equal the day loop's on every case")

    def run(calendar: WorkCalendar | DayLoop) -> Callable[[], object]:
        return lambda: [calendar.due_at(r, a, k) for r, a, k in cases]

    a = cpu_runs(run(ours))
    b1 = cpu_runs(run(with_package))
    b2 = cpu_runs(run(with_set))
    print(f"\n{N:,} due moments, CPU seconds, median of {RUNS} (min-max):")
    for name, times in [
        ("(a)  WorkCalendar.due_at", a),
        ("(b1) day loop, holidays package", b1),
        ("(b2) day loop, frozenset of its dates", b2),
    ]:
        m = median(times)
        print(
            f"  {name:40s} {m:7.3f} s  ({min(times):.3f}-{max(times):.3f})"
            f"  {N / m:>11,.0f} per CPU-second  {m / N * 1e6:6.2f} µs each"
        )
    print(
        f"  ratio (b1)/(a): {median(b1) / median(a):.1f}×   (b2)/(a): {median(b2) / median(a):.1f}×"
    )

    # (c) A calendar per request, as the web layer builds it.
    django.setup()
    from motcua.units.models import parse_office_hours
    from motcua.units.queries import work_calendar_for_desk

    desks = stand_in_desks(rng, 20)
    moments = [cases[n][0] for n in range(REQUESTS)]
    first_build = []
    for desk in desks[:4]:
        clear_shared_tables()
        began = time.process_time()
        work_calendar_for_desk(desk).due_at(moments[0], 3, DurationKind.WORKING_DAYS)
        first_build.append(time.process_time() - began)
    reused = [work_calendar_for_desk(desk) for desk in desks]  # also warms the shared tables
    for calendar in reused:
        for moment in moments[:200]:
            calendar.due_at(moment, 3, DurationKind.WORKING_DAYS)

    def fresh() -> None:
        for n, moment in enumerate(moments):
            calendar = work_calendar_for_desk(desks[n % 20])
            calendar.due_at(moment, 3, DurationKind.WORKING_DAYS)

    def reuse() -> None:
        for n, moment in enumerate(moments):
            reused[n % 20].due_at(moment, 3, DurationKind.WORKING_DAYS)

    def cold() -> None:
        for n, moment in enumerate(moments[:COLD_REQUESTS]):
            clear_shared_tables()
            work_calendar_for_desk(desks[n % 20]).due_at(moment, 3, DurationKind.WORKING_DAYS)

    parsed = [
        (
            parse_office_hours(d.office_hours),
            frozenset(day for day, working in d.overrides if not working),
            frozenset(day for day, working in d.overrides if working),
        )
        for d in desks
    ]

    def parse_only() -> None:
        for n in range(REQUESTS):
            parse_office_hours(desks[n % 20].office_hours)

    def construct_only() -> None:
        for n in range(REQUESTS):
            hours, days_off, working_days = parsed[n % 20]
            WorkCalendar(
                office_hours=hours, extra_days_off=days_off, extra_working_days=working_days
            )

    c_fresh, c_reuse, c_cold = cpu_runs(fresh), cpu_runs(reuse), cpu_runs(cold)
    c_parse, c_construct = cpu_runs(parse_only), cpu_runs(construct_only)
    per_fresh = median(c_fresh) / REQUESTS * 1e6
    per_reuse = median(c_reuse) / REQUESTS * 1e6
    per_cold = median(c_cold) / COLD_REQUESTS * 1e6
    print(f"\n(c) per request (20 desks, 0-6 overrides each), CPU µs, median of {RUNS}:")
    print(f"  fresh calendar (work_calendar_for_desk) + 1 due moment  {per_fresh:8.2f}")
    print(f"  one calendar per desk reused + 1 due moment             {per_reuse:8.2f}")
    print(f"    → building the calendar costs                         {per_fresh - per_reuse:8.2f}")
    print(
        f"      of which parse_office_hours(desk.office_hours)      "
        f"{median(c_parse) / REQUESTS * 1e6:8.2f}"
    )
    print(
        f"      of which WorkCalendar(...) itself                   "
        f"{median(c_construct) / REQUESTS * 1e6:8.2f}"
    )
    print(f"  fresh calendar, shared tables dropped every request     {per_cold:8.2f}")
    print(f"  ratio dropped/fresh: {per_cold / per_fresh:.0f}×")
    print(
        "  first calendar of a desk, every table built from nothing: "
        + ", ".join(f"{t * 1e3:.2f} ms" for t in first_build)
    )
    # Tables built again after cold() give the same due moments as the ones built first.
    check = [work_calendar_for_desk(d).due_at(moments[0], 3, "working_days") for d in desks]
    assert check == [c.due_at(moments[0], 3, "working_days") for c in reused]
    print(f"\n{load()}")


if __name__ == "__main__":
    main()
