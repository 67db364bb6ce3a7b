"""The 766 indicator set's published shape (the JSON the API and exports give) and the
figures behind each value, on the seed's 2023 year (docs/statistics.md: 39,94 of 44 available
points, 90,77 on 100) and hand-computed cases."""

from __future__ import annotations

from dataclasses import fields
from decimal import Decimal

import pytest

from motcua.core.indicators import (
    NO_DATA,
    NOT_AT_LEVEL,
    ZERO,
    IndicatorInputs,
    indicator_set,
    points_for,
)

D = Decimal

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
# The six groups of QĐ 766 as the portal reports them, with their points (LEGAL-NOTES §5).
GROUPS = [
    ("CKMB", "Công khai, minh bạch", 18),
    ("TDGQ", "Tiến độ, kết quả giải quyết", 20),
    ("CLGQ", "Dịch vụ công trực tuyến", 12),
    ("TTTT", "Thanh toán trực tuyến", 10),
    ("MDSH", "Số hoá hồ sơ", 22),
    ("MDHL", "Mức độ hài lòng", 18),
]


def test_the_json_of_the_seed_2023_year():
    got = indicator_set(SEED_2023).as_json()
    assert set(got) == {"points", "available", "scaled", "groups", "indicators"}
    assert (got["points"], got["available"], got["scaled"]) == (39.94, 44.0, 90.77)
    assert [(g["group"], g["name"], g["ceiling"]) for g in got["groups"]] == GROUPS
    mdsh = got["groups"][4]
    assert mdsh == {
        "group": "MDSH",
        "name": "Số hoá hồ sơ",
        "ceiling": 22.0,
        "available": 12.0,  # 4.1, 4.2, 4.3
        "points": 7.94,  # 3,94 + 4 + 0
    }
    by_code = {i["code"]: i for i in got["indicators"]}
    assert len(by_code) == len(got["indicators"]) == 23
    one = by_code["4.1"]
    assert set(one) == {
        "code", "name", "group", "value", "target", "ceiling", "points",
        "numerator", "denominator", "na", "note",
    }  # fmt: skip
    assert (one["code"], one["group"], one["value"], one["target"]) == ("4.1", "MDSH", 65.63, 100.0)
    assert (one["ceiling"], one["points"], one["numerator"], one["denominator"]) == (
        6.0,
        3.94,
        2513,
        3829,
    )
    assert (one["na"], one["note"]) == ("", "")
    assert "kết quả" in one["name"]
    na = by_code["1.1"]
    assert (na["value"], na["points"], na["na"]) == (None, None, NOT_AT_LEVEL)
    assert by_code["4.2"]["target"] == 80.0 and by_code["3.3"]["target"] == 50.0


def test_every_indicator_says_what_it_is():
    for ind in indicator_set(SEED_2023).indicators:
        assert ind.name.startswith(("Tỷ lệ", "Thời gian", "Tiến độ")), ind.code
        assert "/" in ind.formula or "−" in ind.formula, ind.code  # a ratio, or 100 % − …
        assert ind.confidence, ind.code
    for group in indicator_set(SEED_2023).groups:
        assert group.name, group.group


def test_numerators_and_denominators_are_the_counts_shown():
    got = indicator_set(SEED_2023)
    assert (got.get("2.1").numerator, got.get("2.1").denominator) == (3834, 3834)
    assert (got.get("3.3").numerator, got.get("3.3").denominator) == (3778, 3834)
    assert (got.get("4.2").numerator, got.get("4.2").denominator) == (2513, 2513)
    assert got.get("4.2").note == ""
    assert (got.get("1.4").numerator, got.get("1.4").na) == (None, NO_DATA)


def test_satisfaction_shows_the_dossiers_kept_of_those_handled():
    # 40 handled, 2 late, 2 overdue, 2 with a complaint: 34 of 40 = 85 %
    got = indicator_set(
        IndicatorInputs(
            received=40, resolved_early=36, resolved_late=2, in_progress_overdue=2, complained=2
        )
    ).get("5.4")
    assert (got.value, got.numerator, got.denominator) == (D(85), 34, 40)
    nothing = indicator_set(IndicatorInputs(complained=0)).get("5.4")
    assert (nothing.na, nothing.value) == (ZERO, None)


def test_online_notes_say_what_was_not_known():
    both = indicator_set(IndicatorInputs(received=200, received_online=120)).get("3.3")
    assert both.note == (
        "mọi hồ sơ trực tuyến đều được tính (chưa xét kết quả điện tử); "
        "chưa nhân tỷ lệ đồng bộ (không có số liệu đồng bộ)"
    )
    # the online dossiers that count are known (90 of 200), the sync rate is not
    counted = indicator_set(IndicatorInputs(received=200, received_online=120, online_counted=90))
    got = counted.get("3.3")
    assert (got.value, got.numerator, got.denominator) == (D(45), 90, 200)
    assert got.note == "chưa nhân tỷ lệ đồng bộ (không có số liệu đồng bộ)"
    # 45 % < 50 %: 45 × 6 ÷ 50 = 5,4
    assert got.points == D("5.40")


def test_points_round_half_up_to_two_decimals():
    # 1,25 × 2 ÷ 100 = 0,025 → 0,03 (half-even would give 0,02)
    assert points_for(D("1.25"), D(100), D(2)) == D("0.03")
    assert points_for(D(0), D(80), D(4)) == D(0)


def test_an_unknown_code_is_a_key_error_naming_it():
    with pytest.raises(KeyError) as caught:
        indicator_set(SEED_2023).get("9.9")
    assert caught.value.args == ("9.9",)


def test_inputs_as_json_has_every_input():
    got = SEED_2023.as_json()
    assert set(got) == {f.name for f in fields(IndicatorInputs)}
    assert (got["received"], got["received_online"], got["synced"]) == (3834, 3778, None)
    assert (got["level"], got["procedures_online_used"]) == ("commune", 58)
