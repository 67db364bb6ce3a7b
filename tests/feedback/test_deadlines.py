"""The feedback clock by hand (issue 14, item 2): the working-day deadlines of 766 (refuse 2,
ask 5, handle 15, publish 2), counted from the day after arrival by the same calendar as the
dossiers, over Tết 2026 (off Saturday 14/02 – Sunday 22/02, Thông báo 9441/TB-BNV) and the
make-up Saturday 22/08/2026 (worked for Monday 31/08; Quốc khánh 01-02/09 off). Each expected
day was counted on a paper calendar, not by the code."""

from __future__ import annotations

from datetime import date

import pytest

from motcua.core import feedback as fb
from motcua.core.calendar import WorkCalendar
from motcua.core.feedback import Rules, Status, Steps

CAL = WorkCalendar()
D = date

# received → (refuse by, ask by, handle by)
TABLE = [
    # Thursday before Tết: Friday 13/02 is day 1, then Tết, Monday 23/02 day 2
    (D(2026, 2, 12), D(2026, 2, 23), D(2026, 2, 26), D(2026, 3, 12)),
    # Friday, the last day before Tết
    (D(2026, 2, 13), D(2026, 2, 24), D(2026, 2, 27), D(2026, 3, 13)),
    # sent on the public page on Sunday 15/02, in the middle of Tết
    (D(2026, 2, 15), D(2026, 2, 24), D(2026, 2, 27), D(2026, 3, 13)),
    # the first day back
    (D(2026, 2, 23), D(2026, 2, 25), D(2026, 3, 2), D(2026, 3, 16)),
    # Thursday 20/08: the make-up Saturday 22/08 is day 2
    (D(2026, 8, 20), D(2026, 8, 22), D(2026, 8, 26), D(2026, 9, 14)),
    # Friday 21/08: Saturday 22/08 is day 1; 29/08 – 02/09 are off
    (D(2026, 8, 21), D(2026, 8, 24), D(2026, 8, 27), D(2026, 9, 15)),
    # received at the desk on the make-up Saturday itself
    (D(2026, 8, 22), D(2026, 8, 25), D(2026, 8, 28), D(2026, 9, 16)),
    # an ordinary week, for contrast: Monday → Wednesday, Monday, Monday three weeks on
    (D(2026, 10, 5), D(2026, 10, 7), D(2026, 10, 12), D(2026, 10, 26)),
]


@pytest.mark.parametrize(("received", "refuse", "ask", "handle"), TABLE)
def test_the_766_deadlines_over_tet_and_a_make_up_saturday(received, refuse, ask, handle):
    due = fb.deadlines(received, fb.RULES_766, CAL.working_day_after)
    assert (due.refuse_by, due.ask_by, due.handle_by) == (refuse, ask, handle)


# answered → publish by (2 working days)
PUBLISH = [
    (D(2026, 2, 12), D(2026, 2, 23)),  # Friday, then Tết
    (D(2026, 8, 20), D(2026, 8, 22)),  # Friday 21, then the make-up Saturday 22
    (D(2026, 8, 28), D(2026, 9, 4)),  # 29/08 – 02/09 off
]


@pytest.mark.parametrize(("answered", "publish"), PUBLISH)
def test_the_answer_is_published_within_two_working_days(answered, publish):
    assert fb.publish_by(answered, fb.RULES_766, CAL.working_day_after) == publish


def test_a_province_that_answers_within_ten_days():
    # LEGAL-NOTES: a provincial rule of 10 working days for the answer
    due = fb.deadlines(D(2026, 2, 12), Rules(handle=10), CAL.working_day_after)
    assert due.handle_by == D(2026, 3, 5)
    assert due.refuse_by == D(2026, 2, 23)  # the others stay 766's


def test_the_handling_time_starts_again_when_the_information_arrives():
    # asked, the sender answers on Wednesday 25/02: 15 working days from Thursday 26/02
    assert fb.handle_by_after_supplement(D(2026, 2, 25), fb.RULES_766, CAL.working_day_after) == (
        D(2026, 3, 18)
    )


@pytest.mark.parametrize(
    ("today", "due", "left", "text"),
    [
        (D(2026, 2, 13), D(2026, 2, 23), 1, "còn 1 ngày làm việc"),  # Tết in between
        (D(2026, 2, 18), D(2026, 2, 23), 1, "còn 1 ngày làm việc"),  # seen during Tết
        (D(2026, 2, 12), D(2026, 2, 26), 5, "còn 5 ngày làm việc"),  # 13, 23, 24, 25, 26
        (D(2026, 2, 23), D(2026, 2, 23), 0, "hạn cuối hôm nay"),
        (D(2026, 2, 24), D(2026, 2, 23), -1, "quá hạn 1 ngày làm việc"),
        (D(2026, 2, 27), D(2026, 2, 23), -4, "quá hạn 4 ngày làm việc"),
        (D(2026, 8, 21), D(2026, 8, 24), 2, "còn 2 ngày làm việc"),  # the make-up Saturday
        # past the day, every day since off: still overdue, by one
        (D(2026, 9, 2), D(2026, 8, 28), -1, "quá hạn 1 ngày làm việc"),
    ],
)
def test_the_countdown_in_working_days(today, due, left, text):
    got = fb.working_days_left(today, due, CAL.is_working_day)
    assert (got, fb.countdown_text(got)) == (left, text)


def test_days_off_from_the_unit_calendar_count_too():
    # a commune closes on Monday 05/10/2026 (its own day off): the deadlines move by a day
    closed = WorkCalendar(extra_days_off=frozenset({D(2026, 10, 6)}))
    due = fb.deadlines(D(2026, 10, 5), fb.RULES_766, closed.working_day_after)
    assert (due.refuse_by, due.ask_by) == (D(2026, 10, 8), D(2026, 10, 13))


# --- on time (766 5.2), by hand -----------------------------------------------------------------

DUE = {"refuse_by": D(2026, 2, 23), "ask_by": D(2026, 2, 26), "handle_by": D(2026, 3, 12)}


@pytest.mark.parametrize(
    ("steps", "today", "expected"),
    [
        ({"status": Status.REFUSED, "refused_on": D(2026, 2, 23)}, D(2026, 4, 1), True),
        ({"status": Status.REFUSED, "refused_on": D(2026, 2, 24)}, D(2026, 4, 1), False),
        ({"status": Status.HANDLING}, D(2026, 3, 12), True),
        ({"status": Status.HANDLING}, D(2026, 3, 13), False),
        ({"status": Status.ASKING, "asked_on": D(2026, 2, 26)}, D(2026, 4, 1), True),
        ({"status": Status.ASKING, "asked_on": D(2026, 2, 27)}, D(2026, 4, 1), False),
        (
            {
                "status": Status.PUBLISHED,
                "answered_on": D(2026, 3, 12),
                "publish_by": D(2026, 3, 16),
                "published_on": D(2026, 3, 16),
            },
            D(2026, 4, 1),
            True,
        ),
        (
            {
                "status": Status.PUBLISHED,
                "answered_on": D(2026, 3, 12),
                "publish_by": D(2026, 3, 16),
                "published_on": D(2026, 3, 17),
            },
            D(2026, 4, 1),
            False,
        ),
        (
            {
                "status": Status.ANSWERED,
                "answered_on": D(2026, 3, 13),
                "publish_by": D(2026, 3, 17),
            },
            D(2026, 3, 13),
            False,
        ),
        (
            {
                "status": Status.ANSWERED,
                "answered_on": D(2026, 3, 10),
                "publish_by": D(2026, 3, 12),
            },
            D(2026, 3, 13),
            False,
        ),
    ],
)
def test_on_time_by_the_766_limits(steps, today, expected):
    assert fb.on_time(Steps(**DUE, **steps), today) is expected


def test_satisfied_counts_each_feedback_once():
    o = fb.Outcome
    figures = fb.figures(
        [
            o(True, True, False, False),  # kept
            o(True, False, True, True),  # late, unsatisfied and repeated: one off
            o(False, True, True, False),  # unsatisfied
            o(True, True, False, True),  # repeated
        ]
    )
    assert figures == fb.Figures(4, 3, 3, 1, 2, 2, 1)


def test_redaction_removes_contacts_numbers_and_names():
    text = (
        "Tôi là Nguyễn Văn An, số CCCD 019 085 001 234, điện thoại 0912.345.678, thư "
        "an.nguyen@example.vn; cán bộ Trần Thị Bích không hướng dẫn. NGUYỄN VĂN AN"
    )
    out = fb.redact(text, ["Nguyễn Văn An", "Trần Thị Bích"])
    assert out == (
        "Tôi là [họ tên], số CCCD [số giấy tờ/điện thoại], điện thoại [số giấy tờ/điện thoại], "
        "thư [địa chỉ thư]; cán bộ [họ tên] không hướng dẫn. [họ tên]"
    )
    # a date or a fee is not a phone number
    assert fb.redact("Ngày 12/02/2026, lệ phí 50.000 đồng") == "Ngày 12/02/2026, lệ phí 50.000 đồng"


@pytest.mark.parametrize("content", ["", "   ", "...", "ab", None])
def test_a_feedback_without_content_is_refused(content):
    with pytest.raises(fb.FeedbackError) as refused:
        fb.check_text(content, "Nội dung phản ánh", limit=5000)
    assert refused.value.code == "feedback_empty"
