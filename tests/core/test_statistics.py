"""The statistics core: hand-computed periods, and identities that hold for any dossiers."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as s

from motcua.core import statistics as st

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def at(day: str, hour: int = 9) -> datetime:
    d, m = (int(x) for x in day.split("/"))
    return datetime(2026, m, d, hour, tzinfo=LOCAL)


def dossier(received, due, ended=None, **extra) -> st.DossierFacts:
    return st.DossierFacts(
        unit="05605",
        field=1,
        channel=extra.pop("channel", "online"),
        received_at=at(received),
        due_at=at(due, 16),
        ended_at=at(ended) if ended else None,
        **extra,
    )


HAND = {
    "A: before the period": dossier("20/02", "25/02", "24/02"),
    "B: carried over, ended early": dossier("25/02", "06/03", "05/03"),
    "C: carried over, still open, overdue": dossier("27/02", "04/03"),
    "D: received, ended late": dossier("10/03", "13/03", "20/03", channel="direct"),
    "E: received at the end, within time": dossier("30/03", "02/04", channel="post"),
    "F: after the period": dossier("02/04", "07/04"),
    "G: carried over, ended late after the period": dossier("26/02", "03/03", "10/04"),
    "H: waiting for a supplement counts as ended on time": dossier(
        "15/03",
        "20/03",
        pending_supplement_since=at("18/03"),
        supplement_requests=1,
        channel="online_assisted",
    ),
}


def positions(facts, period=MARCH):
    cells = [st.cell_of(f) for f in facts]
    return st.by_position([c for c in cells if c], *period)


def test_flow_view_of_a_hand_computed_month():
    f = st.flow(positions(HAND.values()), *MARCH)
    assert f.carried_over == 3  # B, C, G
    assert (f.received, f.received_online, f.received_direct, f.received_post) == (3, 1, 1, 1)
    assert f.received_online_assisted == 1  # H, counted in received_online
    assert (f.resolved, f.resolved_early, f.resolved_on_time, f.resolved_late) == (3, 1, 1, 1)
    assert (f.in_progress, f.in_progress_within_time, f.in_progress_overdue) == (3, 1, 2)
    assert f.rates["resolved_rate"] == 50.0  # 3 of 6 to handle
    assert f.rates["on_time_rate"] == 66.7


def test_cohort_view_of_the_same_month():
    f = st.cohort(positions(HAND.values()), *MARCH)
    assert (f.received, f.resolved, f.in_progress) == (3, 2, 1)  # D, H ended; E open
    assert (f.resolved_late, f.resolved_on_time, f.in_progress_within_time) == (1, 1, 1)
    assert f.carried_over == 0
    assert f.rates["online_rate"] == 33.3
    assert f.rates["truly_online_rate"] == 0.0


def test_an_apology_makes_an_open_dossier_overdue_from_its_day():
    late = dossier("02/03", "30/03", apologized_at=at("10/03"))
    assert st.flow(positions([late]), *MARCH).in_progress_overdue == 1
    before = (date(2026, 3, 1), date(2026, 3, 9))
    assert st.flow(positions([late], before), *before).in_progress_within_time == 1


def test_rates_round_half_up_to_one_decimal_and_none_without_a_whole():
    assert st.rate(3778, 3834) == 98.5
    assert st.rate(1, 8) == 12.5
    assert st.rate(1, 3) == 33.3
    assert st.rate(2, 3) == 66.7
    assert st.rate(0, 0) is None


days = s.integers(0, 120)


@s.composite
def facts(draw):
    received = datetime(2026, 1, 1, 9, tzinfo=LOCAL) + timedelta(days=draw(days))
    due = received + timedelta(days=draw(s.integers(0, 15)))
    ended = received + timedelta(days=draw(s.integers(0, 30))) if draw(s.booleans()) else None
    pending = None
    if ended is None and draw(s.booleans()):
        pending = received + timedelta(days=draw(s.integers(0, 10)))
    return st.DossierFacts(
        unit=draw(s.sampled_from(["05605", "05611"])),
        field=draw(s.integers(1, 3)),
        channel=draw(s.sampled_from(st.CHANNELS)),
        received_at=received,
        due_at=due,
        ended_at=ended,
        pending_supplement_since=pending,
        supplement_requests=draw(s.integers(0, 2)),
        apologized_at=received + timedelta(days=1) if draw(s.booleans()) else None,
        digitisable=draw(s.booleans()),
        components_digitised=draw(s.booleans()),
        result_digitised=draw(s.booleans()),
    )


period = s.tuples(days, s.integers(0, 90)).map(
    lambda p: (date(2026, 1, 1) + timedelta(days=p[0]), date(2026, 1, 1) + timedelta(sum(p)))
)


@given(s.lists(facts(), max_size=40), period)
def test_every_dossier_is_accounted_for(dossiers, span):
    pos = positions(dossiers, span)
    flow, cohort = st.flow(pos, *span), st.cohort(pos, *span)
    assert flow.carried_over + flow.received == flow.resolved + flow.in_progress
    assert cohort.received == cohort.resolved + cohort.in_progress
    assert cohort.resolved == cohort.resolved_early + cohort.resolved_on_time + cohort.resolved_late
    assert cohort.in_progress == cohort.in_progress_within_time + cohort.in_progress_overdue
    assert flow.received == cohort.received
    assert cohort.digitised_dossiers <= cohort.digitisable_dossiers <= cohort.received


@given(s.lists(facts(), max_size=40), period)
def test_the_province_is_the_sum_of_its_communes(dossiers, span):
    whole = st.flow(positions(dossiers, span), *span)
    parts = [
        st.flow(positions([d for d in dossiers if d.unit == unit], span), *span)
        for unit in ("05605", "05611")
    ]
    for name in ("carried_over", "received", "resolved", "resolved_late", "in_progress_overdue"):
        assert getattr(whole, name) == sum(getattr(p, name) for p in parts)
