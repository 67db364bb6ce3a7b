"""Balance-change notifications in SePay's webhook format, and the API-key check."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from motcua.core.bankhook import BankCredit, BankNoticeError, authorised, parse_notice
from motcua.core.statements import OpenRequest, StatementLine, match_lines

# SePay's documented example (developer.sepay.vn, "Tích hợp webhooks"), content changed
EXAMPLE = {
    "id": 92704,
    "gateway": "Vietcombank",
    "transactionDate": "2023-03-25 14:02:37",
    "accountNumber": "0123499999",
    "code": None,
    "content": "MC 000.00.05.H56-261201-0003",
    "transferType": "in",
    "transferAmount": 2277000,
    "accumulated": 19077000,
    "subAccount": None,
    "referenceCode": "MBVCB.3278907687",
    "description": "",
}


def test_the_documented_example_is_a_credit():
    assert parse_notice(json.dumps(EXAMPLE).encode()) == BankCredit(
        notice_id="92704",
        gateway="Vietcombank",
        booked_at=datetime(2023, 3, 25, 14, 2, 37),
        account_number="0123499999",
        amount=2_277_000,
        content="MC 000.00.05.H56-261201-0003",
        reference="MBVCB.3278907687",
        code="",
        sub_account="",
        description="",
        accumulated=19_077_000,
    )


def test_a_dict_body_is_read_the_same():
    assert parse_notice(EXAMPLE) == parse_notice(json.dumps(EXAMPLE).encode())


def test_money_out_is_acknowledged_and_ignored():
    assert parse_notice({**EXAMPLE, "transferType": "out"}) is None


def test_a_credit_is_a_statement_line_that_the_matcher_matches():
    credit = parse_notice(EXAMPLE)
    assert credit.to_line() == StatementLine(
        0, date(2023, 3, 25), 2_277_000, "MC 000.00.05.H56-261201-0003", "MBVCB.3278907687"
    )
    request = OpenRequest(
        "r1", "000.00.05.H56-261201-0003", "MC 000.00.05.H56-261201-0003", 2_277_000, "open"
    )
    assert [m.request.id for m in match_lines([credit.to_line()], [request]).matched] == ["r1"]


def test_without_a_bank_reference_the_notifiers_id_is_the_reference():
    credit = parse_notice({**EXAMPLE, "referenceCode": None})
    assert credit.reference == ""
    assert credit.to_line().reference == "Vietcombank-92704"


def test_optional_fields_may_be_absent():
    body = {
        k: EXAMPLE[k]
        for k in (
            "id",
            "gateway",
            "transactionDate",
            "accountNumber",
            "content",
            "transferType",
            "transferAmount",
        )
    }
    credit = parse_notice(body)
    assert (credit.reference, credit.accumulated, credit.code) == ("", None, "")


def test_amounts_as_whole_float_or_digit_string_are_read():
    assert parse_notice({**EXAMPLE, "transferAmount": 12000.0}).amount == 12_000
    assert parse_notice({**EXAMPLE, "transferAmount": "12000"}).amount == 12_000


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"transferAmount": 12000.5}, "transferAmount “12000.5” không phải số đồng nguyên"),
        ({"transferAmount": "12.000"}, "transferAmount “12.000” không phải số đồng nguyên"),
        ({"transferAmount": -5}, "transferAmount -5 ngoài khoảng cho phép"),
        ({"transferAmount": True}, "transferAmount không phải số tiền"),
        ({"transferAmount": 0}, "transferAmount bằng 0"),
        ({"transferType": "IN2"}, "transferType “IN2” không phải “in” hoặc “out”"),
        (
            {"transactionDate": "25/03/2023 14:02:37"},
            "transactionDate “25/03/2023 14:02:37” không đúng dạng YYYY-MM-DD HH:MM:SS",
        ),
        ({"id": ""}, "id trống hoặc không hợp lệ"),
        ({"content": 5}, "content không phải chuỗi"),
    ],
)
def test_a_bad_field_is_refused_with_its_reason(change, message):
    with pytest.raises(BankNoticeError) as caught:
        parse_notice({**EXAMPLE, **change})
    assert caught.value.errors == [message]
    assert caught.value.code == "invalid_bank_notice"
    assert caught.value.status == 400


def test_every_missing_field_is_listed():
    with pytest.raises(BankNoticeError) as caught:
        parse_notice({"id": 1, "gateway": "X"})
    assert caught.value.errors == [
        "thiếu trường transactionDate",
        "thiếu trường accountNumber",
        "thiếu trường content",
        "thiếu trường transferType",
        "thiếu trường transferAmount",
    ]
    assert str(caught.value).startswith("Thông báo biến động số dư không hợp lệ: thiếu trường")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"not json", "nội dung không phải JSON (UTF-8)"),
        (b"\xff\xfe", "nội dung không phải JSON (UTF-8)"),
        (b"[1, 2]", "nội dung phải là một đối tượng JSON"),
        (b" " * (64 * 1024 + 1), "nội dung quá lớn"),
    ],
)
def test_a_body_that_is_not_a_notification_is_refused(body, message):
    with pytest.raises(BankNoticeError) as caught:
        parse_notice(body)
    assert caught.value.errors == [message]


@pytest.mark.parametrize(
    ("header", "key", "ok"),
    [
        ("Apikey s3cret-KEY", "s3cret-KEY", True),
        ("apikey s3cret-KEY", "s3cret-KEY", True),
        ("  Apikey   s3cret-KEY  ", "s3cret-KEY", True),
        ("Apikey s3cret-KEy", "s3cret-KEY", False),
        ("Apikey s3cret-KEY2", "s3cret-KEY", False),
        ("Bearer s3cret-KEY", "s3cret-KEY", False),
        ("s3cret-KEY", "s3cret-KEY", False),
        ("Apikey ", "", False),
        ("Apikey", "", False),
        (None, "s3cret-KEY", False),
        ("Apikey s3cret-KEY", None, False),
        ("Apikey khóa-bí-mật", "khóa-bí-mật", True),
        ("Apikey khóa-bí-mật", "khoa-bi-mat", False),
    ],
)
def test_authorised(header, key, ok):
    assert authorised(header, key) is ok
