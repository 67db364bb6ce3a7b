"""The seed's section 1(b) and 1(c) figures, reproduced from dossiers that produce them."""

from __future__ import annotations

from datetime import date

import pytest

from motcua.core import statistics as st
from motcua.reports import cells
from motcua.reports.queries import Scope, monthly, positions_from_dossiers, report
from tests.reports import seed

YEAR = (date(2023, 1, 1), date(2023, 12, 31))
Q1 = (date(2024, 1, 1), date(2024, 3, 31))


@pytest.fixture
def seeded(world, catalogue):
    seed.build_seed("05605")
    return world


def test_year_2023_cohort_reproduces_the_seed(seeded):
    got = report(Scope(("05605",)), *YEAR, view="cohort").as_json()
    assert got["received"] == 3834
    assert got["received_online"] == 3778
    assert got["online_rate"] == 98.5
    assert got["received_direct"] == 56
    assert got["direct_rate"] == 1.5
    assert got["resolved"] == 3829
    assert got["resolved_rate"] == 99.9
    assert got["resolved_early"] == 3427
    assert got["resolved_on_time"] == 402
    assert got["resolved_late"] == 0
    assert got["in_progress"] == 5
    assert got["in_progress_overdue"] == 0
    assert got["digitised_dossiers"] == 2513
    assert got["digitisable_dossiers"] == 2513
    assert got["digitisation_rate"] == 100.0


def test_q1_2024_cohort_reproduces_the_seed(seeded):
    got = report(Scope(("05605",)), *Q1, view="cohort").as_json()
    assert (got["received"], got["received_online"], got["received_direct"]) == (521, 521, 0)
    assert got["online_rate"] == 100.0
    assert (got["resolved"], got["resolved_rate"]) == (521, 100.0)
    assert (got["resolved_early"], got["resolved_on_time"], got["resolved_late"]) == (409, 112, 0)
    assert got["in_progress"] == 0
    assert (got["digitised_dossiers"], got["digitisable_dossiers"]) == (512, 516)
    assert got["digitisation_rate"] == 99.2


@pytest.mark.parametrize("period", [YEAR, Q1, (date(2023, 12, 1), date(2024, 1, 31))])
@pytest.mark.parametrize("view", ["cohort", "flow"])
def test_aggregates_agree_with_a_plain_group_by_over_the_dossiers(seeded, period, view):
    scope = Scope(("05605",))
    from_cells = report(scope, *period, view=view)
    from_raw = st.figures(view, positions_from_dossiers(scope, *period), *period)
    assert from_cells == from_raw
    assert from_cells.received > 0


def test_the_flow_view_carries_2023s_open_dossiers_into_2024(seeded):
    got = report(Scope(("05605",)), *Q1, view="flow")
    assert got.carried_over == 5
    assert got.received == 521
    assert got.resolved == 521
    # the five were never finished: at 31/03/2024 they are in progress and overdue
    assert (got.in_progress, got.in_progress_overdue) == (5, 5)


def test_stored_cells_match_the_dossiers(seeded):
    assert cells.verify() == []


def test_monthly_series_agree_with_each_months_report(seeded):
    scope = Scope(("05605",))
    series = monthly(scope, *YEAR)
    assert len(series) == 12
    for first, received, resolved in series[:3] + series[-2:]:
        month_end = st.months_of(first, YEAR[1])[0][1]
        cohort = report(scope, first, month_end, "cohort")
        flow = report(scope, first, month_end, "flow")
        assert received.received == cohort.received > 0
        assert received.received_online == cohort.received_online - cohort.received_online_assisted
        assert (resolved.early, resolved.on_time, resolved.late) == (
            flow.resolved_early,
            flow.resolved_on_time,
            flow.resolved_late,
        )


@pytest.mark.parametrize("view", ["cohort", "flow"])
def test_every_drill_down_list_has_as_many_dossiers_as_its_number(seeded, view):
    from motcua.reports.queries import dossiers_behind
    from motcua.reports.views import FIGURE_LABELS

    scope = Scope(("05605",))
    period = (date(2023, 12, 15), date(2024, 1, 31))
    figures = report(scope, *period, view=view)
    checked = 0
    for figure in FIGURE_LABELS:
        expected = getattr(figures, figure)
        assert dossiers_behind(scope, *period, view, figure).count() == expected, figure
        checked += expected > 0
    assert checked >= 5
