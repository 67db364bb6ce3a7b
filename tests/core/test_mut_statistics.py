"""Statistics figures against the seed's own numbers (DOMAIN.md "Statistics",
docs/statistics.md "Rates"), report periods by the calendar (TT 01/2020/TT-VPCP), and the cell
arithmetic that makes a province the sum of its communes."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from motcua.core import statistics as st
from motcua.core.statistics import Counts, Position, Where
from tests.core.sentences import assert_sentence

W, B, A, N = Where.WITHIN, Where.BEFORE, Where.AFTER, Where.NEVER
YEAR_2023 = (date(2023, 1, 1), date(2023, 12, 31))


def seed_2023_positions() -> dict[Position, Counts]:
    """The seed's 2023 cohort: 3,834 received (3,778 online, of which 78 assisted in the
    docs' example, 56 direct); 3,829 resolved (3,427 early, 402 on time); 5 in progress within
    time; 2,513 digitisable, all digitised."""
    resolved = Counts(
        received=3829,
        received_direct=56,
        received_online=3695,
        received_online_assisted=78,
        early=3427,
        on_time=402,
        digitisable=2510,
        digitised=2510,
        components_digitised=2510,
        results_digitised=2513,
    )
    open_ = Counts(
        received=5,
        received_online=5,
        digitisable=3,
        digitised=3,
        components_digitised=3,
    )
    return {Position(W, W, N): resolved, Position(W, N, A): open_}


def test_the_seed_2023_rates_as_docs_statistics_gives_them():
    f = st.cohort(seed_2023_positions(), *YEAR_2023)
    assert (f.view, f.start, f.end) == ("cohort", *YEAR_2023)
    assert (f.received, f.received_online, f.received_online_assisted) == (3834, 3778, 78)
    assert (f.received_direct, f.received_post) == (56, 0)
    assert (f.resolved, f.resolved_early, f.resolved_on_time, f.resolved_late) == (
        3829,
        3427,
        402,
        0,
    )
    assert (f.in_progress, f.in_progress_within_time, f.in_progress_overdue) == (5, 5, 0)
    assert (f.digitisable_dossiers, f.digitised_dossiers) == (2513, 2513)
    assert (f.components_digitised, f.results_digitised, f.reused_dossiers) == (2513, 2513, 0)
    assert f.rates == {
        "online_rate": 98.5,  # 3,778 / 3,834 = 98,54
        "truly_online_rate": 96.5,  # 3,700 / 3,834
        "direct_rate": 1.5,  # 56 / 3,834 = 1,46
        "post_rate": 0.0,
        "resolved_rate": 99.9,  # 3,829 / 3,834
        "on_time_rate": 100.0,
        "timely_rate_766": 100.0,  # (3,427 + 402 + 5) / 3,834
        "digitisation_rate": 100.0,  # 2,513 / 2,513
        "components_digitisation_rate": 65.5,  # 2,513 / 3,834 = 65,55
        "results_digitisation_rate": 65.6,  # 2,513 / 3,829 = 65,63
        "reuse_rate": 0.0,
    }


def test_as_json_flattens_the_rates_and_writes_iso_dates():
    got = st.cohort(seed_2023_positions(), *YEAR_2023).as_json()
    assert "rates" not in got
    assert (got["view"], got["start"], got["end"]) == ("cohort", "2023-01-01", "2023-12-31")
    assert (got["received"], got["online_rate"], got["reuse_rate"]) == (3834, 98.5, 0.0)
    assert got["resolved_early"] == 3427


def test_q1_2024_flow_the_five_from_2023_carried_over_and_overdue():
    # DOMAIN.md: Q1/2024 521 received (all online) and resolved (409 early, 112 on time); the
    # 5 of 2023, never finished, are carried over and overdue at 31/03/2024.
    start, end = date(2024, 1, 1), date(2024, 3, 31)
    positions = {
        Position(W, W, N): Counts(received=521, received_online=521, early=409, on_time=112),
        Position(B, N, B): Counts(received=5, received_online=5),
    }
    f = st.figures("flow", positions, start, end)
    assert (f.view, f.start, f.end) == ("flow", start, end)
    assert (f.carried_over, f.received, f.resolved) == (5, 521, 521)
    assert (f.in_progress, f.in_progress_overdue, f.in_progress_within_time) == (5, 5, 0)
    assert f.rates["resolved_rate"] == 99.0  # 521 / 526 = 99,05
    assert f.rates["on_time_rate"] == 100.0
    assert f.rates["timely_rate_766"] == 99.0  # 521 / 526


def test_sums_run_over_every_cell():
    positions = {
        Position(W, W, N): Counts(received=2, early=1, late=1, results_digitised=1),
        Position(W, W, W): Counts(received=3, on_time=2, late=1, results_digitised=2),
        Position(W, N, A): Counts(received=4),
        Position(W, A, N): Counts(received=1),
        Position(W, N, W): Counts(received=6),
    }
    span = (date(2026, 3, 1), date(2026, 3, 31))
    for f in (st.cohort(positions, *span), st.flow(positions, *span)):
        assert (f.resolved, f.resolved_late, f.results_digitised) == (5, 2, 3)
        assert (f.in_progress_within_time, f.in_progress_overdue) == (5, 6)


def test_unknown_view_is_refused_in_a_sentence():
    assert st.figures("cohort", {}, *YEAR_2023) == st.cohort({}, *YEAR_2023)
    with pytest.raises(ValueError) as caught:
        st.figures("tháng", {}, *YEAR_2023)
    assert_sentence(str(caught.value))


def test_rates_round_half_up():
    assert st.rate(1, 400) == 0.3  # 0,25 → 0,3 (docs/statistics.md), half-even would say 0,2
    assert st.rate(3, 400) == 0.8  # 0,75 → 0,8
    assert st.rate(0, 5) == 0.0


def test_a_day_on_the_edge_of_the_period_is_within_it():
    start, end = date(2026, 3, 1), date(2026, 3, 31)
    assert st.where(start, start, end) == W
    assert st.where(end, start, end) == W
    assert st.where(date(2026, 2, 28), start, end) == B
    assert st.where(date(2026, 4, 1), start, end) == A
    assert st.where(None, start, end) == N


# --- cells -----------------------------------------------------------------------------------


def facts(**extra) -> st.DossierFacts:
    base = dict(
        unit="05605",
        field=3,
        channel="online",
        received_at=datetime(2026, 3, 2, 9),
        due_at=datetime(2026, 3, 10, 17),
        ended_at=datetime(2026, 3, 5, 9),
    )
    return st.DossierFacts(**(base | extra))


def test_counts_add_subtract_and_zero():
    c = Counts(received=3, early=2, digitised=1)
    c.sub(Counts(received=1, early=2))
    assert c == Counts(received=2, digitised=1)
    assert not c.is_zero()
    c.sub(Counts(received=2, digitised=1))
    assert c.is_zero() and Counts().is_zero()
    assert not Counts(reused=1).is_zero()


def test_a_cell_is_keyed_by_unit_field_and_days():
    key, counts = st.cell_of(facts())
    assert key == st.CellKey("05605", 3, date(2026, 3, 2), date(2026, 3, 5), None)
    assert counts == Counts(received=1, received_online=1, early=1, digitisable=1)


def test_an_apology_makes_an_early_end_late_and_overdue_from_its_day():
    key, counts = st.cell_of(facts(apologized_at=datetime(2026, 3, 4, 10)))
    assert (counts.early, counts.late) == (0, 1)
    assert key.overdue_from == date(2026, 3, 4)


def test_overdue_from_by_number_of_supplement_requests():
    late = dict(ended_at=datetime(2026, 3, 12, 9))  # after the due day 10/03
    key, counts = st.cell_of(facts(supplement_requests=1, **late))
    assert counts.late == 1 and key.overdue_from == date(2026, 3, 10)  # the due day
    key, counts = st.cell_of(facts(supplement_requests=2))
    assert counts.late == 1 and key.overdue_from == date(2026, 3, 2)  # the day received
    key, counts = st.cell_of(facts(supplement_requests=3, ended_at=None))
    assert counts.late == 0 and key.overdue_from == date(2026, 3, 2)


def test_an_unknown_channel_counts_as_direct():
    _, counts = st.cell_of(facts(channel="fax"))
    assert (counts.received_direct, counts.received_online) == (1, 0)


def test_digitised_needs_components_and_result_among_digitisable_dossiers():
    _, c = st.cell_of(facts(components_digitised=True))
    assert (c.digitisable, c.digitised, c.components_digitised, c.results_digitised) == (1, 0, 1, 0)
    _, c = st.cell_of(facts(result_digitised=True))
    assert (c.digitised, c.components_digitised, c.results_digitised) == (0, 0, 1)
    _, c = st.cell_of(facts(components_digitised=True, result_digitised=True))
    assert c.digitised == 1
    _, c = st.cell_of(facts(digitisable=False, components_digitised=True, result_digitised=True))
    assert (c.digitisable, c.digitised, c.components_digitised) == (0, 0, 1)


def test_cells_of_sums_twins_and_skips_what_was_not_received():
    twin = facts()
    other = facts(unit="05611")
    cells = st.cells_of([facts(received_at=None), twin, twin, other])
    assert len(cells) == 2
    assert cells[st.cell_of(twin)[0]].received == 2
    assert cells[st.cell_of(other)[0]] == st.cell_of(other)[1]
    assert st.cells_of([]) == {}


# --- report periods --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "year", "number", "first", "last"),
    [
        ("month", 2024, 1, date(2024, 1, 1), date(2024, 1, 31)),
        ("month", 2024, 2, date(2024, 2, 1), date(2024, 2, 29)),  # leap year
        ("month", 2023, 2, date(2023, 2, 1), date(2023, 2, 28)),
        ("month", 2026, 4, date(2026, 4, 1), date(2026, 4, 30)),
        ("month", 2026, 12, date(2026, 12, 1), date(2026, 12, 31)),
        ("quarter", 2024, 1, date(2024, 1, 1), date(2024, 3, 31)),
        ("quarter", 2024, 2, date(2024, 4, 1), date(2024, 6, 30)),
        ("quarter", 2024, 3, date(2024, 7, 1), date(2024, 9, 30)),
        ("quarter", 2024, 4, date(2024, 10, 1), date(2024, 12, 31)),
        ("half", 2024, 1, date(2024, 1, 1), date(2024, 6, 30)),
        ("nine", 2024, 1, date(2024, 1, 1), date(2024, 9, 30)),
        ("year", 2023, 1, date(2023, 1, 1), date(2023, 12, 31)),
    ],
)
def test_periods(kind, year, number, first, last):
    assert st.period(kind, year, number) == (first, last)


def test_period_number_defaults_to_the_first():
    assert st.period("month", 2024) == (date(2024, 1, 1), date(2024, 1, 31))
    assert st.period("quarter", 2024) == (date(2024, 1, 1), date(2024, 3, 31))


@pytest.mark.parametrize(
    ("kind", "number", "words"),
    [
        ("month", 0, "Tháng phải từ 1 đến 12"),
        ("month", 13, "Tháng phải từ 1 đến 12"),
        ("quarter", 0, "Quý phải từ 1 đến 4"),
        ("quarter", 5, "Quý phải từ 1 đến 4"),
        ("week", 1, "“week”"),
    ],
)
def test_bad_periods_are_refused_in_a_sentence(kind, number, words):
    with pytest.raises(ValueError) as caught:
        st.period(kind, 2024, number)
    assert_sentence(str(caught.value))
    assert words in str(caught.value)


def test_months_of_a_period_are_clipped_to_it():
    assert st.months_of(date(2024, 1, 15), date(2024, 3, 10)) == [
        (date(2024, 1, 15), date(2024, 1, 31)),
        (date(2024, 2, 1), date(2024, 2, 29)),
        (date(2024, 3, 1), date(2024, 3, 10)),
    ]
    assert st.months_of(date(2023, 12, 20), date(2024, 1, 5)) == [
        (date(2023, 12, 20), date(2023, 12, 31)),
        (date(2024, 1, 1), date(2024, 1, 5)),
    ]
    assert st.months_of(date(2026, 6, 1), date(2026, 6, 1)) == [
        (date(2026, 6, 1), date(2026, 6, 1))
    ]
    assert len(st.months_of(date(2025, 1, 1), date(2025, 12, 31))) == 12


def test_reused_dossiers_add_up_over_cells():
    # 766 §4.3: dossiers with a component reused from the store / received
    positions = {
        Position(W, W, N): Counts(received=6, reused=2),
        Position(W, N, A): Counts(received=2, reused=1),
    }
    f = st.cohort(positions, date(2026, 3, 1), date(2026, 3, 31))
    assert (f.reused_dossiers, f.rates["reuse_rate"]) == (3, 37.5)
