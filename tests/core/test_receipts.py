"""The e-receipt's pure rules: its number, its symbols, the amount in words, the day's summary.

The words of the table were written by hand, read aloud as a receipt prints them (conventions:
nghìn, tỷ, linh, mốt, lăm, tư after "mươi"); the property tests read the words back with a
parser written here, independently of the code under test.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.core.errors import CODES
from motcua.core.fees import FeeKind
from motcua.core.localtime import LOCAL_TZ
from motcua.core.receipts import (
    PaymentMethod,
    ReceiptData,
    ReceiptError,
    ReceiptLine,
    ReceiptRef,
    ReceiptStatus,
    ReceiptSummaryRow,
    amount_in_words,
    check_receipt,
    check_symbols,
    daily_summary,
    receipt_from_dict,
    receipt_number,
    receipt_to_dict,
    receipt_year,
    replacement_text,
    summary_total,
)

# --- amount in words: by hand ---------------------------------------------------------------

BY_HAND = [
    (0, "Không đồng"),
    (1, "Một đồng"),
    (5, "Năm đồng"),
    (10, "Mười đồng"),
    (11, "Mười một đồng"),
    (14, "Mười bốn đồng"),
    (15, "Mười lăm đồng"),
    (20, "Hai mươi đồng"),
    (21, "Hai mươi mốt đồng"),
    (24, "Hai mươi tư đồng"),
    (25, "Hai mươi lăm đồng"),
    (55, "Năm mươi lăm đồng"),
    (91, "Chín mươi mốt đồng"),
    (100, "Một trăm đồng"),
    (101, "Một trăm linh một đồng"),
    (104, "Một trăm linh bốn đồng"),
    (105, "Một trăm linh năm đồng"),
    (110, "Một trăm mười đồng"),
    (111, "Một trăm mười một đồng"),
    (115, "Một trăm mười lăm đồng"),
    (121, "Một trăm hai mươi mốt đồng"),
    (1_000, "Một nghìn đồng"),
    (1_005, "Một nghìn không trăm linh năm đồng"),
    (2_000, "Hai nghìn đồng"),
    (10_000, "Mười nghìn đồng"),
    (12_000, "Mười hai nghìn đồng"),
    (15_000, "Mười lăm nghìn đồng"),
    (25_000, "Hai mươi lăm nghìn đồng"),
    (30_500, "Ba mươi nghìn năm trăm đồng"),
    (50_000, "Năm mươi nghìn đồng"),
    (200_000, "Hai trăm nghìn đồng"),
    (1_000_000, "Một triệu đồng"),
    (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
    (1_000_005, "Một triệu không trăm linh năm đồng"),
    (2_010_000, "Hai triệu không trăm mười nghìn đồng"),
    (1_500_000, "Một triệu năm trăm nghìn đồng"),
    (1_000_000_000, "Một tỷ đồng"),
    (1_000_000_001, "Một tỷ không trăm linh một đồng"),
    (2_500_000_000, "Hai tỷ năm trăm triệu đồng"),
    (
        999_999_999_999,
        "Chín trăm chín mươi chín tỷ chín trăm chín mươi chín triệu chín trăm chín mươi chín"
        " nghìn chín trăm chín mươi chín đồng",
    ),
    (1_000_000_000_000, "Một nghìn tỷ đồng"),
]


@pytest.mark.parametrize(("amount", "words"), BY_HAND)
def test_amount_in_words_by_hand(amount, words):
    assert amount_in_words(amount) == words


@pytest.mark.parametrize("amount", [-1, 10**15, 1.5, "12000", True])
def test_amount_in_words_refuses_what_is_not_an_amount(amount):
    with pytest.raises(ReceiptError):
        amount_in_words(amount)


# An independent reader of the words, for the property tests: tokens left to right.
UNITS = {
    "không": 0,
    "một": 1,
    "mốt": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "tư": 4,
    "năm": 5,
    "lăm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
}


def read_below_thousand(tokens: list[str]) -> int:
    value, digit = 0, 0
    for token in tokens:
        if token in UNITS:
            digit = UNITS[token]
        elif token == "trăm":
            value += digit * 100
            digit = 0
        elif token == "mươi":
            value += digit * 10
            digit = 0
        elif token == "mười":
            value += 10
        elif token == "linh":
            digit = 0
        else:
            raise AssertionError(token)
    return value + digit


def read_words(tokens: list[str]) -> int:
    if "tỷ" in tokens:
        at = len(tokens) - 1 - tokens[::-1].index("tỷ")
        return read_words(tokens[:at]) * 10**9 + (
            read_words(tokens[at + 1 :]) if tokens[at + 1 :] else 0
        )
    total = 0
    for scale, name in ((10**6, "triệu"), (10**3, "nghìn")):
        if name in tokens:
            at = tokens.index(name)
            total += read_below_thousand(tokens[:at]) * scale
            tokens = tokens[at + 1 :]
    return total + read_below_thousand(tokens)


amounts = st.integers(min_value=0, max_value=10**15 - 1)


@given(amounts)
def test_words_read_back_to_the_amount(amount):
    words = amount_in_words(amount)
    tokens = words.lower().split(" ")
    assert tokens[-1] == "đồng"
    assert read_words(tokens[:-1]) == amount


@given(amounts)
def test_words_are_clean_text(amount):
    words = amount_in_words(amount)
    assert words == unicodedata.normalize("NFC", words)
    assert "  " not in words and words == words.strip()
    assert words.endswith(" đồng")
    assert words[0].isupper() and words[1:] == words[1:].lower()
    # the chosen readings, never their alternatives
    for wrong in ("mươi một", "mươi bốn", "mươi năm", "mười năm", "ngàn", "lẻ", "tỉ"):
        assert f" {wrong} " not in f" {words.lower()} "


# --- number, symbols ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "text"),
    [(1, "00000001"), (12, "00000012"), (12_345_678, "12345678"), (99_999_999, "99999999")],
)
def test_receipt_number_has_8_digits(n, text):
    assert receipt_number(n) == text


@pytest.mark.parametrize("n", [0, -1, 100_000_000, 1.0, True])
def test_receipt_number_refuses_out_of_range(n):
    with pytest.raises(ReceiptError) as caught:
        receipt_number(n)
    assert caught.value.code == "invalid_receipt"
    assert caught.value.status == 400


def test_the_code_is_registered():
    assert CODES["invalid_receipt"][0] == "invalid"


def test_numbers_restart_on_local_1_january():
    # 31/12/2026 23:30 in Việt Nam is 16:30 UTC; 01/01/2027 00:10 local is 31/12 17:10 UTC.
    assert receipt_year(datetime(2026, 12, 31, 16, 30, tzinfo=UTC)) == 2026
    assert receipt_year(datetime(2026, 12, 31, 17, 10, tzinfo=UTC)) == 2027


@pytest.mark.parametrize(
    ("form", "series"),
    [("01BLP0-001", "BI-26E"), ("1", "BT26"), ("01BLP2-001", "BH25-AG/08907/E"), ("8", "C26TBL")],
)
def test_symbols_in_use_are_accepted(form, series):
    assert check_symbols(f" {form} ", series) == (form, series)


@pytest.mark.parametrize(
    ("form", "series", "message"),
    [
        ("", "BI-26E", "Chưa có ký hiệu mẫu biên lai"),
        ("01BLP0-001", "  ", "Chưa có ký hiệu biên lai"),
        ("01BLP0-001", "B" * 21, "tối đa 20 ký tự"),
        ("01blp0-001", "BI-26E", "chữ in hoa"),
        ("01BLP0 001", "BI-26E", "chữ in hoa"),
        ("01BLP0-001", "-BI26E", "không bắt đầu"),
        ("01BLP0-001", "BI26E/", "kết thúc"),
        ("01BLP0-001", "BI_26E", "chữ in hoa"),
    ],
)
def test_bad_symbols_are_refused_in_vietnamese(form, series, message):
    with pytest.raises(ReceiptError, match=message):
        check_symbols(form, series)


# --- the receipt's content ------------------------------------------------------------------


def receipt(**changes) -> ReceiptData:
    values = dict(
        unit_name="Ủy ban nhân dân xã Bình Thành",
        unit_tax_code="0312345678",
        unit_address="Ấp Bình Thạnh, xã Bình Thành",
        form_symbol="01BLP0-001",
        series="BT-26E",
        number=12,
        payer_name="Nguyễn Thị Hồng Nhung",
        payer_address="Ấp Tân Hưng",
        fee_name="Phí chứng thực bản sao từ bản chính",
        fee_kind=FeeKind.FEE,
        lines=(ReceiptLine("Trang 1–2", 2, 2000, 4000), ReceiptLine("Từ trang 3", 8, 1000, 8000)),
        payment_method=PaymentMethod.CASH,
        issued_at=datetime(2026, 12, 2, 9, 41, tzinfo=LOCAL_TZ),
        dossier_code="000.00.05.H12-261202-0007",
        verify_url="https://motcua.example.vn/tra-cuu/000.00.05.H12-261202-0007/",
    )
    values.update(changes)
    return ReceiptData(**values)


def test_a_good_receipt_passes_and_totals_its_lines():
    data = check_receipt(receipt())
    assert data.total == 12_000
    assert data.number_text == "00000012"
    assert data.issued_on == date(2026, 12, 2)


def test_the_day_of_issue_is_local():
    late = receipt(issued_at=datetime(2026, 12, 1, 17, 30, tzinfo=UTC))  # 00:30 on 2 December
    assert late.issued_on == date(2026, 12, 2)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"number": 0}, "bắt đầu từ 1"),
        ({"series": "bt-26e"}, "chữ in hoa"),
        ({"payer_name": " "}, "tên người nộp"),
        ({"unit_tax_code": ""}, "mã số thuế"),
        ({"unit_tax_code": "03123"}, "10 chữ số"),
        ({"fee_name": ""}, "tên loại phí"),
        ({"lines": ()}, "ít nhất một khoản"),
        ({"lines": (ReceiptLine("Trang", 0, 2000, 0),)}, "số lượng"),
        ({"lines": (ReceiptLine("Trang", 1, 0, 0),)}, "lớn hơn 0"),
        ({"lines": (ReceiptLine("Trang", 1, 2000, -2000),)}, "số tiền sai"),
        ({"issued_at": datetime(2026, 12, 2, 9, 41)}, "múi giờ"),
        ({"replaces": ReceiptRef("01BLP0-001", "BT-26E", 0, date(2026, 12, 1))}, "bắt đầu từ 1"),
    ],
)
def test_a_receipt_that_cannot_be_issued_is_refused(changes, message):
    with pytest.raises(ReceiptError, match=message):
        check_receipt(receipt(**changes))


def test_replacement_text():
    ref = ReceiptRef("01BLP0-001", "BT-26E", 11, date(2026, 12, 1))
    assert replacement_text(ref) == (
        "Thay thế cho biên lai số 00000011, ký hiệu mẫu 01BLP0-001, ký hiệu BT-26E, ngày 01/12/2026"
    )


def test_content_survives_its_json():
    import json

    data = receipt(
        replaces=ReceiptRef("01BLP0-001", "BT-26E", 11, date(2026, 12, 1)),
        payer_id_number="087190001234",
        extra=(("Số tài khoản", "0123"),),
        payment_method=PaymentMethod.PORTAL,
    )
    assert receipt_from_dict(json.loads(json.dumps(receipt_to_dict(data)))) == data


# --- the day's summary ----------------------------------------------------------------------

DAY = date(2026, 12, 2)


def row(number: int, amount: int = 12_000, **changes) -> ReceiptSummaryRow:
    values = dict(
        form_symbol="01BLP0-001",
        series="BT-26E",
        number=number,
        issued_on=DAY,
        fee_name="Phí chứng thực",
        fee_kind=FeeKind.FEE,
        amount=amount,
    )
    values.update(changes)
    return ReceiptSummaryRow(**values)


def test_one_row_per_receipt_in_number_order_with_statuses():
    cancelled = row(13, 20_000, status=ReceiptStatus.CANCELLED, note="Thu nhầm người nộp")
    rows = daily_summary([row(14, 10_000), cancelled, row(12)])
    assert [(r["stt"], r["from_number"], r["to_number"]) for r in rows] == [
        (1, "00000012", "00000012"),
        (2, "00000013", "00000013"),
        (3, "00000014", "00000014"),
    ]
    assert [r["status"] for r in rows] == ["Mới", "Huỷ", "Mới"]
    assert rows[1]["note"] == "Thu nhầm người nộp"
    assert rows[0]["fee_kind"] == "Phí" and rows[0]["issued_on"] == DAY
    # 12.000 + 10.000: the cancelled 20.000 is reported but not collected
    assert summary_total(rows) == 22_000


def test_runs_of_new_receipts_are_grouped_and_breaks_are_kept():
    receipts = [
        row(1, 2_000),
        row(2, 4_000),
        row(3, 6_000),
        row(4, 50_000, status=ReceiptStatus.REPLACED),
        row(5, 8_000),
        row(7, 10_000),  # 6 is missing: a new run
        row(8, 1_000, fee_name="Lệ phí hộ tịch", fee_kind=FeeKind.CHARGE),
        row(
            9,
            45_000,
            status=ReceiptStatus.REPLACEMENT,
            replaces=ReceiptRef("01BLP0-001", "BT-26E", 4, DAY),
        ),
    ]
    rows = daily_summary(receipts, group_runs=True)
    assert [(r["from_number"][-1], r["to_number"][-1], r["count"], r["amount"]) for r in rows] == [
        ("1", "3", 3, 12_000),
        ("4", "4", 1, 50_000),
        ("5", "5", 1, 8_000),
        ("7", "7", 1, 10_000),
        ("8", "8", 1, 1_000),
        ("9", "9", 1, 45_000),
    ]
    assert [r["stt"] for r in rows] == [1, 2, 3, 4, 5, 6]
    assert rows[4]["fee_kind"] == "Lệ phí"
    assert rows[1]["status"] == "Bị thay thế" and rows[5]["status"] == "Thay thế"
    assert rows[5]["note"].startswith("Thay thế cho biên lai số 00000004, ký hiệu mẫu 01BLP0-001")
    # 12.000 + 8.000 + 10.000 + 1.000 + 45.000 (the replaced 50.000 is not counted)
    assert summary_total(rows) == 76_000


def test_a_receipt_twice_is_refused():
    with pytest.raises(ReceiptError, match="hai lần"):
        daily_summary([row(12), row(12)])


def test_an_empty_day_has_no_rows():
    assert daily_summary([]) == []
    assert summary_total([]) == 0


@given(st.lists(st.integers(min_value=1, max_value=60), unique=True), st.booleans())
def test_grouping_never_loses_a_receipt_or_a_dong(numbers, group):
    statuses = list(ReceiptStatus)
    receipts = [row(n, n * 1000, status=statuses[n % 7 % 4]) for n in numbers]
    rows = daily_summary(receipts, group_runs=group)
    assert sum(r["count"] for r in rows) == len(numbers)
    assert sum(r["amount"] for r in rows) == sum(n * 1000 for n in numbers)
    counted = {ReceiptStatus.NEW, ReceiptStatus.REPLACEMENT}
    assert summary_total(rows) == sum(r.amount for r in receipts if r.status in counted)
    assert sum(1 for r in rows if r["status"] == "Huỷ") == sum(
        1 for r in receipts if r.status == ReceiptStatus.CANCELLED
    )
