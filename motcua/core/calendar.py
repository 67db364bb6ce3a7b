"""Working-day calendar (lịch làm việc) and due moments (ngày hẹn trả kết quả).

Pure Python, no Django import. Rules and their sources: ``docs/time.md``.

- Working days: Monday to Friday, minus the public holidays and decreed days off of Vietnam (the
  ``holidays`` package, country "VN"), plus the decreed make-up working Saturdays (shipped in
  ``data/makeup_working_days.csv``, which the package does not carry), plus a unit's own extra
  working days, minus its own extra days off (a unit's day off wins over everything).
- Receipt moment: inside a working period it counts as is; otherwise from the opening of the
  next working period.
- N working days = N × (office minutes per day) of office time after the receipt moment; working
  hours the same in hours. An amount that ends exactly at the close of a period is due at that
  close. Calendar days keep the clock time and move to the next working day if they end on a day
  off. Amount 0 (same day): received before the cut-off (15:00) → due at that day's close,
  otherwise at the next working day's close.

Datetimes: naive means local time (Asia/Ho_Chi_Minh, UTC+7, no daylight saving); an aware input
is converted and the result is aware in that zone.

How it is computed (docs/time.md, "Speed"): a moment is (year table, day of the year, time since
midnight, in minutes, or in microseconds when seconds are involved). A year table holds, per day,
whether it is worked and how many working days come before it in the year, and the list of its
working days; since every working day has the same office hours, the office time before a day is
that count × the office time of a day, so adding N working minutes or measuring the office time
between two moments is arithmetic and an index, never a loop over days. Year tables depend only
on a unit's extra days off and extra working days, and office-hour figures only on the periods,
so both are cached at module level under exactly those keys: a fresh ``WorkCalendar`` per request
finds them built, and calendars whose overrides differ never share the table of a year those
overrides touch (a year no override touches is the national table, shared).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Any

from motcua.core.errors import DomainError
from motcua.core.localtime import LOCAL_TZ

MIN_YEAR, MAX_YEAR = 1990, 2100
MAX_AMOUNT = Decimal(3650)
MAKEUP_FILE = Path(__file__).parent / "data" / "makeup_working_days.csv"
ONE_DAY = timedelta(days=1)

US_PER_MINUTE = 60_000_000
US_PER_HOUR = 60 * US_PER_MINUTE
_ONE_US = timedelta(microseconds=1)


class DurationKind(StrEnum):
    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    DAYS = "days"


_KINDS: dict[str, DurationKind] = {k.value: k for k in DurationKind}
_WORKING_DAYS, _WORKING_HOURS, _DAYS = DurationKind  # plain names: read on every due moment


class CalendarError(DomainError, ValueError):
    """A due-date request that cannot be computed (Vietnamese message).

    Also a ValueError, so callers written before the error family still catch it.
    """

    default_code = "invalid_calendar"


@dataclass(frozen=True)
class OfficeHours:
    """Giờ làm việc: the working periods of a day, e.g. 07:30-11:30 and 13:00-17:00, each bound
    on a whole minute (the desk's settings are HH:MM; docs/time.md)."""

    periods: tuple[tuple[time, time], ...] = (
        (time(7, 30), time(11, 30)),
        (time(13, 0), time(17, 0)),
    )

    def __post_init__(self) -> None:
        if not self.periods:
            raise ValueError("Giờ làm việc phải có ít nhất một buổi.")
        previous_end = None
        for start, end in self.periods:
            for bound in (start, end):
                if bound.second or bound.microsecond:
                    raise ValueError(
                        f"Giờ làm việc tính theo phút: {bound:%H:%M:%S} phải là {bound:%H:%M}."
                    )
            if start >= end:
                raise ValueError(
                    f"Buổi làm việc {start:%H:%M}-{end:%H:%M}: giờ bắt đầu phải trước giờ kết thúc."
                )
            if previous_end is not None and start < previous_end:
                raise ValueError("Các buổi làm việc phải theo thứ tự và không chồng lên nhau.")
            previous_end = end

    @cached_property
    def minutes_per_day(self) -> int:
        return sum(_minutes(e) - _minutes(s) for s, e in self.periods)

    @cached_property
    def closing(self) -> time:
        return self.periods[-1][1]


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _us(t: time) -> int:
    """Microseconds since midnight of a clock time (seconds and microseconds included)."""
    return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond


@cache
def _national_days_off(year: int) -> frozenset[date]:
    import holidays

    return frozenset(holidays.country_holidays("VN", years=year, language="vi"))


@cache
def shipped_makeup_days() -> frozenset[date]:
    """Decreed make-up working Saturdays (ngày làm bù) shipped with the project."""
    with MAKEUP_FILE.open(encoding="utf-8") as handle:
        return frozenset(date.fromisoformat(row["date"]) for row in csv.DictReader(handle))


# --- shared tables ------------------------------------------------------------------------------


class _Scale:
    """The office hours of a day counted in one unit of time: a minute (the usual case, small
    integers, lookup tables) or a microsecond (moments with seconds, fractional minutes). Period
    bounds are whole minutes (``OfficeHours``), so both scales hold the same office hours.
    """

    __slots__ = ("before", "clock", "day", "last_end", "opening", "periods")

    def __init__(self, periods: tuple[tuple[time, time], ...], unit: int) -> None:
        rows = []
        office = 0
        for s, e in periods:
            start, end = _minutes(s) * US_PER_MINUTE // unit, _minutes(e) * US_PER_MINUTE // unit
            # (start, end, office time before the period, office time up to its end)
            rows.append((start, end, office, office + end - start))
            office += end - start
        self.periods: tuple[tuple[int, int, int, int], ...] = tuple(rows)
        self.day: int = office  # office time of a working day
        self.last_end: int = rows[-1][1]
        self.opening: int = rows[0][0]
        # before(tod): office time before a clock time; clock(rest): the clock time (a timedelta
        # since midnight) at which ``rest`` (0 < rest <= day) of a day's office time ends.
        self.before: tuple[int, ...] | _Computed
        self.clock: tuple[timedelta, ...] | _Computed
        if unit == US_PER_MINUTE:
            self.before = tuple(self.office_before(m) for m in range(24 * 60 + 1))
            self.clock = tuple(
                timedelta(minutes=self.clock_time(rest)) for rest in range(office + 1)
            )
        else:
            self.before = _Computed(self.office_before)
            self.clock = _Computed(lambda rest: _delta(self.clock_time(rest)))

    def clock_time(self, office: int) -> int:
        """When ``office`` of the day's office time has passed: at a period's close when it ends
        exactly there, not at the next opening."""
        for start, _end, before, upto in self.periods:
            if office <= upto:
                return start + office - before
        raise AssertionError("unreachable: office <= the office time of a day")

    def office_before(self, tod: int) -> int:
        """Office time of a working day before the clock time ``tod``."""
        total = 0
        for start, end, _before, _upto in self.periods:
            if tod <= start:
                break
            total += (tod if tod < end else end) - start
        return total


class _Computed:
    """Read like the minute tables (``table[key]``), computed on demand: the microsecond scale
    has too many keys for a table."""

    __slots__ = ("function",)

    def __init__(self, function: Callable[[int], Any]) -> None:
        self.function = function

    def __getitem__(self, key: int) -> Any:
        return self.function(key)


class _Hours:
    """What a calendar needs of its office hours, shared by every calendar with these periods."""

    __slots__ = ("closing", "coarse", "fine", "minutes_per_day", "steps")

    def __init__(self, periods: tuple[tuple[time, time], ...]) -> None:
        self.fine = _Scale(periods, 1)
        self.coarse = _Scale(periods, US_PER_MINUTE)
        self.minutes_per_day = self.coarse.day
        self.closing = timedelta(minutes=_minutes(periods[-1][1]))  # since midnight
        # amount (and its type) → minutes or days to add, -1 for "same day"; per kind
        self.steps: dict[DurationKind, dict[tuple[object, type], int]] = {
            k: {} for k in DurationKind
        }


@lru_cache(maxsize=64)
def _hours_for(periods: tuple[tuple[time, time], ...]) -> _Hours:
    return _Hours(periods)


@cache
def _midnights(year: int) -> tuple[tuple[datetime, ...], tuple[datetime, ...]]:
    """The midnights of a year's days, naive and aware (results are built from them)."""
    first = datetime(year, 1, 1)
    naive = tuple(first + timedelta(days=i) for i in range(_year_length(year)))
    return naive, tuple(m.replace(tzinfo=LOCAL_TZ) for m in naive)


def _year_length(year: int) -> int:
    return 366 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 365


class _Year:
    """One year of one set of overrides: which days are worked, and their ranks."""

    __slots__ = (
        "checked",
        "count",
        "days",
        "first",
        "limit",
        "mids",
        "rank",
        "size",
        "working",
        "year",
    )

    def __init__(self, year: int, days_off: frozenset, working_days: frozenset) -> None:
        national = _national_days_off(year)
        makeup = shipped_makeup_days()
        first = date(year, 1, 1)
        self.year = year
        self.first = first.toordinal()
        self.size = _year_length(year)
        working: list[bool] = []
        rank = [0]
        days = []
        for i in range(self.size):
            d = first + timedelta(days=i)
            if d in days_off:
                worked = False
            elif d in working_days or d in makeup:
                worked = True
            else:
                worked = d.weekday() < 5 and d not in national
            working.append(worked)
            if worked:
                days.append(i)
            rank.append(len(days))
        self.working: tuple[bool, ...] = tuple(working)
        # rank[i]: working days of the year before day i (rank[size] = all of them)
        self.rank: tuple[int, ...] = tuple(rank)
        self.days: tuple[int, ...] = tuple(days)  # the working days, as days of the year
        self.count = len(days)
        # Stepping to a following working day is only offered for these years.
        self.checked = MIN_YEAR - 1 <= year <= MAX_YEAR + 1
        self.limit = self.count if self.checked else -1  # ranks beyond: the slow path
        self.mids = _midnights(year)


class _Days:
    """The year tables of one pair (extra days off, extra working days), built lazily."""

    __slots__ = ("days_off", "touched", "working_days", "years")

    def __init__(self, days_off: frozenset, working_days: frozenset) -> None:
        self.days_off = days_off
        self.working_days = working_days
        self.touched = {d.year for d in days_off | working_days if isinstance(d, date)}
        self.years: dict[int, _Year] = {}

    def year(self, year: int) -> _Year:
        table = self.years.get(year)
        if table is None:
            if year in self.touched or not (self.days_off or self.working_days):
                table = _Year(year, self.days_off, self.working_days)
            else:  # no override in this year: the national table, shared
                table = _NATIONAL.year(year)
            self.years[year] = table
        return table

    def checked(self, year: int) -> _Year:
        if not MIN_YEAR - 1 <= year <= MAX_YEAR + 1:
            raise CalendarError(
                f"Chỉ tính được ngày làm việc trong khoảng năm {MIN_YEAR} đến {MAX_YEAR}."
            )
        return self.year(year)


_NATIONAL = _Days(frozenset(), frozenset())


@lru_cache(maxsize=256)
def _days_for(days_off: frozenset, working_days: frozenset) -> _Days:
    if not (days_off or working_days):
        return _NATIONAL
    return _Days(days_off, working_days)


_DELTAS: dict[int, timedelta] = {}


def _delta(us: int) -> timedelta:
    """A timedelta of ``us`` microseconds (the few clock times of office hours are reused)."""
    delta = _DELTAS.get(us)
    if delta is None:
        if len(_DELTAS) > 100_000:
            _DELTAS.clear()
        delta = _DELTAS[us] = timedelta(microseconds=us)
    return delta


def clear_shared_tables() -> None:
    """Drop the shared tables (benchmarks, tests); they are built again when next needed. The
    holidays package's dates stay loaded, as they always were."""
    _days_for.cache_clear()
    _hours_for.cache_clear()
    _midnights.cache_clear()
    _NATIONAL.years.clear()
    _DELTAS.clear()


def _frozen(days: Iterable[date]) -> frozenset:
    return days if type(days) is frozenset else frozenset(days)


# --- the calendar -------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkCalendar:
    """Lịch làm việc của một đơn vị."""

    office_hours: OfficeHours = OfficeHours()
    extra_days_off: frozenset[date] = frozenset()
    extra_working_days: frozenset[date] = frozenset()
    same_day_cutoff: time = time(15, 0)
    _hours: _Hours = field(init=False, compare=False, hash=False, repr=False)
    _days: _Days = field(init=False, compare=False, hash=False, repr=False)
    _cutoff: int = field(init=False, compare=False, hash=False, repr=False)
    _years: dict[int, _Year] = field(init=False, compare=False, hash=False, repr=False)
    _coarse: _Scale = field(init=False, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        # Shared tables: built once per process for these office hours and these overrides.
        days = _days_for(_frozen(self.extra_days_off), _frozen(self.extra_working_days))
        hours = _hours_for(self.office_hours.periods)
        object.__setattr__(self, "_hours", hours)
        object.__setattr__(self, "_days", days)
        object.__setattr__(self, "_years", days.years)  # the hot paths read these two directly
        object.__setattr__(self, "_coarse", hours.coarse)
        object.__setattr__(self, "_cutoff", _us(self.same_day_cutoff))

    # --- days ----------------------------------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        table = self._days.years.get(d.year) or self._days.year(d.year)
        return table.working[d.toordinal() - table.first]

    def working_day_after(self, d: date, count: int = 1) -> date:
        """The ``count``-th working day strictly after ``d`` (count >= 1), by index, not loop."""
        days = self._days
        table = days.checked(d.year)
        index = table.rank[d.toordinal() - table.first + 1] + count - 1
        while index >= table.count:
            index -= table.count
            table = days.checked(table.year + 1)
        return date.fromordinal(table.first + table.days[index])

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        return self.working_day_after(d, 1)

    def working_day_on_or_after(self, d: date) -> date:
        return d if self.is_working_day(d) else self.next_working_day(d)

    # --- moments as (year table, day of the year, time since midnight) ------------------------
    #
    # Office time is counted from 1 January of a year table's year (an "office position"): the
    # working days before the day × the office time of a day, plus the office time before the
    # clock time on that day. Adding a processing time is adding to the position; the result is
    # found back by one division and one index into the year's working days.

    def _locate(self, moment: datetime) -> tuple[_Year, int, int]:
        """(year table, day of the year, µs since midnight) of a local moment. The two hot paths
        below, ``_receipt`` and ``_add``, do the same inline: a call is a tenth of their time."""
        days = self._days
        table = days.years.get(moment.year) or days.year(moment.year)
        tod = (moment.hour * 60 + moment.minute) * US_PER_MINUTE
        tod += moment.second * 1_000_000 + moment.microsecond
        return table, moment.toordinal() - table.first, tod

    def _next(self, table: _Year, i: int) -> tuple[_Year, int]:
        """The first working day strictly after day ``i`` of ``table``."""
        if not table.checked:
            self._days.checked(table.year)  # raises
        k = table.rank[i + 1]
        while k >= table.count:
            k -= table.count
            table = self._days.checked(table.year + 1)
        return table, table.days[k]

    def _receipt(self, moment: datetime) -> tuple[_Year, int, int]:
        """The receipt moment of a local moment, as (year table, day of the year, µs)."""
        table = self._years.get(moment.year) or self._days.year(moment.year)
        i = moment.toordinal() - table.first
        fine = self._hours.fine
        if table.working[i]:
            tod = (moment.hour * 60 + moment.minute) * US_PER_MINUTE
            tod += moment.second * 1_000_000 + moment.microsecond
            for start, end, _before, _upto in fine.periods:
                if tod < start:
                    return table, i, start
                if tod < end:
                    return table, i, tod
        table, i = self._next(table, i)
        return table, i, fine.opening

    def _add(self, moment: datetime, minutes: int | float, aware: bool) -> datetime:
        """``minutes`` of office time after the receipt moment of the local ``moment``: its
        office position plus the minutes, then one division and one index into the working
        days."""
        table = self._years.get(moment.year) or self._days.year(moment.year)
        i = moment.toordinal() - table.first
        tod = moment.hour * 60 + moment.minute
        if minutes.__class__ is int and minutes > 0 and not (moment.second or moment.microsecond):
            scale = self._coarse
            remaining = minutes  # the usual case: whole minutes, small integers, lookup tables
        else:
            scale = self._hours.fine
            remaining = _minutes_us(minutes)
            tod = tod * US_PER_MINUTE + moment.second * 1_000_000 + moment.microsecond
            if remaining <= 0:  # nothing to count: the receipt moment
                table, i, tod = self._receipt(moment)
                return table.mids[aware][i] + _delta(tod)
        day = scale.day
        if table.working[i] and tod < scale.last_end:
            office = table.rank[i] * day + scale.before[tod] + remaining
        else:
            # From the next working day's opening, which may be in a later year: its office
            # position is the working days up to and including day i × a day's office time.
            if not table.checked:
                self._days.checked(table.year)  # raises
            office = table.rank[i + 1] * day + remaining
        k = office // day
        rest = office - k * day
        if not rest:  # ends exactly at a close: that close, not the next opening
            k, rest = k - 1, day
        if k >= table.limit:
            table, k = self._rank_in_year(table, k, table.rank[i])
        return table.mids[aware][table.days[k]] + scale.clock[rest]

    def _rank_in_year(self, table: _Year, k: int, same_day: int) -> tuple[_Year, int]:
        """The year table holding the working day of rank ``k`` counted from ``table``'s year,
        and its rank there. Outside the supported years only the day of rank ``same_day``
        (the receipt day) is allowed, as stepping to another working day is refused there."""
        if not table.checked and k != same_day:
            self._days.checked(table.year)  # raises
        while k >= table.count:
            k -= table.count
            table = self._days.checked(table.year + 1)
        return table, k

    def _office_before(self, table: _Year, i: int, tod: int) -> int:
        """Office time (µs) from 1 January of the table's year up to the moment itself."""
        fine = self._hours.fine
        total = table.rank[i] * fine.day
        if table.working[i]:
            total += fine.before[tod]
        return total

    # --- moments -------------------------------------------------------------------------------

    def effective_start(self, received: datetime) -> datetime:
        """The receipt moment: unchanged inside a working period, else the next opening."""
        moment, aware = _to_local(received)
        table, i, tod = self._receipt(moment)
        return table.mids[aware][i] + _delta(tod)

    def add_working_minutes(self, start: datetime, minutes: int | float) -> datetime:
        """``minutes`` of office time after ``start`` (which first moves to its receipt moment);
        0 or less: the receipt moment itself."""
        moment, aware = _to_local(start)
        return self._add(moment, minutes, aware)

    def working_minutes_between(self, a: datetime, b: datetime) -> int:
        """Whole office minutes in [a, b); 0 if b <= a."""
        start, _ = _to_local(a)
        end, _ = _to_local(b)
        if end <= start:
            return 0
        first, i, tod = self._locate(start)
        last, j, tod_b = self._locate(end)
        total = self._office_before(last, j, tod_b) - self._office_before(first, i, tod)
        for year in range(first.year, last.year):
            total += self._days.year(year).count * self._hours.fine.day
        if total % US_PER_MINUTE == 0:
            return total // US_PER_MINUTE
        # Same rounding as summing timedeltas and flooring their seconds, to the microsecond.
        return int(timedelta(microseconds=total).total_seconds() // 60)

    def extend(self, due: datetime, paused_minutes: int) -> datetime:
        """Move a due moment by working time the clock was stopped (supplement)."""
        if paused_minutes <= 0:
            return due
        # From a close, or outside office time, the clock restarts at the next opening; inside a
        # period it goes on from the moment itself (which is what the receipt moment is there).
        return self.add_working_minutes(due, paused_minutes)

    def due_at(
        self, received: datetime, amount: Decimal | int | float | str, kind: DurationKind | str
    ) -> datetime:
        """Ngày hẹn trả kết quả for a processing time of ``amount`` ``kind``."""
        if kind.__class__ is not DurationKind:
            try:
                kind = _KINDS[kind]
            except (KeyError, TypeError):
                raise CalendarError(
                    "Loại thời hạn phải là ngày làm việc, giờ làm việc hoặc ngày."
                ) from None
        # step: minutes of office time (working days, hours), calendar days (days), -1 (same day)
        if amount.__class__ is int and 0 <= amount <= 3650:
            if not amount:
                step = -1
            elif kind is _WORKING_DAYS:
                step = amount * self._hours.minutes_per_day
            elif kind is _WORKING_HOURS:
                step = amount * 60
            else:
                step = amount
        else:
            step = self._step(amount, kind)
        tz = received.tzinfo
        if tz is None or tz is LOCAL_TZ:  # the fields are local time already
            moment, aware = received, tz is not None
        else:
            moment, aware = received.astimezone(LOCAL_TZ), True
        if not MIN_YEAR <= moment.year <= MAX_YEAR:
            raise CalendarError(
                f"Thời điểm tiếp nhận phải trong khoảng năm {MIN_YEAR} đến {MAX_YEAR}."
            )
        if step >= 0 and kind is not _DAYS:
            return self._add(moment, step, aware)
        table, i, tod = self._receipt(moment)
        if step < 0:  # same day: that day's close, or the next working day's after the cut-off
            if tod >= self._cutoff:
                table, i = self._next(table, i)
            return table.mids[aware][i] + self._hours.closing
        i += step  # calendar days, keeping the clock time; a day off moves to the next working day
        while i >= table.size:
            i -= table.size
            table = self._days.year(table.year + 1)
        if not table.working[i]:
            table, i = self._next(table, i)
        return table.mids[aware][i] + (_DELTAS.get(tod) or _delta(tod))

    def _step(self, amount: object, kind: DurationKind) -> int:
        """What ``amount`` adds for ``kind`` (see due_at), remembered per amount and its type:
        procedures have a handful of processing times, so parsing each once is enough."""
        steps = self._hours.steps[kind]
        try:
            key = (amount, amount.__class__)
            step = steps.get(key)
        except TypeError:  # unhashable: not a number anyway
            key, step = None, None
        if step is None:
            value = _amount(amount)
            if value == 0:
                step = -1
            elif kind is _DAYS:
                # Calendar days are whole days: a fraction counts as a whole day (docs/time.md).
                step = math.ceil(value)
            else:
                per_unit = self._hours.minutes_per_day if kind is _WORKING_DAYS else 60
                step = int((value * per_unit).to_integral_value())
            if key is not None:
                if len(steps) > 10_000:
                    steps.clear()
                steps[key] = step
        return step


def _amount(amount: Decimal | int | float | str) -> Decimal:
    """The amount as a Decimal, or a Vietnamese refusal. (A whole number from 0 to 3650 never
    comes here: ``due_at`` takes it directly.)"""
    try:
        value = Decimal(str(amount).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise CalendarError(f"Thời hạn “{amount}” không phải là số.") from None
    if not value.is_finite() or (isinstance(amount, float) and math.isnan(amount)):
        raise CalendarError("Thời hạn không phải là số hữu hạn.")
    if value < 0:
        raise CalendarError("Thời hạn không được âm.")
    if value > MAX_AMOUNT:
        raise CalendarError(f"Thời hạn tối đa là {MAX_AMOUNT} (khoảng 10 năm).")
    return value


def _minutes_us(minutes: int | float) -> int:
    if minutes.__class__ is int:
        return minutes * US_PER_MINUTE
    return timedelta(minutes=minutes) // _ONE_US  # timedelta's rounding to the microsecond


def _to_local(moment: datetime) -> tuple[datetime, bool]:
    if moment.tzinfo is None:
        return moment, False
    return moment.astimezone(LOCAL_TZ).replace(tzinfo=None), True


@cache
def default_calendar() -> WorkCalendar:
    """The national calendar with the default office hours."""
    return WorkCalendar()
