"""Timeliness rules at their edges (DOMAIN.md "Time"; 766 §2.1): one supplement request is
allowed, a second makes the dossier late; an apology makes it late."""

from __future__ import annotations

from datetime import datetime

from motcua.core.classify import DossierClock, Progress, Timeliness, by_due_moment, progress

DUE = datetime(2026, 3, 5, 10, 0)
BEFORE_DUE = datetime(2026, 3, 4, 9, 0)


def test_one_answered_supplement_request_leaves_a_dossier_within_time():
    clock = DossierClock(DUE, supplement_requests=1)
    assert progress(clock, BEFORE_DUE) == Progress.WITHIN_TIME
    assert progress(clock, datetime(2026, 3, 5, 10, 1)) == Progress.OVERDUE


def test_two_supplement_requests_make_a_dossier_in_progress_overdue_at_once():
    assert progress(DossierClock(DUE, supplement_requests=2), BEFORE_DUE) == Progress.OVERDUE
    assert progress(DossierClock(DUE, supplement_requests=3), BEFORE_DUE) == Progress.OVERDUE


def test_no_due_moment_is_never_overdue():
    assert progress(DossierClock(None), datetime(2030, 1, 1)) == Progress.WITHIN_TIME


def test_by_due_moment_on_the_due_day():
    assert by_due_moment(datetime(2026, 3, 5, 7, 30), DUE) == Timeliness.ON_TIME
    assert by_due_moment(datetime(2026, 3, 4, 23, 59), DUE) == Timeliness.EARLY
    assert by_due_moment(datetime(2026, 3, 5, 10, 0, 1), DUE) == Timeliness.LATE
