"""The 766 indicators end to end: dossiers → statistics cells → cohort figures → indicators."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from motcua.core.indicators import NO_DATA, NOT_AT_LEVEL, PORTAL_COMPUTES, Group
from motcua.reports.indicators import indicators_for
from motcua.reports.queries import Scope, units_of
from tests.reports import seed

MARCH = (date(2024, 3, 1), date(2024, 3, 31))


def row(channel: str, outcome: str, digitisable: bool, digitised: bool) -> dict:
    return {
        "channel": channel,
        "outcome": outcome,
        "digitisable": digitisable,
        "digitised": digitised,
    }


@pytest.fixture
def march(world, catalogue):
    """Five dossiers at Bình Thành: 1.001193 (hộ tịch) when digitisable, else 2.000815
    (chứng thực, exempt from digitisation)."""
    plan = [
        row("online", "early", True, True),
        row("online", "early", True, True),
        row("online_assisted", "early", True, True),
        row("online", "on_time", False, False),
        row("direct", "open", True, False),  # received 29/03, due in April: within time
    ]
    seed.build("05605", plan, *MARCH, seed=7)
    return world


def test_a_commune_month(march):
    got = indicators_for(Scope(("05605",)), *MARCH)
    # 2.1: (3 early + 1 on time + 1 within time) / 5
    assert (got.get("2.1").value, got.get("2.1").points) == (Decimal(100), Decimal(20))
    # 3.3: 4 online (assisted included) / 5 = 80 % ≥ 50 % → 6; no sync data, so no factor
    assert got.get("3.3").value == Decimal(80)
    assert got.get("3.3").points == 6
    # 4.2: 3 digitised / 4 digitisable = 75 % → 75 × 4 ÷ 80 = 3,75
    assert (got.get("4.2").value, got.get("4.2").points) == (Decimal(75), Decimal("3.75"))
    # 4.1: 3 electronic results / 4 resolved = 75 % → 75 × 6 ÷ 100 = 4,5
    assert got.get("4.1").points == Decimal("4.50")
    # the small catalogue: 4 commune procedures, all online; 2 had online dossiers
    assert (got.get("3.1").numerator, got.get("3.1").denominator) == (4, 4)
    assert got.get("3.2").value == Decimal(50)
    # what the system does not hold is N/A, not 0
    assert got.get("1.1").na == NOT_AT_LEVEL
    assert got.get("1.4").na == NO_DATA
    # 3.6: the 2.000815 dossier's procedure charges 2.000 đồng, nothing was paid online
    assert (got.get("3.6").value, got.get("3.6").denominator) == (Decimal(0), 1)
    assert got.get("3.5a").na == PORTAL_COMPUTES
    assert got.get("5.4").na == NO_DATA
    groups = {g.group: g for g in got.groups}
    assert groups[Group.CLGQ].points == 12
    assert groups[Group.MDSH].available == 12
    assert got.points == Decimal(20) + 12 + Decimal("3.75") + Decimal("4.50") + 0


def test_a_province_rolls_up_its_communes(march):
    # a second commune of Thái Nguyên with another mix, and one of Tây Ninh that must stay out
    phu_dinh = [
        row("online", "early", True, True),
        row("direct", "early", True, False),
        row("direct", "on_time", True, False),
        row("online_assisted", "open", True, False),
    ]
    seed.build("05611", phu_dinh, *MARCH, seed=8)
    seed.build("27700", [row("direct", "early", True, True)] * 2, *MARCH, seed=9)

    def counts(got, code):
        return (got.get(code).numerator, got.get(code).denominator)

    binh_thanh = indicators_for(Scope(("05605",)), *MARCH)
    province = indicators_for(Scope(units_of("19")), *MARCH)
    # by hand, Bình Thành + Phú Đình (5 + 4 dossiers):
    # 2.1 resolved early or on time, or in progress within time: 5 + 4 of 5 + 4
    assert counts(binh_thanh, "2.1") == (5, 5) and counts(province, "2.1") == (9, 9)
    # 3.3 received online (assisted included): 4 + 2 of 9
    assert counts(binh_thanh, "3.3") == (4, 5) and counts(province, "3.3") == (6, 9)
    # 4.2 digitised of those to digitise: 3 of 4, plus 1 of 4 = 4 of 8 = 50 %
    assert counts(province, "4.2") == (4, 8) and province.get("4.2").value == Decimal(50)
    # 4.1 electronic results of the resolved: 3 of 4, plus 1 of 3
    assert counts(binh_thanh, "4.1") == (3, 4) and counts(province, "4.1") == (4, 7)
    # Tây Ninh's province holds only its own commune's two dossiers
    assert counts(indicators_for(Scope(units_of("80")), *MARCH), "3.3") == (0, 2)
    # publishing is a province's task: N/A for lack of data, not for the level
    assert province.get("1.1").na == NO_DATA


def test_a_period_without_dossiers(march):
    got = indicators_for(Scope(("05605",)), date(2024, 5, 1), date(2024, 5, 31))
    assert got.get("2.1").value is None
    assert got.get("3.2").value == 0
    assert got.available == 8  # 3.1, and 3.5b: 1 procedure charges, none paid online (0 %)
