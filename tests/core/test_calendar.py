"""The working-day calendar: table tests across Tết, Giỗ Tổ, swapped and make-up days;
property tests for its arithmetic."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.core.calendar import (
    LOCAL_TZ,
    CalendarError,
    DurationKind,
    OfficeHours,
    WorkCalendar,
    default_calendar,
)

WD, WH, D = DurationKind.WORKING_DAYS, DurationKind.WORKING_HOURS, DurationKind.DAYS


def cal() -> WorkCalendar:
    """The national calendar with the default office hours, built on the shared tables as they
    are now (tests/core/conftest.py empties them before each test)."""
    return WorkCalendar()


def test_the_default_calendar_is_the_national_one():
    assert default_calendar() == WorkCalendar()
    assert default_calendar().office_hours.periods == (
        (time(7, 30), time(11, 30)),
        (time(13), time(17)),
    )


def dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize(
    "day, working",
    [
        ("2024-02-07", True),  # Wed before Tết Giáp Thìn
        ("2024-02-08", False),
        ("2024-02-14", False),  # Tết 2024: 08/02 – 14/02
        ("2024-02-15", True),
        ("2024-04-18", False),  # Giỗ Tổ 2024
        ("2024-04-29", False),  # swapped day off …
        ("2024-05-04", True),  # … worked on Saturday 04/05/2024
        ("2024-05-05", False),
        ("2024-09-02", False),
        ("2024-09-03", False),
        ("2025-01-27", False),
        ("2025-01-31", False),  # Tết Ất Tỵ
        ("2025-04-07", False),  # Giỗ Tổ 2025
        ("2025-04-26", True),
        ("2025-05-02", False),  # Sat 26/04 worked for Fri 02/05
        ("2026-02-13", True),
        ("2026-02-16", False),
        ("2026-02-20", False),
        ("2026-02-23", True),
        ("2026-04-27", False),  # Giỗ Tổ Sun 26/04/2026, nghỉ bù Mon 27/04
        ("2026-08-22", True),
        ("2026-08-31", False),  # Quốc khánh 2026 swap
        ("2026-09-01", False),
        ("2026-09-02", False),
        ("2026-11-24", False),  # Ngày Văn hóa Việt Nam, from 2026
        ("2025-11-24", True),
        ("2026-11-28", False),  # an ordinary Saturday
    ],
)
def test_working_days(day, working):
    assert cal().is_working_day(date.fromisoformat(day)) is working


@pytest.mark.parametrize(
    "received, amount, kind, due",
    [
        ("2026-03-02 10:00", 3, WD, "2026-03-05 10:00"),  # the DOMAIN.md example
        ("2026-03-02 07:30", 1, WD, "2026-03-02 17:00"),  # ends exactly at the close
        ("2026-03-02 07:30", "0.5", WD, "2026-03-02 11:30"),
        ("2026-03-06 14:00", 1, WD, "2026-03-09 14:00"),  # Fri afternoon → Mon
        ("2026-03-02 11:45", 1, WD, "2026-03-03 11:30"),  # between periods: from 13:00
        ("2026-03-02 18:00", 1, WD, "2026-03-03 17:00"),  # evening: from the next opening
        ("2026-03-08 09:00", 2, WD, "2026-03-10 17:00"),  # Sunday
        ("2024-02-07 10:00", 3, WD, "2024-02-19 10:00"),  # across Tết 2024
        ("2025-01-24 15:00", 1, WD, "2025-02-03 15:00"),  # across Tết 2025
        ("2026-02-13 16:00", 2, WD, "2026-02-24 16:00"),  # across Tết 2026
        ("2024-04-26 10:00", 2, WD, "2024-05-03 10:00"),  # 29/04, 30/04, 01/05 off
        ("2024-05-03 10:00", 1, WD, "2024-05-04 10:00"),  # make-up Saturday 04/05/2024
        ("2026-08-21 10:00", 1, WD, "2026-08-22 10:00"),  # make-up Saturday 22/08/2026
        ("2026-08-28 10:00", 1, WD, "2026-09-03 10:00"),  # 31/08, 01/09, 02/09 off
        ("2026-11-23 10:00", 1, WD, "2026-11-25 10:00"),  # 24/11/2026 off
        ("2026-03-02 10:00", 4, WH, "2026-03-02 15:30"),  # 1h30 + lunch + 2h30
        ("2026-03-02 16:00", 2, WH, "2026-03-03 08:30"),
        ("2026-03-02 14:59", 0, WD, "2026-03-02 17:00"),  # same day, before the cut-off
        ("2026-03-02 15:00", 0, WD, "2026-03-03 17:00"),  # at the cut-off: next day
        ("2026-03-07 09:00", 0, WD, "2026-03-09 17:00"),  # Saturday: Monday
        ("2026-03-02 10:00", 5, D, "2026-03-09 10:00"),  # Sat 07/03 → Mon 09/03
        ("2026-03-02 10:00", 3, D, "2026-03-05 10:00"),
        ("2026-04-24 10:00", 3, D, "2026-04-28 10:00"),  # Mon 27/04 off → Tue
        ("2026-03-02 10:00", "1.5", D, "2026-03-04 10:00"),  # a fraction is a whole day
    ],
)
def test_due_moments(received, amount, kind, due):
    assert cal().due_at(dt(received), amount, kind) == dt(due)


def test_aware_in_aware_out():
    received = dt("2026-03-02 03:00+00:00")  # 10:00 in Vietnam
    due = cal().due_at(received, 3, WD)
    assert due.tzinfo == LOCAL_TZ
    assert due.replace(tzinfo=None) == dt("2026-03-05 10:00")


def test_unit_overrides():
    day_off = WorkCalendar(extra_days_off=frozenset({date(2026, 3, 3)}))
    assert day_off.due_at(dt("2026-03-02 10:00"), 1, WD) == dt("2026-03-04 10:00")
    extra = WorkCalendar(extra_working_days=frozenset({date(2026, 3, 7)}))
    assert extra.due_at(dt("2026-03-06 10:00"), 1, WD) == dt("2026-03-07 10:00")
    # a unit's day off wins even over a decreed make-up Saturday
    assert not WorkCalendar(extra_days_off=frozenset({date(2024, 5, 4)})).is_working_day(
        date(2024, 5, 4)
    )


def test_custom_office_hours():
    hours = OfficeHours(((time(7, 0), time(11, 30)), (time(13, 30), time(17, 0))))
    cal = WorkCalendar(office_hours=hours)
    assert hours.minutes_per_day == 480
    assert cal.effective_start(dt("2026-03-02 11:45")) == dt("2026-03-02 13:30")
    assert cal.due_at(dt("2026-03-02 07:00"), 1, WD) == dt("2026-03-02 17:00")
    with pytest.raises(ValueError, match="bắt đầu phải trước"):
        OfficeHours(((time(11, 0), time(7, 0)),))
    with pytest.raises(ValueError, match="chồng lên nhau"):
        OfficeHours(((time(7, 0), time(12, 0)), (time(11, 0), time(17, 0))))


@pytest.mark.parametrize(
    "received, amount, kind, message",
    [
        ("2026-03-02 10:00", -1, WD, "Thời hạn không được âm."),
        ("2026-03-02 10:00", "NaN", WD, "Thời hạn không phải là số hữu hạn."),
        ("2026-03-02 10:00", "ba", WD, "Thời hạn “ba” không phải là số."),
        ("2026-03-02 10:00", 3651, WD, "Thời hạn tối đa là 3650 (khoảng 10 năm)."),
        ("1900-01-01 10:00", 1, WD, "Thời điểm tiếp nhận phải trong khoảng năm 1990 đến 2100."),
        (
            "2026-03-02 10:00",
            1,
            "weeks",
            "Loại thời hạn phải là ngày làm việc, giờ làm việc hoặc ngày.",
        ),
    ],
)
def test_bad_input_is_refused_in_vietnamese(received, amount, kind, message):
    with pytest.raises(CalendarError) as caught:
        cal().due_at(dt(received), amount, kind)
    assert str(caught.value) == message


def test_working_minutes_between_and_extend():
    assert cal().working_minutes_between(dt("2026-03-02 07:30"), dt("2026-03-03 07:30")) == 480
    assert cal().working_minutes_between(dt("2026-03-02 11:00"), dt("2026-03-02 13:30")) == 60
    assert cal().working_minutes_between(dt("2026-03-03 07:30"), dt("2026-03-02 07:30")) == 0
    due = dt("2026-03-05 10:00")
    assert cal().extend(due, 0) == due
    assert cal().extend(due, 480) == dt("2026-03-06 10:00")
    assert cal().extend(dt("2026-03-05 17:00"), 30) == dt("2026-03-06 08:00")


# --- properties ---------------------------------------------------------------------------

moments = st.datetimes(datetime(2024, 1, 1), datetime(2026, 12, 31)).map(
    lambda m: m.replace(second=0, microsecond=0)
)
amounts = st.decimals(Decimal("0.25"), Decimal(40), places=2)


def inside_or_at_close(moment: datetime) -> bool:
    if not cal().is_working_day(moment.date()):
        return False
    return any(
        datetime.combine(moment.date(), s) <= moment <= datetime.combine(moment.date(), e)
        for s, e in cal().office_hours.periods
    )


@settings(max_examples=300)
@given(moments, amounts, st.sampled_from([WD, WH, D]))
def test_due_moment_lies_on_a_working_day(received, amount, kind):
    due = cal().due_at(received, amount, kind)
    assert due > received
    assert cal().is_working_day(due.date())
    if kind is not D:
        assert inside_or_at_close(due)


@settings(max_examples=300)
@given(moments, amounts)
def test_working_hours_measure_back(received, amount):
    hours = amount.quantize(Decimal(1)) or Decimal(1)
    due = cal().due_at(received, hours, WH)
    start = cal().effective_start(received)
    assert cal().working_minutes_between(start, due) == int(hours) * 60


@settings(max_examples=200)
@given(moments, amounts, amounts, st.sampled_from([WD, WH, D]))
def test_monotone_in_amount(received, a, b, kind):
    low, high = sorted((a, b))
    assert cal().due_at(received, low, kind) <= cal().due_at(received, high, kind)


@settings(max_examples=200)
@given(moments, st.integers(0, 10_000), amounts, st.sampled_from([WD, WH]))
def test_monotone_in_start(received, minutes, amount, kind):
    later = received + timedelta(minutes=minutes)
    assert cal().due_at(received, amount, kind) <= cal().due_at(later, amount, kind)


@settings(max_examples=200)
@given(moments, st.integers(1, 20_000))
def test_add_then_measure_roundtrip(start, minutes):
    end = cal().add_working_minutes(start, minutes)
    assert cal().working_minutes_between(cal().effective_start(start), end) == minutes
