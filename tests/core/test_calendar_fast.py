"""The working-day calendar against a naive reference written here: a minute-by-minute walk over
the ``holidays`` package's dates for Vietnam, the make-up Saturdays CSV and the office hours.

The calendar computes due moments from shared per-year tables (office position, divmod, index);
the reference knows nothing of that: it asks, minute after minute, "is this an office minute?".
Random receipts 2020-2030, amounts, the three kinds, random office hours and unit overrides.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import holidays
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from motcua.core.calendar import (
    LOCAL_TZ,
    CalendarError,
    DurationKind,
    OfficeHours,
    WorkCalendar,
)
from motcua.core.errors import DomainError

MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)
MAKEUP_CSV = Path(__file__).parents[2] / "motcua" / "core" / "data" / "makeup_working_days.csv"
VN_DAYS_OFF = frozenset(holidays.VN(years=range(2019, 2034)))
with MAKEUP_CSV.open(encoding="utf-8") as _handle:
    MAKEUP = frozenset(date.fromisoformat(row["date"]) for row in csv.DictReader(_handle))

WD, WH, D = DurationKind.WORKING_DAYS, DurationKind.WORKING_HOURS, DurationKind.DAYS


# --- the reference ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """docs/time.md, one minute at a time. Office periods are whole minutes [start, end)."""

    periods: tuple[tuple[int, int], ...]  # minutes since midnight
    days_off: frozenset[date] = frozenset()
    working_days: frozenset[date] = frozenset()
    cutoff: time = time(15, 0)

    def working(self, d: date) -> bool:
        if d in self.days_off:
            return False
        if d in self.working_days or d in MAKEUP:
            return True
        return d.weekday() < 5 and d not in VN_DAYS_OFF

    def office_minute(self, t: datetime) -> bool:
        """Is the minute [t, t + 1 min) office time? (t on a whole minute)"""
        m = t.hour * 60 + t.minute
        return self.working(t.date()) and any(s <= m < e for s, e in self.periods)

    def step(self, t: datetime) -> datetime:
        """The next minute to look at: the next one, or the next midnight after a day off."""
        if not self.working(t.date()):
            return datetime.combine(t.date() + DAY, time(0))
        return t + MINUTE

    def next_office_minute(self, t: datetime) -> datetime:
        """The start of the first office minute at or after t (on a whole minute)."""
        while not self.office_minute(t):
            t = self.step(t)
        return t

    def receipt(self, m: datetime) -> datetime:
        floor = m.replace(second=0, microsecond=0)
        if self.office_minute(floor):  # bounds are whole minutes: m is inside the period
            return m
        return self.next_office_minute(floor)

    def add(self, receipt: datetime, minutes: int) -> datetime:
        """``minutes`` office minutes after a receipt moment (the start of an office minute,
        plus maybe some seconds into it)."""
        t = receipt.replace(second=0, microsecond=0)
        into = receipt - t
        for _ in range(minutes):
            t = self.next_office_minute(t) + MINUTE  # one office minute consumed
        if not into:
            return t  # at a close if the last minute ended a period
        # The last office minute ends ``into`` after the start of the next office minute.
        return self.next_office_minute(t) + into

    def next_working_day(self, d: date) -> date:
        d += DAY
        while not self.working(d):
            d += DAY
        return d

    def due(self, received: datetime, amount: object, kind: DurationKind) -> datetime:
        aware = received.tzinfo is not None
        moment = received.astimezone(LOCAL_TZ).replace(tzinfo=None) if aware else received
        value = Fraction(str(amount).replace(",", "."))
        start = self.receipt(moment)
        close = time(*divmod(self.periods[-1][1], 60))
        if value == 0:
            day = start.date()
            if start.time() >= self.cutoff:
                day = self.next_working_day(day)
            due = datetime.combine(day, close)
        elif kind is D:
            due = start + timedelta(days=math.ceil(value))
            while not self.working(due.date()):
                due += DAY
        else:
            per_unit = sum(e - s for s, e in self.periods) if kind is WD else 60
            due = self.add(start, round(value * per_unit))  # Fraction: half to even
        return due.replace(tzinfo=LOCAL_TZ) if aware else due

    def between(self, a: datetime, b: datetime) -> int:
        """Whole office minutes in [a, b)."""
        total = timedelta(0)
        t = a.replace(second=0, microsecond=0)
        while t < b:
            if self.office_minute(t):
                total += min(t + MINUTE, b) - max(t, a)
            t = self.step(t)
        return total // MINUTE


def calendar_of(ref: Reference) -> WorkCalendar:
    hours = OfficeHours(tuple((time(*divmod(s, 60)), time(*divmod(e, 60))) for s, e in ref.periods))
    return WorkCalendar(
        office_hours=hours,
        extra_days_off=ref.days_off,
        extra_working_days=ref.working_days,
        same_day_cutoff=ref.cutoff,
    )


# --- strategies ---------------------------------------------------------------------------------

DEFAULT_PERIODS = ((7 * 60 + 30, 11 * 60 + 30), (13 * 60, 17 * 60))


@st.composite
def office_periods(draw) -> tuple[tuple[int, int], ...]:
    """The default hours half of the time, else 1-3 periods (adjacent ones allowed)."""
    if draw(st.booleans()):
        return DEFAULT_PERIODS
    bounds = sorted(draw(st.sets(st.integers(5 * 60, 20 * 60), min_size=2, max_size=6)))
    if len(bounds) % 2:
        bounds = bounds[:-1]
    periods = [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]
    if draw(st.booleans()) and len(periods) > 1:  # make two periods touch
        periods[1] = (periods[0][1], periods[1][1])
    return tuple(periods)


@st.composite
def cases(draw, with_seconds: bool = True) -> tuple[Reference, datetime]:
    """A unit's calendar (hours, overrides near the receipt, cut-off) and a receipt moment."""
    periods = draw(office_periods())
    day = draw(st.dates(date(2020, 1, 1), date(2030, 12, 31)))
    cutoff = draw(st.sampled_from([time(15, 0), time(12, 0), time(16, 30, 30)]))
    # often at, just before or just after a period bound or the cut-off
    bound = draw(
        st.sampled_from([b for p in periods for b in p] + [cutoff.hour * 60 + cutoff.minute])
    )
    minute = draw(st.one_of(st.integers(0, 24 * 60 - 1), st.integers(bound - 1, bound + 1)))
    moment = datetime.combine(day, time(0)) + timedelta(minutes=minute)
    if with_seconds and draw(st.integers(0, 4)) == 0:
        moment += timedelta(microseconds=draw(st.integers(1, 59_999_999)))
    elif draw(st.integers(0, 5)) == 0:
        moment = datetime.combine(day, cutoff)
    near = st.sets(st.integers(-3, 40).map(lambda n: day + timedelta(days=n)), max_size=6)
    ref = Reference(periods, frozenset(draw(near)), frozenset(draw(near)), cutoff)
    return ref, moment


def as_given(moment: datetime, form: int) -> datetime:
    """The same local moment naive, aware in Vietnam, or aware in UTC."""
    if form == 0:
        return moment
    aware = moment.replace(tzinfo=LOCAL_TZ)
    return aware if form == 1 else aware.astimezone(UTC)


amounts = {
    WD: st.one_of(
        st.just(0), st.integers(0, 10), st.decimals(0, 10, places=2), st.sampled_from(["0,5", 1.5])
    ),
    WH: st.one_of(st.integers(0, 40), st.decimals(0, 40, places=2), st.just("2,25")),
    D: st.one_of(st.integers(0, 60), st.decimals(0, 60, places=2), st.just(0.5)),
}
kinds_and_amounts = st.sampled_from([WD, WH, D]).flatmap(
    lambda kind: st.tuples(st.just(kind), amounts[kind], st.sampled_from([kind, kind.value]))
)
SLOW = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- the calendar equals the reference ----------------------------------------------------------


@SLOW
@given(cases(), kinds_and_amounts, st.integers(0, 2))
def test_due_at_equals_the_minute_walk(case, kind_amount, form):
    ref, moment = case
    kind, amount, given_kind = kind_amount
    received = as_given(moment, form)
    due = calendar_of(ref).due_at(received, amount, given_kind)
    expected = ref.due(received, amount, kind)
    assert due == expected
    assert (due.tzinfo is None) == (received.tzinfo is None)
    if due.tzinfo is not None:
        assert due.tzinfo == LOCAL_TZ


@SLOW
@given(cases(), st.integers(0, 2))
def test_effective_start_equals_the_minute_walk(case, form):
    ref, moment = case
    start = calendar_of(ref).effective_start(as_given(moment, form))
    assert start.replace(tzinfo=None) == ref.receipt(moment)


@SLOW
@given(cases(), st.integers(-50, 6_000))
def test_add_working_minutes_and_extend_equal_the_minute_walk(case, minutes):
    ref, moment = case
    # At most 20 working days of these hours: the walk visits every minute of a working day,
    # and a 1-minute day with 6,000 minutes would walk 20 years (past the holidays it knows).
    minutes = min(minutes, 20 * sum(e - s for s, e in ref.periods))
    calendar = calendar_of(ref)
    if minutes >= 0:
        expected = ref.add(ref.receipt(moment), minutes)
        assert calendar.add_working_minutes(moment, minutes) == expected
    if minutes > 0:
        assert calendar.extend(moment, minutes) == expected
    else:
        assert calendar.extend(moment, minutes) == moment  # nothing paused: unchanged


@SLOW
@given(cases(), st.integers(-100, 10 * 24 * 60), st.integers(0, 59_999_999))
def test_working_minutes_between_equals_the_minute_walk(case, minutes, micro):
    ref, a = case
    b = a + timedelta(minutes=minutes, microseconds=micro)
    expected = ref.between(a, b) if b > a else 0
    assert calendar_of(ref).working_minutes_between(a, b) == expected
    assert calendar_of(ref).working_minutes_between(as_given(a, 2), as_given(b, 1)) == expected


@settings(max_examples=150, deadline=None)
@given(cases(with_seconds=False), st.integers(1, 40))
def test_working_days_equal_the_day_walk(case, count):
    ref, moment = case
    calendar = calendar_of(ref)
    day = moment.date()
    for n in range(-3, 45):
        d = day + timedelta(days=n)
        assert calendar.is_working_day(d) is ref.working(d)
    expected = day
    for _ in range(count):
        expected = ref.next_working_day(expected)
    assert calendar.working_day_after(day, count) == expected
    assert calendar.next_working_day(day) == ref.next_working_day(day)
    on_or_after = day if ref.working(day) else ref.next_working_day(day)
    assert calendar.working_day_on_or_after(day) == on_or_after


# --- long amounts: properties (the walk would take too long) ------------------------------------


@settings(max_examples=100, deadline=None)
@given(cases(), st.integers(1, 1800), st.integers(1, 1800), st.sampled_from([WD, WH]))
def test_due_moments_compose(case, a, b, kind):
    """a then b working days (hours) from the first due moment = a + b from the receipt, across
    any number of years."""
    ref, moment = case
    # an office open a few minutes a day would take 3,600 working hours past the year 2100
    assume(kind == WD or sum(e - s for s, e in ref.periods) >= 60)
    calendar = calendar_of(ref)
    assert calendar.due_at(calendar.due_at(moment, a, kind), b, kind) == calendar.due_at(
        moment, a + b, kind
    )


@settings(max_examples=100, deadline=None)
@given(cases(), st.integers(1, 3650))
def test_long_amounts_measure_back(case, days):
    ref, moment = case
    calendar = calendar_of(ref)
    due = calendar.due_at(moment, days, WD)
    per_day = sum(e - s for s, e in ref.periods)
    assert calendar.working_minutes_between(calendar.effective_start(moment), due) == days * per_day
    assert calendar.is_working_day(due.date())


# --- shared tables: never shared across different overrides -------------------------------------


@st.composite
def desks_near(draw) -> tuple[list[Reference], datetime]:
    """2-4 desks whose overrides fall in the same weeks (and maybe other hours), one moment."""
    first, moment = draw(cases(with_seconds=False))
    refs = [first]
    near = st.sets(st.integers(-3, 40).map(lambda n: moment.date() + timedelta(days=n)), max_size=6)
    for _ in range(draw(st.integers(1, 3))):
        periods = draw(st.one_of(st.just(first.periods), office_periods()))
        refs.append(Reference(periods, frozenset(draw(near)), frozenset(draw(near))))
    return refs, moment


@settings(max_examples=40, deadline=None)
@given(desks_near(), st.randoms())
def test_calendars_built_in_any_order_keep_their_own_overrides(desks, rng):
    """Desks with different overrides (and hours): their calendars built fresh for every
    request, interleaved in random order: each answers for its own overrides only."""
    refs, moment = desks
    requests = refs * 3
    rng.shuffle(requests)
    for ref in requests:
        calendar = calendar_of(ref)
        for n in range(-3, 45):
            d = moment.date() + timedelta(days=n)
            assert calendar.is_working_day(d) is ref.working(d)
        assert calendar.due_at(moment, 3, WD) == ref.due(moment, 3, WD)
        assert calendar.due_at(moment, 0, WD) == ref.due(moment, 0, WD)


def test_different_overrides_never_share_a_year_table():
    tuesday, saturday = date(2026, 3, 3), date(2026, 3, 7)
    national = WorkCalendar()
    day_off = WorkCalendar(extra_days_off=frozenset({tuesday}))
    worked = WorkCalendar(extra_working_days=frozenset({saturday}))
    both = WorkCalendar(
        extra_days_off=frozenset({tuesday}), extra_working_days=frozenset({saturday})
    )
    calendars = [national, day_off, worked, both]
    for calendar in calendars:  # build the 2026 tables
        calendar.due_at(datetime(2026, 3, 2, 10, 0), 1, WD)
    tables = [c._days.year(2026) for c in calendars]
    assert len({id(t) for t in tables}) == 4
    assert [c.is_working_day(tuesday) for c in calendars] == [True, False, True, False]
    assert [c.is_working_day(saturday) for c in calendars] == [False, False, True, True]
    assert [c.due_at(datetime(2026, 3, 2, 10, 0), 1, WD) for c in calendars] == [
        datetime(2026, 3, 3, 10, 0),
        datetime(2026, 3, 4, 10, 0),
        datetime(2026, 3, 3, 10, 0),
        datetime(2026, 3, 4, 10, 0),
    ]
    # The same overrides in a fresh calendar (the next request) reuse the tables already built.
    again = WorkCalendar(extra_days_off=frozenset({date(2026, 3, 3)}))
    assert again._days is day_off._days and again._days.year(2026) is tables[1]
    assert WorkCalendar()._days.year(2026) is tables[0]
    # Different office hours: different hour tables, same day tables.
    other_hours = WorkCalendar(
        office_hours=OfficeHours(((time(7, 0), time(11, 30)), (time(13, 30), time(17, 0))))
    )
    assert other_hours._hours is not national._hours
    assert other_hours._days.year(2026) is tables[0]
    assert other_hours.due_at(datetime(2026, 3, 2, 11, 45), 1, WH) == datetime(2026, 3, 2, 14, 30)


def test_calendar_error_is_a_domain_error_and_a_value_error():
    with pytest.raises(CalendarError) as caught:
        WorkCalendar().due_at(datetime(2026, 3, 2, 10, 0), Decimal(-1), WD)
    error = caught.value
    assert isinstance(error, DomainError) and isinstance(error, ValueError)
    assert error.code == "invalid_calendar" and error.status == 400
    assert error.as_json() == {"detail": "Thời hạn không được âm.", "code": "invalid_calendar"}
    with pytest.raises(ValueError, match="năm 1990 đến 2100"):
        WorkCalendar().due_at(datetime(2101, 1, 2, 10, 0), 1, WD)
    with pytest.raises(CalendarError, match="Chỉ tính được"):  # would step past 2101
        WorkCalendar().due_at(datetime(2100, 6, 1, 10, 0), 3650, WD)
