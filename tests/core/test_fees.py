"""The fee engine (motcua.core.fees) against the published schedules and its own invariants.

Expected amounts come from the law, worked by hand: TT 226/2016/TT-BTC Điều 4 (phí chứng
thực): a certified copy from the original 2.000 đồng/trang for pages 1–2, 1.000 đồng/trang
from page 3, at most 200.000 đồng a copy; a signature 10.000 đồng a case.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.core.errors import CODES
from motcua.core.fees import (
    EXEMPTION_LABELS,
    FREE,
    MAX_COPIES,
    MAX_PAGES,
    Basis,
    Case,
    Channel,
    Exemption,
    FeeError,
    FeeKind,
    FeeRule,
    Tier,
    describe,
    headline,
    quote,
    rule_from_dict,
    rule_to_dict,
)

TT226 = "Thông tư 226/2016/TT-BTC"
CERTIFIED_COPY = FeeRule(
    basis=Basis.PER_PAGE,
    kind=FeeKind.FEE,
    tiers=(Tier(1, 2, 2_000), Tier(3, None, 1_000)),
    cap_per_copy=200_000,
    legal_basis=TT226,
)
SIGNATURE = FeeRule(basis=Basis.PER_CASE, kind=FeeKind.FEE, price=10_000, legal_basis=TT226)


def by_hand_copy(pages: int) -> int:
    """TT 226/2016 read aloud: 2.000 a page for the first two, 1.000 after, 200.000 at most."""
    return min(200_000, 2_000 * min(pages, 2) + 1_000 * max(pages - 2, 0))


def half_up(amount: int, percent: int) -> int:
    """``percent`` % of ``amount`` rounded half up, by decimal arithmetic (the oracle)."""
    return int((Decimal(amount) * percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


# --- the published schedules --------------------------------------------------------------


@pytest.mark.parametrize(
    "pages, copies, amount",
    [
        (1, 1, 2_000),
        (2, 1, 4_000),
        (3, 1, 5_000),
        (10, 1, 12_000),
        (198, 1, 200_000),
        (199, 1, 200_000),
        (500, 1, 200_000),
        (3, 2, 10_000),
        (199, 3, 600_000),
        (0, 1, 0),
        (5, 0, 0),
    ],
)
def test_certified_copy_schedule(pages, copies, amount):
    assert quote(CERTIFIED_COPY, Case(pages=pages, copies=copies)).amount == amount


def test_signature_is_per_case_whatever_the_pages_and_copies():
    assert quote(SIGNATURE, Case()).amount == 10_000
    assert quote(SIGNATURE, Case(pages=40, copies=7)).amount == 10_000


def test_capped_copy_shows_the_cap_as_its_own_line():
    lines = quote(CERTIFIED_COPY, Case(pages=199, copies=2)).lines
    assert [(line.quantity, line.unit_price, line.amount) for line in lines] == [
        (4, 2_000, 8_000),  # pages 1–2 of two copies
        (394, 1_000, 394_000),  # pages 3–199 of two copies
        (2, -1_000, -2_000),  # 201.000 a copy, 1.000 over the cap
    ]
    assert "200.000" in lines[-1].label


def test_headline_describe_and_as_dict():
    assert headline(CERTIFIED_COPY) == 2_000
    assert headline(SIGNATURE) == 10_000
    assert headline(FREE) == 0
    assert describe(CERTIFIED_COPY) == (
        "Phí: 2.000 đồng/trang (trang 1–2), 1.000 đồng/trang (từ trang 3), tối đa 200.000 đồng/bản"
    )
    assert describe(SIGNATURE) == "Phí: 10.000 đồng/hồ sơ"
    assert describe(FREE) == "Miễn phí, lệ phí"
    data = quote(CERTIFIED_COPY, Case(pages=3), "Chứng thực bản sao").as_dict()
    assert data == {
        "amount": 5_000,
        "lines": [
            {
                "label": "Phí chứng thực bản sao, trang 1–2",
                "quantity": 2,
                "unit_price": 2_000,
                "amount": 4_000,
            },
            {
                "label": "Phí chứng thực bản sao, trang 3",
                "quantity": 1,
                "unit_price": 1_000,
                "amount": 1_000,
            },
        ],
        "basis": TT226,
        "kind": "phi",
        "name": "Phí chứng thực bản sao",
    }


def test_free_rule_quotes_zero_with_no_lines():
    assert quote(FREE, Case(pages=9, copies=9)).amount == 0
    assert quote(FREE, Case(pages=9, copies=9)).lines == ()


def test_the_error_code_is_registered():
    assert "invalid_fee" in CODES
    with pytest.raises(FeeError) as caught:
        quote(SIGNATURE, Case(pages=-1))
    assert caught.value.code == "invalid_fee"
    assert caught.value.status == 400


@pytest.mark.parametrize(
    "case, message",
    [
        (Case(pages=-1), "Số trang"),
        (Case(pages=MAX_PAGES + 1), "Số trang"),
        (Case(copies=MAX_COPIES + 1), "Số bản"),
        (Case(copies=True), "Số bản"),
        (Case(units="3"), "Số lượng"),
        (Case(exemption="vip"), "đối tượng"),
    ],
)
def test_impossible_cases_are_refused_in_vietnamese(case, message):
    with pytest.raises(FeeError, match=message):
        quote(CERTIFIED_COPY, case)


def test_largest_case_is_computed():
    assert quote(CERTIFIED_COPY, Case(pages=MAX_PAGES, copies=MAX_COPIES)).amount == (
        200_000 * MAX_COPIES
    )


# --- online and exemptions ----------------------------------------------------------------


@pytest.mark.parametrize(
    "price, percent, amount",
    [
        (15_000, 50, 7_500),
        (1_001, 50, 501),  # 500,5 → 501
        (1_003, 30, 301),  # 300,9 → 301
        (1_001, 10, 100),  # 100,1 → 100
        (5, 50, 3),  # 2,5 → 3
        (8_000, 0, 0),
    ],
)
def test_online_percent_rounds_half_up(price, percent, amount):
    rule = FeeRule(basis=Basis.PER_CASE, price=price, online_percent=percent)
    assert quote(rule, Case(channel=Channel.ONLINE)).amount == amount
    assert quote(rule, Case(channel=Channel.DESK)).amount == price


def test_exemptions_full_partial_and_outside_the_rule():
    rule = FeeRule(
        basis=Basis.PER_CASE,
        price=15_000,
        exemptions=(
            Exemption("nguoi_co_cong", "NQ HĐND tỉnh, Điều 5"),
            Exemption("ho_can_ngheo", "NQ HĐND tỉnh, Điều 5", 50),
        ),
        legal_basis="TT 85/2019/TT-BTC",
    )
    full = quote(rule, Case(exemption="nguoi_co_cong"))
    assert full.amount == 0
    assert full.basis == "TT 85/2019/TT-BTC; NQ HĐND tỉnh, Điều 5"
    assert quote(rule, Case(exemption="ho_can_ngheo")).amount == 7_500
    # a category the rule does not name exempts nothing
    assert quote(rule, Case(exemption="tre_em")).amount == 15_000
    assert "giảm 50 %" in describe(rule)


@pytest.mark.parametrize(
    "percent, words", [(0, "; nộp trực tuyến: 0 đồng"), (50, "; nộp trực tuyến thu 50 %")]
)
def test_describe_says_the_online_share(percent, words):
    rule = FeeRule(basis=Basis.PER_CASE, price=5_000, online_percent=percent)
    assert describe(rule) == f"Lệ phí: 5.000 đồng/hồ sơ{words}"


@st.composite
def tiers(draw) -> tuple[Tier, ...]:
    widths = draw(st.lists(st.integers(1, 50), min_size=0, max_size=4))
    open_end = draw(st.booleans()) or not widths
    prices = draw(st.lists(st.integers(0, 5_000), min_size=len(widths) + 1))
    out, first = [], 1
    for width, price in zip(widths, prices, strict=False):
        out.append(Tier(first, first + width - 1, price))
        first += width
    if open_end:
        out.append(Tier(first, None, prices[len(widths)]))
    return tuple(out)


exemption_lists = st.lists(
    st.tuples(st.sampled_from(sorted(EXEMPTION_LABELS)), st.integers(1, 100), st.text(max_size=20)),
    max_size=3,
    unique_by=lambda e: e[0],
).map(lambda items: tuple(Exemption(c, b, p) for c, p, b in items))


@st.composite
def rules(draw, basis=None) -> FeeRule:
    """Rules in their canonical form (only the values their basis uses)."""
    basis = basis or draw(st.sampled_from(list(Basis)))
    legal = draw(st.text(max_size=30))
    if basis == Basis.FREE:
        return FeeRule(legal_basis=legal)
    per_page = basis == Basis.PER_PAGE
    return FeeRule(
        basis=basis,
        kind=draw(st.sampled_from(list(FeeKind))),
        name=draw(st.text(max_size=30)),
        price=0 if per_page else draw(st.integers(0, 10**9)),
        tiers=draw(tiers()) if per_page else (),
        cap_per_copy=draw(st.none() | st.integers(0, 10**6)) if per_page else None,
        unit_label=draw(st.text(max_size=10)) if basis == Basis.PER_UNIT else "",
        online_percent=draw(st.integers(0, 100)),
        exemptions=draw(exemption_lists),
        legal_basis=legal,
    )


cases = st.builds(
    Case,
    pages=st.integers(0, MAX_PAGES),
    copies=st.integers(0, 100),
    units=st.integers(0, 1_000),
    channel=st.sampled_from(list(Channel)),
    exemption=st.sampled_from(["", *EXEMPTION_LABELS]),
)


@given(rules(), cases)
def test_amount_is_the_sum_of_its_lines_and_never_negative(rule, case):
    result = quote(rule, case)
    assert result.amount == sum(line.amount for line in result.lines)
    assert result.amount >= 0


@given(rules(Basis.PER_PAGE), st.integers(0, MAX_PAGES))
def test_one_copy_never_costs_more_than_the_cap(rule, pages):
    amount = quote(rule, Case(pages=pages)).amount
    if rule.cap_per_copy is not None:
        assert amount <= rule.cap_per_copy


@given(rules(), cases, st.integers(0, 1_000), st.integers(0, 50))
def test_more_pages_or_copies_never_cost_less(rule, case, more_pages, more_copies):
    base = quote(rule, case).amount
    pages = min(case.pages + more_pages, MAX_PAGES)
    assert quote(
        rule, Case(pages, case.copies, case.units, case.channel, case.exemption)
    ).amount >= (base)
    bigger = Case(case.pages, case.copies + more_copies, case.units, case.channel, case.exemption)
    assert quote(rule, bigger).amount >= base


@given(st.integers(0, MAX_PAGES), st.integers(0, MAX_COPIES))
def test_certified_copy_matches_the_law_for_any_pages_and_copies(pages, copies):
    assert quote(CERTIFIED_COPY, Case(pages=pages, copies=copies)).amount == (
        by_hand_copy(pages) * copies
    )


@given(rules(Basis.PER_PAGE), st.integers(0, MAX_PAGES), st.integers(0, 100))
def test_per_page_copies_multiply(rule, pages, copies):
    one = quote(rule, Case(pages=pages)).amount
    assert quote(rule, Case(pages=pages, copies=copies)).amount == one * copies


@given(rules(Basis.PER_PAGE))
def test_zero_pages_cost_nothing(rule):
    assert quote(rule, Case(pages=0)).amount == 0


@given(rules(), cases)
def test_full_exemption_is_free_and_partial_removes_its_share(rule, case):
    desk = Case(case.pages, case.copies, case.units, case.channel)
    before = quote(rule, desk).amount
    for exemption in rule.exemptions:
        after = quote(
            rule, Case(case.pages, case.copies, case.units, case.channel, exemption.category)
        )
        if exemption.percent == 100:
            assert after.amount == 0
        else:
            assert after.amount == before - half_up(before, exemption.percent)


@given(st.integers(0, 10**9), st.integers(0, 100))
def test_online_share_is_half_up_of_the_desk_price(price, percent):
    rule = FeeRule(basis=Basis.PER_CASE, price=price, online_percent=percent)
    assert quote(rule, Case(channel=Channel.ONLINE)).amount == half_up(price, percent)


# --- the stored form ----------------------------------------------------------------------


@given(rules())
def test_stored_form_round_trips(rule):
    assert rule_from_dict(rule_to_dict(rule)) == rule


def test_empty_stored_form_is_free():
    assert rule_from_dict({}) == FREE
    assert rule_from_dict(None) == FREE


def test_stored_form_of_the_certified_copy():
    assert rule_to_dict(CERTIFIED_COPY) == {
        "basis": "trang",
        "kind": "phi",
        "tiers": [[1, 2, 2000], [3, None, 1000]],
        "cap_per_copy": 200000,
        "legal_basis": TT226,
    }


PAGE = {"basis": "trang", "tiers": [[1, None, 1000]]}


@pytest.mark.parametrize(
    "data, message",
    [
        ({"basis": "theo_mua"}, "cách tính"),
        ({"basis": "ho_so", "kind": "thue"}, "Loại"),
        ({"basis": "ho_so", "price": -1}, "Mức thu"),
        ({"basis": "ho_so", "price": "2000"}, "Mức thu"),
        ({"basis": "ho_so", "price": 1.5}, "Mức thu"),
        ({"basis": "ho_so", "price": True}, "Mức thu"),
        ({"basis": "trang"}, "ít nhất một bậc"),
        ({"basis": "trang", "tiers": [[2, None, 1000]]}, "trang 1"),
        ({"basis": "trang", "tiers": [[1, 2, 2000], [4, None, 1000]]}, "trang 3"),
        ({"basis": "trang", "tiers": [[1, 3, 2000], [3, None, 1000]]}, "trang 4"),
        ({"basis": "trang", "tiers": [[1, None, 2000], [3, None, 1000]]}, "bậc cuối"),
        ({"basis": "trang", "tiers": [[1, 0, 2000]]}, "nhỏ hơn"),
        ({"basis": "trang", "tiers": [[1, None, -5]]}, "Mức thu mỗi trang"),
        ({"basis": "trang", "tiers": [[1, None]]}, "bậc"),
        ({"basis": "trang", "tiers": "1-2: 2000"}, "bậc"),
        ({**PAGE, "cap_per_copy": -1}, "tối đa"),
        ({**PAGE, "exemptions": [["vip", 100, ""]]}, "vip"),
        ({**PAGE, "exemptions": [["ho_ngheo", 101, ""]]}, "Tỷ lệ"),
        ({**PAGE, "exemptions": [["ho_ngheo", 0, ""]]}, "Tỷ lệ"),
        ({**PAGE, "exemptions": [["ho_ngheo", 50]]}, "miễn, giảm"),
        ({**PAGE, "exemptions": [["ho_ngheo", 50, ""], ["ho_ngheo", 100, ""]]}, "hai lần"),
        ({**PAGE, "online_percent": 150}, "trực tuyến"),
        (["ho_so", 2000], "dạng"),
    ],
)
def test_bad_stored_forms_are_refused(data, message):
    with pytest.raises(FeeError, match=message):
        rule_from_dict(data)


def test_when_the_fee_is_collected_travels_with_the_rule():
    from motcua.core.fees import CollectAt, FeeError, rule_from_dict, rule_to_dict

    stored = {"basis": "ho_so", "kind": "phi", "price": 10000, "collect_at": "tiep_nhan"}
    rule = rule_from_dict(stored)
    assert rule.collect_at == CollectAt.RECEPTION and rule_to_dict(rule) == stored
    # the default (at the return) is not written, so older rules keep their form and hash
    assert "collect_at" not in rule_to_dict(rule_from_dict({**stored, "collect_at": "tra_ket_qua"}))
    with pytest.raises(FeeError):
        rule_from_dict({**stored, "collect_at": "hom_sau"})
