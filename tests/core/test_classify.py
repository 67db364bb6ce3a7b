from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from motcua.core.classify import (
    DossierClock,
    Progress,
    Timeliness,
    end_of_processing,
    progress,
    resolution,
)

DUE = datetime(2026, 3, 5, 10, 0)


def test_early_on_time_late():
    assert resolution(DossierClock(DUE, ended_at=datetime(2026, 3, 4, 16, 59))) == Timeliness.EARLY
    assert resolution(DossierClock(DUE, ended_at=datetime(2026, 3, 5, 8, 0))) == Timeliness.ON_TIME
    assert resolution(DossierClock(DUE, ended_at=DUE)) == Timeliness.ON_TIME
    assert resolution(DossierClock(DUE, ended_at=datetime(2026, 3, 5, 10, 1))) == Timeliness.LATE
    assert resolution(DossierClock(DUE, ended_at=datetime(2026, 3, 9, 8, 0))) == Timeliness.LATE


def test_in_progress_has_no_resolution_but_a_progress():
    clock = DossierClock(DUE)
    assert resolution(clock) is None
    assert progress(clock, datetime(2026, 3, 5, 9, 0)) == Progress.WITHIN_TIME
    assert progress(clock, DUE) == Progress.WITHIN_TIME
    assert progress(clock, datetime(2026, 3, 5, 10, 1)) == Progress.OVERDUE


def test_waiting_for_supplement_counts_as_ended_on_time():
    clock = DossierClock(DUE, supplement_requests=1, pending_supplement_since=datetime(2026, 3, 3))
    assert resolution(clock) == Timeliness.ON_TIME
    assert progress(clock, datetime(2026, 4, 1)) is None


def test_second_supplement_request_or_apology_makes_it_late():
    early_end = datetime(2026, 3, 2, 9, 0)
    assert (
        resolution(DossierClock(DUE, ended_at=early_end, supplement_requests=2)) == Timeliness.LATE
    )
    assert resolution(DossierClock(DUE, ended_at=early_end, apologized=True)) == Timeliness.LATE
    assert progress(DossierClock(DUE, apologized=True), datetime(2026, 3, 1)) == Progress.OVERDUE


def test_end_of_processing_prefers_done_over_returned():
    done, returned = datetime(2026, 3, 4, 9), datetime(2026, 3, 6, 9)
    assert end_of_processing(done, None, returned) == done
    assert end_of_processing(None, None, returned) == returned
    assert end_of_processing(None, datetime(2026, 3, 3), None) == datetime(2026, 3, 3)
    assert end_of_processing(None, None, None) is None


@given(st.integers(-10_000, 10_000))
def test_classification_is_monotone_in_the_end_moment(minutes):
    ended = DUE + timedelta(minutes=minutes)
    result = resolution(DossierClock(DUE, ended_at=ended))
    later = resolution(DossierClock(DUE, ended_at=ended + timedelta(minutes=1)))
    order = [Timeliness.EARLY, Timeliness.ON_TIME, Timeliness.LATE]
    assert order.index(result) <= order.index(later)
    assert (result == Timeliness.LATE) == (ended > DUE)
