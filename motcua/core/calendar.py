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
"""

from __future__ import annotations

import csv
import math
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cache, cached_property
from pathlib import Path

from motcua.core.localtime import LOCAL_TZ

MIN_YEAR, MAX_YEAR = 1990, 2100
MAX_AMOUNT = Decimal(3650)
MAKEUP_FILE = Path(__file__).parent / "data" / "makeup_working_days.csv"
ONE_DAY = timedelta(days=1)


class DurationKind(StrEnum):
    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    DAYS = "days"


class CalendarError(ValueError):
    """A due-date request that cannot be computed (Vietnamese message)."""


@dataclass(frozen=True)
class OfficeHours:
    """Giờ làm việc: the working periods of a day, e.g. 07:30-11:30 and 13:00-17:00."""

    periods: tuple[tuple[time, time], ...] = (
        (time(7, 30), time(11, 30)),
        (time(13, 0), time(17, 0)),
    )

    def __post_init__(self) -> None:
        if not self.periods:
            raise ValueError("Giờ làm việc phải có ít nhất một buổi.")
        previous_end = None
        for start, end in self.periods:
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


@cache
def _national_days_off(year: int) -> frozenset[date]:
    import holidays

    return frozenset(holidays.country_holidays("VN", years=year, language="vi"))


@cache
def shipped_makeup_days() -> frozenset[date]:
    """Decreed make-up working Saturdays (ngày làm bù) shipped with the project."""
    with MAKEUP_FILE.open(encoding="utf-8") as handle:
        return frozenset(date.fromisoformat(row["date"]) for row in csv.DictReader(handle))


@dataclass(frozen=True)
class WorkCalendar:
    """Lịch làm việc của một đơn vị."""

    office_hours: OfficeHours = OfficeHours()
    extra_days_off: frozenset[date] = frozenset()
    extra_working_days: frozenset[date] = frozenset()
    same_day_cutoff: time = time(15, 0)
    _cache: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    # --- days ----------------------------------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        cached = self._cache.get(d)
        if cached is None:
            if d in self.extra_days_off:
                cached = False
            elif d in self.extra_working_days or d in shipped_makeup_days():
                cached = True
            else:
                cached = d.weekday() < 5 and d not in _national_days_off(d.year)
            self._cache[d] = cached
        return cached

    def _year_days(self, year: int) -> list[date]:
        """The working days of a year, in order (built once per calendar and year)."""
        key = ("year", year)
        days = self._cache.get(key)
        if days is None:
            if not MIN_YEAR - 1 <= year <= MAX_YEAR + 1:
                raise CalendarError(
                    f"Chỉ tính được ngày làm việc trong khoảng năm {MIN_YEAR} đến {MAX_YEAR}."
                )
            first = date(year, 1, 1)
            days = [
                first + timedelta(days=i)
                for i in range((date(year + 1, 1, 1) - first).days)
                if self.is_working_day(first + timedelta(days=i))
            ]
            self._cache[key] = days
        return days

    def working_day_after(self, d: date, count: int = 1) -> date:
        """The ``count``-th working day strictly after ``d`` (count >= 1), by index, not loop."""
        year = d.year
        days = self._year_days(year)
        index = bisect_right(days, d) + count - 1
        while index >= len(days):
            index -= len(days)
            year += 1
            days = self._year_days(year)
        return days[index]

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        return self.working_day_after(d, 1)

    def working_day_on_or_after(self, d: date) -> date:
        return d if self.is_working_day(d) else self.next_working_day(d)

    def _periods_on(self, d: date) -> list[tuple[datetime, datetime]]:
        offsets = self._cache.get("offsets")
        if offsets is None:
            offsets = [
                (timedelta(minutes=_minutes(s)), timedelta(minutes=_minutes(e)))
                for s, e in self.office_hours.periods
            ]
            self._cache["offsets"] = offsets
        midnight = datetime(d.year, d.month, d.day)
        return [(midnight + s, midnight + e) for s, e in offsets]

    def _close_of(self, d: date) -> datetime:
        return datetime.combine(d, self.office_hours.closing)

    # --- moments -------------------------------------------------------------------------------

    def effective_start(self, received: datetime) -> datetime:
        """The receipt moment: unchanged inside a working period, else the next opening."""
        moment, aware = _to_local(received)
        return _from_local(self._effective(moment), aware)

    def _effective(self, moment: datetime) -> datetime:
        if self.is_working_day(moment.date()):
            for start, end in self._periods_on(moment.date()):
                if moment < start:
                    return start
                if moment < end:
                    return moment
        first_open = self.office_hours.periods[0][0]
        return datetime.combine(self.next_working_day(moment.date()), first_open)

    def add_working_minutes(self, start: datetime, minutes: int | float) -> datetime:
        """``minutes`` of office time after ``start`` (which first moves to its receipt moment)."""
        moment, aware = _to_local(start)
        return _from_local(self._add(self._effective(moment), timedelta(minutes=minutes)), aware)

    def _add(self, current: datetime, remaining: timedelta) -> datetime:
        # The rest of the current day, period by period.
        for start, end in self._periods_on(current.date()):
            if current >= end:
                continue
            segment_start = max(current, start)
            available = end - segment_start
            if remaining <= available:
                return segment_start + remaining
            remaining -= available
        # Whole working days in one jump, then the last day period by period.
        day_length = timedelta(minutes=self.office_hours.minutes_per_day)
        whole, rest = divmod(remaining, day_length)
        if not rest:  # ends exactly at a close: that close, not the next opening
            whole, rest = whole - 1, day_length
        d = self.working_day_after(current.date(), 1 + whole)
        remaining = rest
        for start, end in self._periods_on(d):
            available = end - start
            if remaining <= available:
                return start + remaining
            remaining -= available
        raise AssertionError("unreachable: the last day holds the remaining time")

    def working_minutes_between(self, a: datetime, b: datetime) -> int:
        """Whole office minutes in [a, b); 0 if b <= a."""
        start, _ = _to_local(a)
        end, _ = _to_local(b)
        if end <= start:
            return 0
        total = timedelta()
        d = start.date()
        while d <= end.date():
            if self.is_working_day(d):
                for p_start, p_end in self._periods_on(d):
                    lo, hi = max(p_start, start), min(p_end, end)
                    if hi > lo:
                        total += hi - lo
            d += ONE_DAY
        return int(total.total_seconds() // 60)

    def extend(self, due: datetime, paused_minutes: int) -> datetime:
        """Move a due moment by working time the clock was stopped (supplement)."""
        if paused_minutes <= 0:
            return due
        moment, aware = _to_local(due)
        current = moment
        closes = [end for _, end in self._periods_on(current.date())]
        if current in closes or not self._inside(current):
            current = self._effective(current)
        return _from_local(self._add(current, timedelta(minutes=paused_minutes)), aware)

    def _inside(self, moment: datetime) -> bool:
        if not self.is_working_day(moment.date()):
            return False
        return any(s <= moment < e for s, e in self._periods_on(moment.date()))

    def due_at(
        self, received: datetime, amount: Decimal | int | float | str, kind: DurationKind | str
    ) -> datetime:
        """Ngày hẹn trả kết quả for a processing time of ``amount`` ``kind``."""
        try:
            kind = kind if type(kind) is DurationKind else DurationKind(kind)
        except ValueError:
            raise CalendarError(
                "Loại thời hạn phải là ngày làm việc, giờ làm việc hoặc ngày."
            ) from None
        value = _amount(amount)
        moment, aware = _to_local(received)
        if not MIN_YEAR <= moment.year <= MAX_YEAR:
            raise CalendarError(
                f"Thời điểm tiếp nhận phải trong khoảng năm {MIN_YEAR} đến {MAX_YEAR}."
            )
        effective = self._effective(moment)
        if value == 0:
            day = effective.date()
            if effective.time() >= self.same_day_cutoff:
                day = self.next_working_day(day)
            return _from_local(self._close_of(day), aware)
        if kind is DurationKind.DAYS:
            # Calendar days are whole days: a fraction counts as a whole day (docs/time.md).
            later = effective + timedelta(days=math.ceil(value))
            day = self.working_day_on_or_after(later.date())
            return _from_local(datetime.combine(day, later.time()), aware)
        per_unit = self.office_hours.minutes_per_day if kind is DurationKind.WORKING_DAYS else 60
        minutes = int((value * per_unit).to_integral_value())
        return _from_local(self._add(effective, timedelta(minutes=minutes)), aware)


def _amount(amount: Decimal | int | float | str) -> Decimal:
    if type(amount) is int and 0 <= amount <= MAX_AMOUNT:
        return Decimal(amount)
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


def _to_local(moment: datetime) -> tuple[datetime, bool]:
    if moment.tzinfo is None:
        return moment, False
    return moment.astimezone(LOCAL_TZ).replace(tzinfo=None), True


def _from_local(moment: datetime, aware: bool) -> datetime:
    return moment.replace(tzinfo=LOCAL_TZ) if aware else moment


@cache
def default_calendar() -> WorkCalendar:
    """The national calendar with the default office hours."""
    return WorkCalendar()
