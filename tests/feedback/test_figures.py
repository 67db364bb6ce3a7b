"""Feedback in the figures (issue 14, item 2): 766 5.1-5.3 from the period's feedback, 5.4
counting the dossiers with a feedback about them, the dashboard and the drafted report. The
expected values are worked out by hand in the comments."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from motcua.reports.indicators import indicators_for
from motcua.reports.queries import Scope
from motcua.workflow import feedback as steps
from tests.dossier_states import dossier_in
from tests.factories import PASSWORD
from tests.feedback.test_feedback import SAID

pytestmark = pytest.mark.django_db

COMMUNE = Scope(("05605",))


def period():
    """The last 120 days, today included: A (60 days ago) and the rest (today) fall in it."""
    today = timezone.localdate()
    return today - timedelta(days=120), today


def make_five(staff, dossier):
    unit, head = staff.binh_thanh, staff.head

    def new(data=SAID, at=None):
        return steps.receive_feedback(unit, data, "web", received_at=at)

    # A: received 60 days ago and still open: late (15 working days are fewer than 60 days,
    # Tết included)
    new(at=timezone.now() - timedelta(days=60))
    b = new(replace(SAID, dossier_code=dossier.code))  # B: answered and published, satisfied
    steps.answer_feedback(head, b.pk, "Đã giải quyết.")
    b.refresh_from_db()
    steps.publish_feedback(head, b.pk, b.public_question, b.public_answer)
    steps.rate_answer(b.pk, True)
    c = new()  # C: answered on time, the sender not satisfied
    steps.answer_feedback(head, c.pk, "Đã giải quyết.")
    steps.rate_answer(c.pk, False)
    d = new()  # D: answered, then raised again
    steps.answer_feedback(head, d.pk, "Đã giải quyết.")
    steps.reopen_feedback(d.pk, "Vẫn chưa được giải quyết.")
    e = new()  # E: refused on the day (never classified)
    steps.refuse_feedback(head, e.pk, "Không thuộc thẩm quyền của xã.")


def test_766_group_5_from_the_feedback(staff):
    year = period()
    returned = [dossier_in("returned", staff) for _ in range(2)]
    before = indicators_for(COMMUNE, *year)
    assert before.get("5.2").na and before.get("5.3").na  # no feedback: N/A, not 0
    make_five(staff, returned[0])
    got = indicators_for(COMMUNE, *year)
    # 5.1: classified B, C, D of 5 → 60 % (shown, never scored)
    assert (got.get("5.1").numerator, got.get("5.1").denominator) == (3, 5)
    # 5.2: on time B, C, D, E of 5 → 80 %, × 6 points = 4.80
    five_two = got.get("5.2")
    assert (five_two.numerator, five_two.value, five_two.points) == (
        4,
        Decimal("80.00"),
        Decimal("4.80"),
    )
    # 5.3: neither late, nor unsatisfied, nor raised again: B and E → 40 %, × 6 = 2.40
    five_three = got.get("5.3")
    assert (five_three.numerator, five_three.value, five_three.points) == (
        2,
        Decimal("40.00"),
        Decimal("2.40"),
    )
    # 5.4: 2 dossiers handled on time, 1 with a feedback about it → 50 %
    five_four = got.get("5.4")
    assert (five_four.numerator, five_four.denominator, five_four.value) == (1, 2, Decimal("50.00"))
    assert five_four.note == ""


def test_the_dashboard_and_the_drafted_report_show_the_feedback(client, staff):
    from motcua.reports.drafting import draft_document

    make_five(staff, dossier_in("returned", staff))
    client.login(username=staff.head.username, password=PASSWORD)
    start, end = period()
    html = client.get(f"/thong-ke/?tu={start:%d/%m/%Y}&den={end:%d/%m/%Y}").content.decode()
    # by hand: 5 received, 4 on time (80,0 %), 1 late, 1 unsatisfied, 1 raised again, 2 open
    # (A waiting, D reopened); 5.3: 2 of 5 = 40,0 %
    assert "5 phản ánh, kiến nghị tiếp nhận trong kỳ" in html
    assert "4 xử lý đúng hạn (80,0 %)" in html and "<strong>40,0 %</strong>" in html
    assert "Hiện có <strong>1 phản ánh quá hạn</strong>" in html
    year = period()
    doc = draft_document(staff.binh_thanh, COMMUNE, *year)
    text = " ".join(block.text for block in doc.body if block.text)
    assert (
        "Tiếp nhận 5 phản ánh, kiến nghị; xử lý đúng hạn 4 (80,0 %), quá hạn 1; 1 phản ánh "
        "người gửi không hài lòng với kết quả, 1 phản ánh bị phản ánh lại; đang xử lý 2." in text
    )
