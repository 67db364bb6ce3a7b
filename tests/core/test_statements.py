"""Bank statements: reading the credits (row-numbered errors, amount writings) and matching
them to payment requests. Expected values are written out by hand from the tables below."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.core.statements import (
    OpenRequest,
    StatementError,
    StatementLine,
    match_key,
    match_lines,
    parse_amount,
    parse_statement,
    parse_statement_table,
)

VCB = ("Ngày giao dịch", "Số tham chiếu", "Số tiền ghi nợ", "Số tiền ghi có", "Số dư", "Mô tả")


def vcb(*rows: tuple[str, str, str, str, str, str]) -> list[dict[str, str]]:
    return [dict(zip(VCB, row, strict=True)) for row in rows]


def errors_of(rows, headers=None) -> list[str]:
    with pytest.raises(StatementError) as caught:
        parse_statement(rows, headers)
    assert caught.value.code == "invalid_statement"
    assert caught.value.status == 400
    return caught.value.errors


# --- a good file -----------------------------------------------------------------------------


def test_a_vietcombank_like_statement_gives_its_credits_in_file_order():
    rows = vcb(
        (
            "01/03/2025 08:15:02",
            "5243.65937",
            "",
            "12.000",
            "112.000",
            "MC 000.00.05.H56-261201-0003",
        ),
        ("01/03/2025 09:00:00", "5243.65938", "50.000", "", "62.000", "Phi SMS"),  # debit
        ("", "", "", "", "", ""),  # blank
        ("02/03/2025", "5243.70001", "", "1.234.567", "1.296.567", "chuyen tien"),
        ("", "Tổng số", "50.000", "1.246.567", "", ""),  # the bank's totals row
    )
    assert parse_statement(rows) == [
        StatementLine(2, date(2025, 3, 1), 12_000, "MC 000.00.05.H56-261201-0003", "5243.65937"),
        StatementLine(5, date(2025, 3, 2), 1_234_567, "chuyen tien", "5243.70001"),
    ]


@pytest.mark.parametrize(
    ("headers", "bank"),
    [
        (("Ngày GD", "Ghi có", "Diễn giải", "Mã giao dịch"), "generic short"),
        (("Ngày hiệu lực", "Ghi có", "Mô tả", "Số bút toán"), "BIDV-like"),
        (("ngay giao dich", "so tien", "noi dung giao dich", "reference"), "folded"),
        (("NGÀY GIAO DỊCH", "CREDIT", "NỘI DUNG", "SỐ THAM CHIẾU"), "upper case"),
        (
            (
                "Ngày phát sinh / Transaction date",
                "Có / Credit",
                "Mô tả giao dịch / Transaction description",
                "Số giao dịch / Transaction number",
            ),
            "VietinBank-like bilingual",
        ),
        (("Ngày giao dịch", "Số tiền ghi có (VND)", "Nội dung", "Số tham chiếu"), "with (VND)"),
    ],
)
def test_headers_of_other_banks_are_recognised(headers, bank):
    rows = [dict(zip(headers, ("05/03/2025", "20.000", "HS ABC123456", "FT1"), strict=True))]
    assert parse_statement(rows) == [
        StatementLine(2, date(2025, 3, 5), 20_000, "HS ABC123456", "FT1")
    ], bank


def test_the_credit_column_is_preferred_to_a_plain_amount_column():
    rows = [
        {
            "Ngày GD": "05/03/2025",
            "Số tiền": "999",
            "Số tiền ghi có": "20.000",
            "Nội dung": "x",
            "Số tham chiếu": "R1",
        }
    ]
    assert [line.amount for line in parse_statement(rows)] == [20_000]


def test_a_header_below_the_banks_title_rows_is_found_and_rows_keep_their_numbers():
    headers = ["NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM", "", "", ""]
    rows = [
        ["SAO KÊ TÀI KHOẢN", "", "", ""],
        ["Số tài khoản: 0123456789", "", "", ""],
        ["Ngày giao dịch", "Số tham chiếu", "Số tiền ghi có", "Mô tả"],
        ["03/03/2025 10:00", "REF-9", "15.000", "MC HS-0001-AB"],
    ]
    assert parse_statement_table(headers, rows) == [
        StatementLine(5, date(2025, 3, 3), 15_000, "MC HS-0001-AB", "REF-9")
    ]


def test_a_table_without_the_columns_says_what_is_missing():
    with pytest.raises(StatementError) as caught:
        parse_statement_table(["A", "B"], [["1", "2"]])
    assert caught.value.errors == [
        "Dòng 1: thiếu cột ngày giao dịch (Ngày giao dịch, Ngày GD hoặc Ngày hiệu lực); "
        "số tiền ghi có (Số tiền ghi có, Ghi có, Số tiền hoặc Credit); "
        "nội dung (Nội dung, Diễn giải, Mô tả hoặc Nội dung giao dịch); "
        "số tham chiếu (Số tham chiếu, Mã giao dịch, Số bút toán hoặc Reference)"
    ]


def test_only_a_header_is_an_empty_statement():
    assert parse_statement([], list(VCB)) == []


def test_content_is_stored_in_nfc_with_single_spaces():
    decomposed = "Nop phi ho so  Nguye\u0302\u0303n"  # "Nguyễn" with combining marks
    rows = vcb(("01/03/2025", "R1", "", "12.000", "", decomposed + "\n MC 1"))
    assert parse_statement(rows)[0].content == "Nop phi ho so Nguyễn MC 1"


# --- each error, with its row ----------------------------------------------------------------


def test_missing_columns_are_an_error_of_row_1():
    rows = [{"Ngày giao dịch": "01/03/2025", "Số tiền ghi có": "12.000", "Mô tả": "x"}]
    assert errors_of(rows) == [
        "Dòng 1: thiếu cột số tham chiếu (Số tham chiếu, Mã giao dịch, Số bút toán hoặc Reference)"
    ]


def test_two_columns_of_the_same_kind_are_an_error_of_row_1():
    headers = ["Ngày GD", "Ghi có", "Ghi Có", "Mô tả", "Số tham chiếu"]
    assert errors_of([], headers) == [
        "Dòng 1: hai cột cùng là số tiền ghi có: “Ghi có” và “Ghi Có”"
    ]


def test_every_bad_row_is_listed_with_its_number_and_nothing_is_returned():
    rows = vcb(
        ("01/03/2025", "R1", "", "12.000", "", "ok"),  # row 2: good
        ("31/02/2025", "R2", "", "12.000", "", "x"),  # row 3: no such day
        ("01/03/2025", "R3", "", "mười nghìn", "", "x"),  # row 4: not a number
        ("01/03/2025", "R4", "", "-12.000", "", "x"),  # row 5: negative
        ("01/03/2025", "", "", "12.000", "", "x"),  # row 6: no reference
        ("01/03/2025", "R1", "", "5.000", "", "x"),  # row 7: reference of row 2
        ("", "R7", "", "5.000", "", "x"),  # row 8: no date
        ("01/03/2025", "R8", "", "12,5", "", "x"),  # row 9: not a whole đồng
        ("01/03/2025", "R9", "3.000", "5.000", "", "x"),  # row 10: debit and credit
        ("2025/03/01", "R10", "", "5.000", "", "x"),  # row 11: year first, with slashes
    )
    assert errors_of(rows) == [
        "Dòng 3: “31/02/2025” không phải ngày hợp lệ (dd/mm/yyyy, có thể kèm giờ HH:MM[:SS]; "
        "năm từ 2000 đến 2100)",
        "Dòng 4: “mười nghìn” không phải số tiền (cột “Số tiền ghi có”)",
        "Dòng 5: “-12.000” là số tiền âm (ghi nợ?): sao kê cần số tiền ghi có dương "
        "(cột “Số tiền ghi có”)",
        "Dòng 6: thiếu số tham chiếu của giao dịch",
        "Dòng 7: số tham chiếu “R1” trùng dòng 2",
        "Dòng 8: thiếu ngày giao dịch",
        "Dòng 9: “12,5” có phần lẻ dưới một đồng (cột “Số tiền ghi có”)",
        "Dòng 10: có cả ghi nợ (“3.000”) và ghi có (“5.000”)",
        "Dòng 11: “2025/03/01” không phải ngày hợp lệ (dd/mm/yyyy, có thể kèm giờ HH:MM[:SS]; "
        "năm từ 2000 đến 2100)",
    ]


def test_the_message_counts_the_errors_and_says_nothing_was_imported():
    rows = vcb(("x", "R1", "", "12.000", "", ""), ("01/03/2025", "", "", "1.000", "", ""))
    with pytest.raises(StatementError) as caught:
        parse_statement(rows)
    assert str(caught.value).startswith("Sao kê có 2 lỗi, chưa nhập gì:\n  - Dòng 2: ")


def test_row_numbers_follow_first_row():
    rows = vcb(("01/03/2025", "", "", "1.000", "", ""))
    with pytest.raises(StatementError) as caught:
        parse_statement(rows, first_row=12)
    assert caught.value.errors == ["Dòng 12: thiếu số tham chiếu của giao dịch"]


# --- amounts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("12000", 12_000),
        ("12.000", 12_000),
        ("12,000", 12_000),
        ("12.000,00", 12_000),
        ("12,000.00", 12_000),
        ("12000,00", 12_000),
        ("12000.0", 12_000),
        ("1.234.567", 1_234_567),
        ("1,234,567", 1_234_567),
        ("1 234 567", 1_234_567),
        ("+50.000", 50_000),
        ("50.000 VND", 50_000),
        ("50.000đ", 50_000),
        ("50.000 ₫", 50_000),
        ("\u00a012.000\u00a0", 12_000),
        ("0", 0),
        ("999", 999),
    ],
)
def test_amount_writings_that_are_read(text, amount):
    assert parse_amount(text) == amount


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("-12.000", "âm"),
        ("12.000-", "âm"),
        ("(12.000)", "âm"),
        ("12,5", "phần lẻ"),
        ("12.000,50", "phần lẻ"),
        ("12,000.01", "phần lẻ"),
        ("1.2345", "cách 3 chữ số"),
        ("1,23,456", "cách 3 chữ số"),
        ("1234.567", "cách 3 chữ số"),
        ("1.234,567", "cả “.” và “,”"),
        ("12.000.00", "thập phân"),
        ("1,234,567,00", "thập phân"),
        ("abc", "không phải số tiền"),
        ("", "không phải số tiền"),
        (".500", "không phải số tiền"),
        ("12e3", "không phải số tiền"),
        ("1.000.000.000.001", "lớn quá"),
    ],
)
def test_ambiguous_negative_or_not_numeric_amounts_are_refused(text, why):
    with pytest.raises(ValueError, match=why):
        parse_amount(text)


def test_a_zero_credit_is_a_debit_row_and_skipped():
    rows = vcb(("01/03/2025", "R1", "10.000", "0", "", "rút tiền"))
    assert parse_statement(rows) == []


# --- matching --------------------------------------------------------------------------------

CODE = "000.00.05.H56-261201-0003"


def line(row: int, amount: int, content: str, reference: str = "") -> StatementLine:
    return StatementLine(row, date(2025, 3, 1), amount, content, reference or f"R{row}")


def request(
    rid: str, code: str, amount: int, status: str = "open", message: str = ""
) -> OpenRequest:
    return OpenRequest(rid, code, message or f"MC {code}", amount, status)


@pytest.mark.parametrize(
    "content",
    [
        "MC 000.00.05.H56-261201-0003",
        "mc 000.00.05.h56-261201-0003",
        "MBVCB.4525077405.0000005H562612010003.NGUYEN VAN A chuyen tien",
        "IBFT 0000005 H56 261201 0003",
        "000_00_05_H56_261201_0003 nop phi",
    ],
)
def test_a_mangled_code_still_matches(content):
    report = match_lines([line(2, 12_000, content)], [request("a", CODE, 12_000)], set())
    assert [(m.line.row, m.request.id) for m in report.matched] == [(2, "a")]


def test_the_match_key_keeps_letters_and_digits_only():
    assert match_key(CODE) == "0000005h562612010003"
    assert match_key("Đ.Ư-ợc 1") == "duoc1"


def test_a_code_run_together_with_the_digits_around_it_is_found():
    # the code's letters and digits are looked for inside the content's, so digits the bank
    # glued on either side do not hide it
    content = "00000005H562612010003"
    report = match_lines([line(2, 12_000, content)], [request("a", CODE, 12_000)])
    assert [m.request.id for m in report.matched] == ["a"]


def test_a_different_sequence_number_is_another_dossier():
    content = "MC 000.00.05.H56-261201-0030"
    report = match_lines([line(2, 12_000, content)], [request("a", CODE, 12_000)])
    assert [x.row for x in report.unmatched] == [2]


def test_a_longer_sequence_is_another_dossier_whatever_the_spacing():
    # "…-0003" is not the start of "…-00031" (a digit follows at once), spaced or not
    for content in ("MC 000.00.05.H56-261201-00031", "0000005H5626120100031 NGUYEN"):
        report = match_lines([line(2, 12_000, content)], [request("a", CODE, 12_000)])
        assert [x.row for x in report.unmatched] == [2], content
    # a number after a space is the bank's, not the code's
    report = match_lines(
        [line(2, 12_000, "MC 000.00.05.H56-261201-0003 12000 VND")], [request("a", CODE, 12_000)]
    )
    assert [m.request.id for m in report.matched] == ["a"]


def test_the_transfer_message_alone_is_enough():
    req = OpenRequest("a", CODE, "TTPHI K7Q2M9", 12_000, "open")
    report = match_lines([line(2, 12_000, "chuyen khoan TTPHI-K7Q2M9")], [req])
    assert [m.request.id for m in report.matched] == ["a"]


def test_the_outcomes_table():
    b, c, d, e = (CODE[:-1] + str(n) for n in (4, 5, 6, 7))
    requests = [
        request("A", CODE, 12_000),  # open
        request("B", b, 50_000),  # open
        request("C", c, 20_000, status="paid"),
        request("D", d, 30_000, status="cancelled"),
        request("E", e, 40_000, status="closed"),
    ]
    lines = [
        line(2, 12_000, f"MC {CODE}"),  # A: paid right
        line(3, 12_000, f"MC {CODE} lan 2"),  # A again: second payment in this file
        line(4, 5_000, f"MC {b}"),  # B: wrong amount
        line(5, 20_000, f"MC {c}"),  # C: paid before
        line(6, 30_000, f"MC {d}"),  # D: cancelled
        line(7, 40_000, f"MC {e}"),  # E: closed
        line(8, 12_000, "chuyen tien an trua"),  # nobody
        line(9, 50_000, f"MC {b}", reference="OLD-1"),  # imported before
        line(10, 50_000, f"MC {b}", reference="R2"),  # same reference as row 2, in this run
    ]
    report = match_lines(lines, requests, {"old-1 "})
    assert [(m.line.row, m.request.id) for m in report.matched] == [(2, "A")]
    assert [(f.line.row, f.request.id, f.reason) for f in report.flagged] == [
        (3, "A", "thanh toán trùng"),
        (4, "B", "sai số tiền"),
        (5, "C", "thanh toán trùng"),
        (6, "D", "yêu cầu đã đóng"),
        (7, "E", "yêu cầu đã đóng"),
    ]
    assert [f.detail for f in report.flagged][1] == "nhận 5.000 đồng, yêu cầu 50.000 đồng"
    assert [x.row for x in report.unmatched] == [8]
    assert [x.row for x in report.duplicates] == [9, 10]
    assert report.matched_total == 12_000


def test_two_requests_of_one_dossier_the_open_one_with_the_amount_is_chosen():
    requests = [
        request("old", CODE, 12_000, status="cancelled"),
        request("fee", CODE, 50_000),
        request("new", CODE, 12_000),
    ]
    report = match_lines([line(2, 12_000, f"MC {CODE}")], requests)
    assert [m.request.id for m in report.matched] == ["new"]


def test_a_request_whose_message_is_found_wins_over_one_found_by_code():
    by_code = OpenRequest("code", CODE, "XYZXYZ-1", 12_000, "open")
    by_message = OpenRequest("msg", CODE, "TTPHI Q8W7E6", 12_000, "open")
    report = match_lines([line(2, 12_000, f"{CODE} TTPHI Q8W7E6")], [by_code, by_message])
    assert [m.request.id for m in report.matched] == ["msg"]


def test_a_short_message_is_not_looked_for():
    req = OpenRequest("a", "", "PHI", 12_000, "open")
    report = match_lines([line(2, 12_000, "PHI SMS THANG 3")], [req])
    assert [x.row for x in report.unmatched] == [2]


# --- properties ------------------------------------------------------------------------------

CODES = [f"000.00.05.H56-2612{n:02d}-000{n % 10}" for n in range(6)]
requests_st = st.lists(
    st.builds(
        OpenRequest,
        id=st.uuids(),
        dossier_code=st.sampled_from(CODES),
        message=st.sampled_from(["", "TTPHI AAAA11", "TTPHI BBBB22"]),
        amount=st.sampled_from([12_000, 20_000, 50_000]),
        status=st.sampled_from(["open", "open", "paid", "cancelled"]),
    ),
    max_size=8,
)
lines_st = st.lists(
    st.builds(
        StatementLine,
        row=st.integers(2, 500),
        booked_on=st.just(date(2025, 3, 1)),
        amount=st.sampled_from([12_000, 20_000, 50_000, 7]),
        content=st.one_of(
            st.sampled_from(CODES).map(lambda c: f"MC {c}"),
            st.sampled_from(CODES).map(lambda c: c.replace(".", "").replace("-", "")),
            st.sampled_from(["TTPHI AAAA11", "chuyen tien", ""]),
        ),
        reference=st.sampled_from(["R1", "R2", "R3", "R4", "R5", "R6"]),
    ),
    max_size=12,
)


@given(lines_st, requests_st, st.sets(st.sampled_from(["R1", "R2"])))
def test_matches_are_sound(lines, requests, seen):
    report = match_lines(lines, requests, seen)
    for m in report.matched:
        assert m.line.amount == m.request.amount
        assert m.request.status == "open"
    ids = [m.request.id for m in report.matched]
    assert len(ids) == len(set(ids))
    sorted_out = (
        len(report.matched) + len(report.flagged) + len(report.unmatched) + len(report.duplicates)
    )
    assert sorted_out == len(lines)
    counted = [m.line.reference for m in report.matched] + [
        f.line.reference for f in report.flagged
    ]
    assert not set(counted) & seen
    assert len(counted) == len(set(counted))


@pytest.mark.parametrize(
    ("cell", "day"),
    [
        ("05/03/2025", date(2025, 3, 5)),
        ("05/03/2025 23:59", date(2025, 3, 5)),
        ("05/03/2025 23:59:59", date(2025, 3, 5)),
        ("2025-03-05T23:59:59", date(2025, 3, 5)),  # an XLSX date cell, as tabular gives it
    ],
)
def test_dates_with_or_without_time(cell, day):
    rows = vcb((cell, "R1", "", "12000", "", "x"))
    assert parse_statement(rows)[0].booked_on == day
