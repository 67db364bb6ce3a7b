"""The 766 indicator set: hand-computed examples and properties (points, N/A, monotonicity)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as s

from motcua.core.indicators import (
    DEFINITIONS,
    GROUP_MAX,
    NO_DATA,
    NOT_AT_LEVEL,
    ZERO,
    Group,
    IndicatorInputs,
    Level,
    indicator_set,
    percent,
    points_for,
)

D = Decimal

# The seed's commune, year 2023, as this system counts it (tests/reports/seed.py).
SEED_2023 = IndicatorInputs(
    received=3834,
    received_online=3778,
    resolved_early=3427,
    resolved_on_time=402,
    in_progress_within_time=5,
    digitisable=2513,
    digitised=2513,
    results_due=3829,
    electronic_results=2513,
    reused=0,
    procedures=116,
    procedures_online=116,
    procedures_online_used=58,
)


def test_the_ceilings_add_up_to_100():
    assert sum(GROUP_MAX.values()) == 100
    assert sum(d.ceiling for d in DEFINITIONS) == 100
    assert [g.value for g in Group] == ["CKMB", "TDGQ", "CLGQ", "TTTT", "MDSH", "MDHL"]


def test_percent_rounds_half_up_to_two_decimals():
    assert percent(Fraction(3778, 3834)) == D("98.54")
    assert percent(Fraction(1, 20000)) == D("0.01")  # 0.005 % → 0.01 (half-even would give 0)
    assert percent(Fraction(1, 3)) == D("33.33")
    assert percent(Fraction(2, 3)) == D("66.67")


def test_points_full_at_or_above_the_target_else_proportional():
    # the seed's portal figures, 2023: online 98,3 % (3.3, target 50 %, 6 points)
    assert points_for(D("98.3"), D(50), D(6)) == D(6)
    # digitisation 78,8 % (4.2, target 80 %, 4 points): 78,8 × 4 ÷ 80 = 3,94
    assert points_for(D("78.8"), D(80), D(4)) == D("3.94")
    assert points_for(D(80), D(80), D(4)) == D(4)
    # linear: 2.1 at 97,5 % of 20 points = 19,5
    assert points_for(D("97.5"), D(100), D(20)) == D("19.50")
    # 5.4 at 85 % (target 90 %, 6 points): 85 × 6 ÷ 90 = 5,666… → 5,67
    assert points_for(D(85), D(90), D(6)) == D("5.67")


def test_the_seed_year_2023_as_this_system_counts_it():
    got = indicator_set(SEED_2023)
    assert got.get("3.3").value == D("98.54")  # 3,778 / 3,834, no sync factor known
    assert got.get("3.3").points == 6
    assert "đồng bộ" in got.get("3.3").note
    assert got.get("2.1").value == D(100)  # 3,427 + 402 + 5 in time of 3,834
    assert got.get("2.1").points == 20
    assert got.get("4.2").value == D(100)  # 2,513 / 2,513 (certifications exempt)
    assert got.get("4.1").value == D("65.63")  # 2,513 / 3,829 → 65,63 × 6 ÷ 100 = 3,94
    assert got.get("4.1").points == D("3.94")
    assert got.get("4.3").points == 0  # no reuse recorded: a real 0, not N/A
    assert got.get("3.1").points == 6
    assert got.get("3.2").value == D(50) and got.get("3.2").points == 0  # information only
    # available: 1.4 is N/A (no sync data); TTTT and MDHL have no data at all
    groups = {g.group: g for g in got.groups}
    assert groups[Group.CKMB].available == 0
    assert groups[Group.TDGQ].points == 20
    assert groups[Group.CLGQ].points == 12
    assert groups[Group.TTTT].available == 0
    assert groups[Group.MDSH].available == 6 + 4 + 2  # 4.1, 4.2, 4.3
    assert groups[Group.MDSH].points == D("3.94") + 4 + 0
    assert groups[Group.MDHL].available == 0
    assert got.available == 20 + 12 + 12
    assert got.points == D("39.94")
    assert got.scaled == D("90.77")  # 39,94 × 100 ÷ 44


def test_with_portal_figures_the_seed_2023_reading():
    """The portal's 98,3 % online and 78,8 % digitised (DOMAIN.md, Statistics)."""
    got = indicator_set(
        replace(SEED_2023, received=1000, received_online=983, digitisable=1000, digitised=788)
    )
    assert got.get("3.3").value == D("98.30")
    assert got.get("4.2").value == D("78.80")
    assert got.get("4.2").points == D("3.94")


def test_online_dossiers_are_multiplied_by_the_sync_rate_when_known():
    got = indicator_set(replace(SEED_2023, received=200, received_online=120, synced=150))
    # 1.4: 150 / 200 = 75 % → 75 × 6 ÷ 100 = 4,5
    assert (got.get("1.4").value, got.get("1.4").points) == (D(75), D("4.50"))
    # 3.3: 120/200 × 150/200 = 45 % < 50 % → 45 × 6 ÷ 50 = 5,4
    assert (got.get("3.3").value, got.get("3.3").points) == (D(45), D("5.40"))
    assert got.get("3.3").note == "mọi hồ sơ trực tuyến đều được tính (chưa xét kết quả điện tử)"


def test_timely_counts_in_progress_within_time_and_not_overdue():
    got = indicator_set(
        IndicatorInputs(
            received=10,
            resolved_early=5,
            resolved_on_time=2,
            resolved_late=1,
            in_progress_within_time=1,
            in_progress_overdue=1,
        )
    )
    assert got.get("2.1").value == D(80)  # (5 + 2 + 1) / 10
    assert got.get("2.1").points == D(16)


def test_satisfaction_subtracts_late_and_complained_dossiers():
    inputs = IndicatorInputs(
        received=40, resolved_early=36, resolved_late=2, in_progress_overdue=2, complained=2
    )
    got = indicator_set(inputs)
    # 100 % − (4/40 + 2/40) = 85 % → 85 × 6 ÷ 90 = 5,67
    assert got.get("5.4").value == D(85)
    assert got.get("5.4").points == D("5.67")
    assert indicator_set(replace(inputs, complained=None)).get("5.4").na == NO_DATA
    assert indicator_set(replace(inputs, complained=100)).get("5.4").value == 0


def test_publishing_indicators_are_not_for_a_commune():
    full = dict(published=10, published_on_time=10, to_publicise=5, publicised_on_time=4)
    commune = indicator_set(IndicatorInputs(**full))
    for code in ("1.1", "1.2", "1.3"):
        assert commune.get(code).na == NOT_AT_LEVEL
        assert commune.get(code).points is None
    province = indicator_set(IndicatorInputs(level=Level.PROVINCE, **full))
    assert province.get("1.1").points == 6
    assert province.get("1.2").value == D(80)
    assert province.get("1.2").points == D("3.20")
    assert province.get("1.3").na == NO_DATA


def test_nothing_received_makes_dossier_indicators_na_not_zero():
    got = indicator_set(IndicatorInputs(procedures=4, procedures_online=4))
    for code in ("1.4", "2.1", "3.3", "4.1", "4.2", "4.3"):
        assert got.get(code).na in (ZERO, NO_DATA), code
        assert got.get(code).value is None
    assert got.get("3.1").points == 6
    assert got.available == 6
    assert got.scaled == 100


def test_no_data_at_all_has_no_scaled_total():
    got = indicator_set(IndicatorInputs())
    assert got.points == 0 and got.available == 0
    assert got.scaled is None
    assert got.as_json()["scaled"] is None


# --- properties ------------------------------------------------------------------------------

counts = s.integers(0, 5000)
maybe = s.one_of(s.none(), counts)


@s.composite
def inputs(draw) -> IndicatorInputs:
    received = draw(counts)
    parts = draw(s.lists(s.integers(0, 5), min_size=5, max_size=5))
    total = sum(parts) or 1
    # split the received dossiers into the five outcome buckets
    shares = [received * p // total for p in parts]
    shares[0] += received - sum(shares)
    early, on_time, late, within, overdue = shares
    digitisable = draw(s.integers(0, received))
    procedures = draw(s.integers(0, 200))
    online = draw(s.integers(0, procedures))
    return IndicatorInputs(
        level=draw(s.sampled_from(list(Level))),
        received=received,
        received_online=draw(s.integers(0, received)),
        synced=draw(s.one_of(s.none(), s.integers(0, received))),
        resolved_early=early,
        resolved_on_time=on_time,
        resolved_late=late,
        in_progress_within_time=within,
        in_progress_overdue=overdue,
        digitisable=digitisable,
        digitised=draw(s.integers(0, digitisable)),
        results_due=early + on_time + late,
        electronic_results=draw(s.integers(0, early + on_time + late)),
        reused=draw(s.integers(0, received)),
        procedures=procedures,
        procedures_online=online,
        procedures_online_used=draw(s.integers(0, online)),
        fee_dossiers=draw(maybe),
        fee_dossiers_paid_online=draw(maybe),
        complained=draw(s.one_of(s.none(), s.integers(0, received))),
        pakn=draw(maybe),
        pakn_on_time=draw(maybe),
        published=draw(maybe),
        published_on_time=draw(maybe),
    )


@given(inputs())
def test_points_never_exceed_the_ceiling_and_groups_add_up(i):
    got = indicator_set(i)
    for ind in got.indicators:
        if ind.applicable:
            assert 0 <= ind.value <= 100
            assert 0 <= ind.points <= ind.ceiling
            assert ind.points == ind.ceiling or ind.value < ind.target
            assert not ind.na
        else:
            assert ind.points is None and ind.na
    for g in got.groups:
        assert 0 <= g.points <= g.available <= g.ceiling
    assert got.points == sum(g.points for g in got.groups)
    assert got.points <= got.available <= 100
    if got.scaled is not None:
        assert 0 <= got.scaled <= 100


@given(inputs())
def test_na_indicators_leave_the_maximum(i):
    got = indicator_set(i)
    assert got.available == sum(ind.ceiling for ind in got.indicators if ind.applicable)
    if i.level == Level.COMMUNE:
        assert got.get("1.1").na == NOT_AT_LEVEL
    if i.received == 0:
        assert not got.get("2.1").applicable and not got.get("1.4").applicable


@pytest.mark.parametrize(
    ("code", "numerator", "denominator"),
    [
        ("4.2", "digitised", "digitisable"),
        ("4.3", "reused", "received"),
        ("3.3", "received_online", "received"),
        ("1.4", "synced", "received"),
        ("3.1", "procedures_online", "procedures"),
        ("4.1", "electronic_results", "results_due"),
    ],
)
@given(whole=s.integers(1, 10_000), a=s.integers(0, 10_000), b=s.integers(0, 10_000))
def test_value_and_points_are_monotone_in_the_numerator(code, numerator, denominator, whole, a, b):
    low, high = sorted((a % (whole + 1), b % (whole + 1)))
    base = IndicatorInputs(**{denominator: whole})
    one = indicator_set(replace(base, **{numerator: low})).get(code)
    two = indicator_set(replace(base, **{numerator: high})).get(code)
    assert one.value <= two.value
    assert one.points <= two.points
    if high == whole:
        assert two.points == two.ceiling


@given(whole=s.integers(1, 5000), late=s.integers(0, 5000), c1=counts, c2=counts)
def test_satisfaction_never_rises_with_more_complaints(whole, late, c1, c2):
    late = min(late, whole)
    base = IndicatorInputs(received=whole, resolved_early=whole - late, resolved_late=late)
    fewer, more = sorted((c1, c2))
    a = indicator_set(replace(base, complained=fewer)).get("5.4")
    b = indicator_set(replace(base, complained=more)).get("5.4")
    assert b.value <= a.value and b.points <= a.points
