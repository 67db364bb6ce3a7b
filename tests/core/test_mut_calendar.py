"""Calendar behaviour through the public functions only (docs/time.md), so these tests hold
for any implementation: office hours, working days, the receipt moment, extensions, time
zones and the amounts a person may type.

Each test builds its own calendar (the ``cal`` fixture): a calendar memoises its days, and a
module-level one filled by an earlier test would answer from its memo, not from the rules."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import pytest

from motcua.core.calendar import CalendarError, DurationKind, OfficeHours, WorkCalendar
from motcua.core.localtime import LOCAL_TZ
from tests.core.sentences import assert_sentence

MON = datetime(2026, 3, 2)  # Monday 2 March 2026, an ordinary working week


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar()


def at(day: datetime, hh: int, mm: int = 0) -> datetime:
    return day.replace(hour=hh, minute=mm)


def test_office_hours_must_be_ordered_periods():
    for bad in ((), ((time(8), time(8)),), ((time(9), time(8)),)):
        with pytest.raises(ValueError) as caught:
            OfficeHours(bad)
        assert_sentence(str(caught.value))
    with pytest.raises(ValueError) as caught:
        OfficeHours(((time(7, 30), time(11, 30)), (time(11, 0), time(17, 0))))
    assert_sentence(str(caught.value))
    # back to back is not overlapping: 07:30-11:30 then 11:30-15:30 is one 8-hour day
    joined = OfficeHours(((time(7, 30), time(11, 30)), (time(11, 30), time(15, 30))))
    assert WorkCalendar(office_hours=joined).due_at(at(MON, 7, 30), 1, "working_days") == at(
        MON, 15, 30
    )


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 3, 2), True),  # Monday
        (date(2026, 3, 6), True),  # Friday
        (date(2026, 3, 7), False),  # Saturday
        (date(2026, 3, 8), False),  # Sunday
        (date(2024, 4, 30), False),  # Tuesday, 30/4 (Bộ luật Lao động 2019 Điều 112)
        (date(2024, 4, 29), False),  # Monday, swapped day off for Saturday 04/05/2024
        (date(2024, 5, 4), True),  # Saturday worked in exchange (make-up day)
        (date(2024, 5, 11), False),  # an ordinary Saturday of the same month
        (date(2026, 8, 22), True),  # make-up Saturday for 31/08/2026 (Thông báo 9441/TB-BNV)
        (date(2026, 2, 17), False),  # Tết Nguyên Đán 2026
    ],
)
def test_working_days(day, working, cal):
    assert cal.is_working_day(day) is working
    assert cal.is_working_day(day) is working  # asked twice, same answer


def test_a_units_own_days_win():
    cal = WorkCalendar(
        extra_days_off=frozenset({date(2026, 3, 3), date(2024, 5, 4)}),
        extra_working_days=frozenset({date(2026, 3, 8)}),
    )
    assert cal.is_working_day(date(2026, 3, 3)) is False  # a Tuesday off
    assert cal.is_working_day(date(2024, 5, 4)) is False  # off wins over a make-up Saturday
    assert cal.is_working_day(date(2026, 3, 8)) is True  # a Sunday worked
    assert cal.is_working_day(date(2026, 3, 2)) is True


def test_working_day_after_counts_strictly_after(cal):
    assert cal.working_day_after(date(2026, 3, 6)) == date(2026, 3, 9)  # Friday → Monday
    assert cal.working_day_after(date(2026, 3, 6), 2) == date(2026, 3, 10)
    assert cal.next_working_day(date(2026, 3, 2)) == date(2026, 3, 3)
    assert cal.working_day_on_or_after(date(2026, 3, 7)) == date(2026, 3, 9)
    assert cal.working_day_on_or_after(date(2026, 3, 2)) == date(2026, 3, 2)
    # across the year's end: 31/12/2026 is a Thursday, 01/01/2027 a holiday
    assert cal.working_day_after(date(2026, 12, 31)) == date(2027, 1, 4)


def test_receipt_moment_at_the_edges_of_a_period(cal):
    assert cal.effective_start(at(MON, 7, 30)) == at(MON, 7, 30)
    assert cal.effective_start(at(MON, 7, 0)) == at(MON, 7, 30)
    assert cal.effective_start(at(MON, 11, 29)) == at(MON, 11, 29)
    assert cal.effective_start(at(MON, 11, 30)) == at(MON, 13, 0)  # the close is outside
    assert cal.effective_start(at(MON, 11, 45)) == at(MON, 13, 0)  # docs/time.md's example
    assert cal.effective_start(at(MON, 17, 0)) == datetime(2026, 3, 3, 7, 30)
    assert cal.effective_start(datetime(2026, 3, 7, 9)) == datetime(2026, 3, 9, 7, 30)


def test_aware_in_aware_out_for_every_function(cal):
    aware = datetime(2026, 3, 2, 10, tzinfo=LOCAL_TZ)
    results = [
        cal.effective_start(aware),
        cal.add_working_minutes(aware, 60),
        cal.extend(aware, 60),
        cal.due_at(aware, 0, DurationKind.WORKING_DAYS),
        cal.due_at(aware, 2, DurationKind.DAYS),
        cal.due_at(aware, 3, DurationKind.WORKING_DAYS),
        cal.due_at(aware, 4, DurationKind.WORKING_HOURS),
    ]
    for got in results:
        assert got.tzinfo is not None and got.utcoffset() == LOCAL_TZ.utcoffset(got)
    assert results[1] == datetime(2026, 3, 2, 11, tzinfo=LOCAL_TZ)
    assert results[3] == datetime(2026, 3, 2, 17, tzinfo=LOCAL_TZ)
    assert results[4] == datetime(2026, 3, 4, 10, tzinfo=LOCAL_TZ)
    assert results[5] == datetime(2026, 3, 5, 10, tzinfo=LOCAL_TZ)  # docs/time.md's example
    assert results[6] == datetime(2026, 3, 2, 15, 30, tzinfo=LOCAL_TZ)


def test_extend_by_nothing_keeps_the_due_moment(cal):
    close = at(MON, 17, 0)
    assert cal.extend(close, 0) == close
    assert cal.extend(close, -5) == close
    assert cal.extend(at(MON, 10), 1) == at(MON, 10, 1)


def test_extend_from_a_close_or_a_day_off_starts_at_the_next_opening(cal):
    assert cal.extend(at(MON, 11, 30), 30) == at(MON, 13, 30)
    assert cal.extend(at(MON, 17, 0), 30) == datetime(2026, 3, 3, 8, 0)
    assert cal.extend(datetime(2026, 3, 7, 10, 0), 30) == datetime(2026, 3, 9, 8, 0)  # Saturday
    assert cal.extend(at(MON, 12, 0), 30) == at(MON, 13, 30)  # lunch break


def test_working_minutes_between(cal):
    assert cal.working_minutes_between(at(MON, 10), at(MON, 10)) == 0
    assert cal.working_minutes_between(at(MON, 10), at(MON, 9)) == 0
    assert cal.working_minutes_between(at(MON, 11), at(MON, 13, 30)) == 60  # 30 + 30
    assert cal.working_minutes_between(at(MON, 7, 30), datetime(2026, 3, 9, 7, 30)) == 5 * 480
    assert (
        cal.working_minutes_between(
            at(
                MON,
                7,
                30,
            ),
            at(MON, 7, 30).replace(second=59),
        )
        == 0
    )


@pytest.mark.parametrize("amount", [1.5, "1,5", "1.5", Decimal("1.5"), " 1,5 "])
def test_amounts_as_people_type_them(amount, cal):
    # 1,5 working days from Monday 07:30 = 12 office hours → Tuesday 11:30
    assert cal.due_at(at(MON, 7, 30), amount, "working_days") == datetime(2026, 3, 3, 11, 30)


def test_zero_and_the_maximum_are_allowed(cal):
    for zero in (0, "0", Decimal(0), 0.0):
        assert cal.due_at(at(MON, 9), zero, "working_days") == at(MON, 17)
    assert cal.due_at(at(MON, 9), 3650, "days").year == 2036
    assert cal.due_at(at(MON, 9), "3650", "days") == cal.due_at(at(MON, 9), 3650, "days")


@pytest.mark.parametrize("amount", ["-1", -1, "3651", 3651, "abc", "nan", float("nan"), "inf"])
def test_bad_amounts_are_refused_in_a_sentence(amount, cal):
    with pytest.raises(CalendarError) as caught:
        cal.due_at(at(MON, 9), amount, "working_days")
    assert_sentence(str(caught.value))


def test_kind_as_text_or_member_and_a_bad_kind(cal):
    member = cal.due_at(at(MON, 10), 3, DurationKind.WORKING_DAYS)
    assert cal.due_at(at(MON, 10), 3, "working_days") == member == datetime(2026, 3, 5, 10)
    with pytest.raises(CalendarError) as caught:
        cal.due_at(at(MON, 10), 3, "weeks")
    assert_sentence(str(caught.value))


def test_years_1990_to_2100(cal):
    assert cal.due_at(datetime(1990, 1, 2, 8), 1, "working_days").year == 1990
    late = cal.due_at(datetime(2100, 12, 28, 8), 10, "working_days")  # due in January 2101
    assert late.year == 2101
    for year in (1989, 2101):
        with pytest.raises(CalendarError) as caught:
            cal.due_at(datetime(year, 6, 1, 8), 1, "working_days")
        assert_sentence(str(caught.value))


def test_a_units_working_new_year_day_is_the_first_of_the_year(cal):
    mine = WorkCalendar(extra_working_days=frozenset({date(2027, 1, 1)}))
    assert mine.working_day_after(date(2026, 12, 31)) == date(2027, 1, 1)
    assert cal.working_day_after(date(2026, 12, 31)) == date(2027, 1, 4)


@pytest.mark.parametrize(
    ("start", "count"),
    [(date(2026, 1, 5), 1), (date(2026, 1, 5), 5), (date(2025, 12, 30), 3),
     (date(2026, 3, 2), 250), (date(2026, 1, 5), 600), (date(2024, 2, 1), 1000)],
)  # fmt: skip
def test_working_day_after_is_counting_working_days_one_by_one(cal, start, count):
    day, left = start, count
    while left:
        day = date.fromordinal(day.toordinal() + 1)
        left -= cal.is_working_day(day)
    assert cal.working_day_after(start, count) == day


def test_working_days_outside_the_years_served_are_refused(cal):
    for day in (date(1988, 6, 1), date(2102, 6, 1)):
        with pytest.raises(CalendarError) as caught:
            cal.working_day_after(day)
        assert_sentence(str(caught.value))


@pytest.mark.parametrize("count", [1, 2, 3, 10])
def test_counting_across_a_units_working_new_year_day(count):
    mine = WorkCalendar(extra_working_days=frozenset({date(2027, 1, 1)}))
    day, left = date(2026, 12, 30), count
    while left:
        day = date.fromordinal(day.toordinal() + 1)
        left -= mine.is_working_day(day)
    assert mine.working_day_after(date(2026, 12, 30), count) == day


# --- moments to the microsecond, openings and closes, the year's last working day (hand tables)
# Written against the survivors of the calendar's mutation run after its rewrite into year
# tables (docs/testing.md): each expected moment is worked out by hand from docs/time.md's
# rules (office 07:30-11:30 and 13:00-17:00 by default, Saturdays and Sundays off, 1 January a
# holiday), not read from the code.


def test_a_moment_keeps_its_seconds_and_microseconds(cal):
    received = datetime(2026, 3, 2, 9, 15, 42, 123456)  # Monday
    # two working days: the same office position two working days on, to the microsecond
    assert cal.due_at(received, 2, "working_days") == datetime(2026, 3, 4, 9, 15, 42, 123456)
    # three working hours: 2 h 14 min 17.876544 s to 11:30, the 45 min 42.123456 s left from 13:00
    assert cal.due_at(received, 3, "working_hours") == datetime(2026, 3, 2, 13, 45, 42, 123456)
    # one working hour and 0.00001 s apart: 60 whole minutes; 10 µs less would be 59
    start = datetime(2026, 3, 2, 9, 0, 59, 999990)
    assert cal.working_minutes_between(start, datetime(2026, 3, 2, 10, 1)) == 60
    assert cal.working_minutes_between(start, datetime(2026, 3, 2, 10, 0, 59, 999980)) == 59


def test_exactly_at_an_opening_or_a_close():
    cal = WorkCalendar()
    assert cal.due_at(at(MON, 13), 1, "working_hours") == at(MON, 14)  # at the afternoon opening
    assert cal.due_at(at(MON, 11, 30), 1, "working_hours") == at(MON, 14)  # at the morning close
    # at the day's close: counted from Tuesday's opening
    assert cal.due_at(at(MON, 17), 1, "working_hours") == datetime(2026, 3, 3, 8, 30)


def test_from_the_years_last_working_day_into_the_next_year():
    cal = WorkCalendar()
    last = datetime(2026, 12, 31, 9, 0)  # Thursday; Friday 1 January 2027 is a holiday
    assert cal.due_at(last, 1, "working_days") == datetime(2027, 1, 4, 9, 0)  # Monday
    assert cal.due_at(last, 2, "working_days") == datetime(2027, 1, 5, 9, 0)
    # the year's last working hours: 15:00 to 17:00, then 2 hours from Monday's opening
    assert cal.due_at(datetime(2026, 12, 31, 15), 4, "working_hours") == datetime(2027, 1, 4, 9, 30)
    assert (
        cal.working_minutes_between(datetime(2026, 12, 31, 16), datetime(2027, 1, 4, 8, 30)) == 120
    )


def test_after_the_years_last_close_the_next_year_begins():
    cal = WorkCalendar()
    # Thursday 31/12/2026 at or after its close: the receipt moment is Monday 04/01/2027's
    # opening (Friday 1 January is a holiday, then a weekend)
    assert cal.effective_start(datetime(2026, 12, 31, 17, 0)) == datetime(2027, 1, 4, 7, 30)
    assert cal.effective_start(datetime(2026, 12, 31, 20, 15)) == datetime(2027, 1, 4, 7, 30)
    # one working day from that opening ends exactly at Monday's close
    assert cal.due_at(datetime(2026, 12, 31, 17, 30), 1, "working_days") == datetime(
        2027, 1, 4, 17, 0
    )
    # same day asked for after the cut-off (15:00): the next working day's close
    assert cal.due_at(datetime(2026, 12, 31, 15, 30), 0, "working_days") == datetime(
        2027, 1, 4, 17, 0
    )
    # before the cut-off: that day's own close
    assert cal.due_at(datetime(2026, 12, 31, 14, 59), 0, "working_days") == datetime(
        2026, 12, 31, 17, 0
    )
    # one calendar day lands on the holiday: moved to Monday, the clock time kept
    assert cal.due_at(datetime(2026, 12, 31, 9, 45), 1, "days") == datetime(2027, 1, 4, 9, 45)


def test_the_cut_off_to_the_second():
    mon = datetime(2026, 3, 2)
    cal = WorkCalendar(same_day_cutoff=time(15, 0, 30))
    # before the cut-off: that day's close; at it: the next working day's close
    assert cal.due_at(mon.replace(hour=15, second=10), 0, "working_days") == at(MON, 17)
    assert cal.due_at(mon.replace(hour=15, second=30), 0, "working_days") == datetime(
        2026, 3, 3, 17
    )
    cal = WorkCalendar(same_day_cutoff=time(16, 30))
    assert cal.due_at(at(MON, 16, 29), 0, "working_days") == at(MON, 17)
    assert cal.due_at(at(MON, 16, 30), 0, "working_days") == datetime(2026, 3, 3, 17)
    cal = WorkCalendar(same_day_cutoff=time(15, 0, 0, 500_000))
    just_before = datetime(2026, 3, 2, 14, 59, 59, 900_000)
    assert cal.due_at(just_before, 0, "working_days") == at(MON, 17)
    assert cal.due_at(datetime(2026, 3, 2, 15, 0, 0, 500_000), 0, "working_days") == datetime(
        2026, 3, 3, 17
    )


def test_office_hours_are_whole_minutes():
    with pytest.raises(ValueError) as caught:
        OfficeHours(((time(7, 30, 30), time(11, 30)), (time(13), time(17))))
    assert_sentence(str(caught.value))
    with pytest.raises(ValueError):
        OfficeHours(((time(7, 30), time(11, 30, 0, 1)),))
    assert OfficeHours(((time(7, 30, 0), time(11, 30)),)).minutes_per_day == 240


def test_leap_years_by_the_gregorian_rule():
    cal = WorkCalendar()
    # 2000 is divisible by 400: a leap year, so Sunday 31/12/2000 is a day of it
    assert cal.is_working_day(date(2000, 12, 31)) is False
    # from that Sunday: Monday 1 January 2001 is a holiday, Tuesday 07:30 + 8 hours
    assert cal.due_at(datetime(2000, 12, 31, 9), 1, "working_days") == datetime(2001, 1, 2, 17)
    # Friday 16:00-17:00, then Tuesday 07:30-08:30
    assert cal.working_minutes_between(datetime(2000, 12, 29, 16), datetime(2001, 1, 2, 8, 30)) == (
        120
    )
    # 2100 is divisible by 100 and not by 400: 365 days. A unit with a day off in 2100 that
    # works on Saturday 1 January 2101: Friday 31/12/2100 16:00 to Monday 03/01/2101 08:30 is
    # 60 + 480 + 60 minutes, and the second working day after that Friday is the Monday.
    mine = WorkCalendar(
        extra_days_off=frozenset({date(2100, 6, 1)}),
        extra_working_days=frozenset({date(2101, 1, 1)}),
    )
    assert mine.working_day_after(date(2100, 12, 31)) == date(2101, 1, 1)
    assert mine.working_day_after(date(2100, 12, 31), 2) == date(2101, 1, 3)
    assert (
        mine.working_minutes_between(datetime(2100, 12, 31, 16), datetime(2101, 1, 3, 8, 30)) == 600
    )


def test_counting_from_new_years_day():
    cal = WorkCalendar()
    # Thursday 1 January 2026 is a holiday: only Friday 07:30-09:00 counts
    assert cal.working_minutes_between(datetime(2026, 1, 1, 9), datetime(2026, 1, 2, 9)) == 90
    assert cal.due_at(datetime(2026, 1, 1, 9), 1, "working_hours") == datetime(2026, 1, 2, 8, 30)


def test_the_first_and_last_years_served():
    cal = WorkCalendar()
    assert cal.working_day_after(date(1990, 1, 2)) == date(1990, 1, 3)  # Tuesday → Wednesday
    # Friday 31/12/2100 → Monday 03/01/2101 (1 January 2101 is a Saturday)
    assert cal.working_day_after(date(2100, 12, 31)) == date(2101, 1, 3)


def test_fractions_of_a_minute_are_counted_to_the_second():
    cal = WorkCalendar()
    assert cal.add_working_minutes(at(MON, 10), 0.5) == datetime(2026, 3, 2, 10, 0, 30)
    # one minute to 11:30, the half minute left from 13:00
    assert cal.add_working_minutes(at(MON, 11, 29), 1.5) == datetime(2026, 3, 2, 13, 0, 30)
    # from a Saturday: Monday's opening plus 90.25 minutes
    assert cal.add_working_minutes(datetime(2026, 3, 7, 9), 90.25) == datetime(2026, 3, 9, 9, 0, 15)


def test_amounts_are_rounded_to_the_minute():
    cal = WorkCalendar()
    # 0,001 working hour = 0,06 minute → 0 minutes after the receipt moment (not "same day")
    assert cal.due_at(at(MON, 10), "0,001", "working_hours") == at(MON, 10)
    # 0,01 working day = 4,8 minutes → 5
    assert cal.due_at(at(MON, 10), "0,01", "working_days") == at(MON, 10, 5)


@pytest.mark.parametrize("year", [1988, 2102])  # the years just outside those a due date needs
def test_stepping_to_working_days_outside_the_years_served_is_refused(year):
    cal = WorkCalendar()
    saturday = datetime(year, 6, 1, 9)
    while saturday.weekday() != 5:
        saturday = saturday.replace(day=saturday.day + 1)
    monday = saturday.replace(day=saturday.day + 2)
    for ask in (
        lambda: cal.effective_start(saturday),
        lambda: cal.add_working_minutes(saturday, 60),
        lambda: cal.add_working_minutes(monday, 480),  # into Tuesday
    ):
        with pytest.raises(CalendarError) as caught:
            ask()
        assert_sentence(str(caught.value))


def test_minutes_between_are_a_whole_number():
    cal = WorkCalendar()
    minutes = cal.working_minutes_between(at(MON, 8), at(MON, 9))
    assert minutes == 60 and type(minutes) is int
    minutes = cal.working_minutes_between(at(MON, 8), datetime(2026, 3, 2, 9, 0, 30))
    assert minutes == 60 and type(minutes) is int


@pytest.mark.parametrize("amount", [[1], {"days": 1}, None, True])
def test_an_amount_that_is_no_number_is_refused(amount):
    with pytest.raises(CalendarError) as caught:
        WorkCalendar().due_at(at(MON, 9), amount, "working_days")
    assert_sentence(str(caught.value))


@pytest.mark.parametrize("given", [set, list, tuple])
def test_a_units_days_in_any_collection(given):
    cal = WorkCalendar(
        extra_days_off=given([date(2026, 3, 3)]), extra_working_days=given([date(2026, 3, 8)])
    )
    assert cal.is_working_day(date(2026, 3, 3)) is False  # Tuesday off
    assert cal.is_working_day(date(2026, 3, 8)) is True  # Sunday worked
    # Monday 10:00 + 2 working days: Tuesday off, Wednesday, then Thursday 10:00
    assert cal.due_at(at(MON, 10), 2, "working_days") == datetime(2026, 3, 5, 10)


def test_adding_nothing_gives_the_receipt_moment():
    cal = WorkCalendar()
    assert cal.add_working_minutes(at(MON, 10), 0) == at(MON, 10)
    assert cal.add_working_minutes(at(MON, 10), 0.0) == at(MON, 10)
    assert cal.add_working_minutes(at(MON, 10), -30) == at(MON, 10)  # never back in time
    assert cal.add_working_minutes(datetime(2026, 3, 7, 9), 0) == datetime(2026, 3, 9, 7, 30)
    assert cal.add_working_minutes(at(MON, 12), -0.5) == at(MON, 13)  # lunch: the afternoon
    # the least that is something: one microsecond of office time
    assert cal.add_working_minutes(at(MON, 10), 1 / 60_000_000) == at(MON, 10).replace(
        microsecond=1
    )
