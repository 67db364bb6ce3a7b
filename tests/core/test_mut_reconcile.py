"""Reconciliation with the national portal (docs/reconciliation.md): reading its two exports
as officials produce them, and the reasons and counts the page shows. Expected values are the
page's own rules, worked by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from motcua.core import reconcile as rc
from motcua.core.classify import Timeliness
from motcua.core.reconcile import Reason as R

HEADERS = [
    "Mã hồ sơ",
    "Mã TTHC",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày kết thúc xử lý",
    "Trạng thái",
    "Đã số hoá",
    "Kênh",
]


def row(code="A1", received="05/01/2024 08:30", due="", ended="", status="Đang xử lý", **kw):
    return [
        code,
        kw.get("procedure", "1.001193"),
        received,
        due,
        ended,
        status,
        kw.get("digitised", ""),
        kw.get("channel", "2"),
    ]


def errors_of(rows, headers=HEADERS) -> list[str]:
    with pytest.raises(rc.ReconcileFileError) as caught:
        rc.parse_portal_rows(headers, rows)
    assert str(caught.value).startswith("Tệp hồ sơ của Cổng DVCQG có ")
    return [str(e) for e in caught.value.errors]


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("05/01/2024 08:30:15", datetime(2024, 1, 5, 8, 30, 15)),
        ("05/01/2024 08:30", datetime(2024, 1, 5, 8, 30)),
        ("05/01/2024", datetime(2024, 1, 5)),
        ("05-01-2024 08:30:15", datetime(2024, 1, 5, 8, 30, 15)),
        ("05-01-2024 08:30", datetime(2024, 1, 5, 8, 30)),
        ("05-01-2024", datetime(2024, 1, 5)),
        ("2024-01-05T08:30:00", datetime(2024, 1, 5, 8, 30)),
        ("2024-01-05 08:30", datetime(2024, 1, 5, 8, 30)),
        ("2024-01-05", datetime(2024, 1, 5)),
        (" 05/01/2024 ", datetime(2024, 1, 5)),
        ("2024-01-05T01:30:00+00:00", datetime(2024, 1, 5, 8, 30)),  # UTC → local (UTC+7)
        ("01/01/2000", datetime(2000, 1, 1)),
        ("31/12/2100", datetime(2100, 12, 31)),
    ],
)
def test_moments_in_every_accepted_spelling(text, moment):
    assert rc.parse_moment(text) == moment


def test_a_due_date_alone_is_the_whole_day_a_due_time_is_kept():
    last = datetime(2024, 1, 8, 23, 59, 59)
    assert rc.parse_moment("08/01/2024", end_of_day=True) == last
    assert rc.parse_moment("08-01-2024", end_of_day=True) == last
    assert rc.parse_moment("2024-01-08", end_of_day=True) == last
    assert rc.parse_moment("08/01/2024 10:00", end_of_day=True) == datetime(2024, 1, 8, 10)
    assert rc.parse_moment("2024-01-08 10:00", end_of_day=True) == datetime(2024, 1, 8, 10)


@pytest.mark.parametrize(
    "text", ["31/12/1999", "01/01/2101", "1900-01-05", "hôm qua", "32/01/2024"]
)
def test_moments_outside_2000_2100_or_not_dates(text):
    with pytest.raises(ValueError):
        rc.parse_moment(text)


# --- the per-dossier export -------------------------------------------------------------------


def test_a_full_row_is_read_into_every_field():
    rows, present = rc.parse_portal_rows(
        HEADERS,
        [
            row("H15-240105-0001", due="08/01/2024", ended="06/01/2024 10:00", status="Đã trả kết quả",
                digitised="có", channel="3"),
            ["", "", "", "", "", "", "", ""],  # a blank line is skipped, numbering goes on
            row("H15-240105-0002", due="08/01/2024 16:00", digitised="không", channel=""),
            row("H15-240105-0003", received="06/01/2024", status="cho bo sung", channel="truc tiep")[:6],
        ],
    )  # fmt: skip
    first, second, third = rows
    assert present == {"ngay_hen_tra", "ngay_ket_thuc", "da_so_hoa", "kenh"}
    assert (first.row, first.code, first.procedure_code) == (2, "H15-240105-0001", "1.001193")
    assert first.received_at == datetime(2024, 1, 5, 8, 30)
    assert first.due_at == datetime(2024, 1, 8, 23, 59, 59)
    assert first.ended_at == datetime(2024, 1, 6, 10)
    assert (first.status, first.digitised, first.channel) == ("Đã trả kết quả", True, 3)
    assert (second.row, second.due_at, second.ended_at) == (4, datetime(2024, 1, 8, 16), None)
    assert (second.digitised, second.channel) == (False, 1)  # empty channel = direct
    # a short row: the missing cells are empty
    assert (third.row, third.status, third.digitised, third.channel) == (
        5,
        "Yêu cầu bổ sung hồ sơ",
        None,
        1,
    )


def test_only_the_required_columns():
    rows, present = rc.parse_portal_rows(
        ["MaHoSo", "NgayTiepNhan", "Tình trạng"], [["A1", "05/01/2024", "Đã xử lý"]]
    )
    assert present == set()
    (only,) = rows
    assert (only.code, only.procedure_code, only.status) == ("A1", "", "Đã xử lý xong")
    assert (only.due_at, only.ended_at, only.digitised, only.channel) == (None, None, None, None)


@pytest.mark.parametrize(
    ("spelling", "status"),
    [
        ("Mới tiếp nhận", "Mới tiếp nhận"),
        ("MOI TIEP NHAN", "Mới tiếp nhận"),
        ("yêu cầu bổ sung", "Yêu cầu bổ sung hồ sơ"),
        ("rút hồ sơ", "Công dân yêu cầu rút hồ sơ"),
        ("Công dân rút hồ sơ", "Công dân yêu cầu rút hồ sơ"),
        ("Đã có kết quả", "Đã xử lý xong"),
        ("Từ chối giải quyết", "Từ chối"),
        ("Dừng giải quyết", "Dừng xử lý"),
        ("Công dân yêu cầu rút hồ sơ", "Công dân yêu cầu rút hồ sơ"),
    ],
)
def test_status_spellings(spelling, status):
    (got,), _ = rc.parse_portal_rows(HEADERS, [row(status=spelling)])
    assert got.status == status


@pytest.mark.parametrize(
    ("spelling", "channel"),
    [("1", 1), ("2", 2), ("3", 3), ("Trực tiếp", 1), ("Trực tuyến", 2), ("BCCI", 3),
     ("Bưu chính", 3), ("Bưu chính công ích", 3), ("Dịch vụ bưu chính công ích", 3)],
)  # fmt: skip
def test_channel_spellings(spelling, channel):
    (got,), _ = rc.parse_portal_rows(HEADERS, [row(channel=spelling)])
    assert got.channel == channel


@pytest.mark.parametrize(
    ("flag", "digitised"),
    [("có", True), ("1", True), ("x", True), ("TRUE", True), ("yes", True), ("Đã số hoá", True),
     ("đã", True), ("không", False), ("0", False), ("false", False), ("no", False),
     ("chưa", False), ("Chưa số hoá", False), ("", None)],
)  # fmt: skip
def test_digitised_spellings(flag, digitised):
    (got,), _ = rc.parse_portal_rows(HEADERS, [row(digitised=flag)])
    assert got.digitised is digitised


def test_codes_up_to_60_characters_each_once_ignoring_case():
    sixty = "A" * 60
    (got,), _ = rc.parse_portal_rows(HEADERS, [row(sixty)])
    assert got.code == sixty
    assert errors_of([row("A" * 61)]) == ["dòng 2, cột “Mã hồ sơ”: trống hoặc dài quá 60 ký tự"]
    assert errors_of([row("")]) == ["dòng 2, cột “Mã hồ sơ”: trống hoặc dài quá 60 ký tự"]
    assert errors_of([row("a1"), row("A1"), row("A1")]) == [
        "dòng 3, cột “Mã hồ sơ”: mã A1 trùng dòng 2",
        "dòng 4, cột “Mã hồ sơ”: mã A1 trùng dòng 2",
    ]


def test_every_error_of_a_row_is_listed():
    got = errors_of(
        [row(received="", due="31/02/2024", ended="hôm qua", status="Lạ", digitised="có lẽ",
             channel="9")]
    )  # fmt: skip
    assert got == [
        "dòng 2, cột “Ngày tiếp nhận”: không được để trống",
        "dòng 2, cột “Ngày hẹn trả”: “31/02/2024” không phải ngày hợp lệ (dd/mm/yyyy, "
        "dd/mm/yyyy HH:MM hoặc yyyy-mm-dd, năm từ 2000 đến 2100)",
        "dòng 2, cột “Ngày kết thúc xử lý”: “hôm qua” không phải ngày hợp lệ (dd/mm/yyyy, "
        "dd/mm/yyyy HH:MM hoặc yyyy-mm-dd, năm từ 2000 đến 2100)",
        "dòng 2, cột “Trạng thái”: “Lạ” không phải trạng thái của Cổng DVCQG (Mới tiếp nhận, "
        "Đang xử lý, Yêu cầu bổ sung hồ sơ, Từ chối, Dừng xử lý, Đã xử lý xong, Đã trả kết quả, "
        "Công dân yêu cầu rút hồ sơ)",
        "dòng 2, cột “Đã số hoá”: “có lẽ” không hợp lệ (có/không)",
        "dòng 2, cột “Kênh”: “9” không hợp lệ (1 trực tiếp, 2 trực tuyến, 3 BCCI)",
    ]


def test_an_end_before_the_receipt_day_but_not_the_same_day():
    assert errors_of([row(received="05/01/2024 08:30", ended="04/01/2024 17:00")]) == [
        "dòng 2, cột “Ngày kết thúc xử lý”: trước ngày tiếp nhận"
    ]
    (got,), _ = rc.parse_portal_rows(
        HEADERS, [row(received="05/01/2024 08:30", ended="05/01/2024 07:00")]
    )
    assert got.ended_at == datetime(2024, 1, 5, 7)


def test_a_good_row_beside_a_bad_one_is_not_kept():
    assert errors_of([row("A1"), row("A2", status="?")]) == [
        "dòng 3, cột “Trạng thái”: “?” không phải trạng thái của Cổng DVCQG (Mới tiếp nhận, "
        "Đang xử lý, Yêu cầu bổ sung hồ sơ, Từ chối, Dừng xử lý, Đã xử lý xong, Đã trả kết quả, "
        "Công dân yêu cầu rút hồ sơ)"
    ]


def test_file_level_errors_name_no_column():
    with pytest.raises(rc.ReconcileFileError) as caught:
        rc.parse_portal_rows(["Mã hồ sơ"], [])
    assert caught.value.errors == [
        rc.RowError(1, "", "thiếu cột bắt buộc “Ngày tiếp nhận”, “Trạng thái”")
    ]
    with pytest.raises(rc.ReconcileFileError) as caught:
        rc.parse_portal_rows(HEADERS, [])
    assert caught.value.errors == [rc.RowError(2, "", "tệp không có dòng dữ liệu nào")]


def test_no_rows_and_missing_columns():
    assert errors_of([]) == ["dòng 2: tệp không có dòng dữ liệu nào"]
    assert errors_of([["", None, " "]]) == ["dòng 2: tệp không có dòng dữ liệu nào"]
    assert errors_of([["A1"]], headers=["Kênh", "Mã hồ sơ"]) == [
        "dòng 1: thiếu cột bắt buộc “Ngày tiếp nhận”, “Trạng thái”"
    ]


# --- numbers and the indicator file -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rate", "value"),
    [
        ("1,234,567", False, "1234567"),
        ("12,5", False, "12.5"),
        ("1.5", False, "1.5"),
        ("3 834", False, "3834"),
        ("\u00a03.834", False, "3834"),
        ("3\u00a0834", False, "3834"),
        ("98,3\u00a0%", True, "98.3"),
        ("3.834,5", False, "3834.5"),
        ("3,834.5", False, "3834.5"),
        ("98,3", True, "98.3"),
        ("0,983", True, "98.3"),
        ("0.5 %", True, "0.5"),
        ("1", True, "1"),
        ("0", True, "0"),
        ("100", True, "100"),
        ("3.834", True, "3.834"),
        ("250", False, "250"),
    ],
)
def test_more_numbers(text, rate, value):
    assert rc.parse_number(text, rate=rate) == Decimal(value)


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("100,1", True),
        ("-1", False),
        ("abc", False),
        ("NaN", False),
        ("Infinity", False),
        ("1,2.3,4", False),  # separators on both sides of each other: not a number
        ("1.2,3.4", False),
    ],
)
def test_numbers_refused(text, rate):
    with pytest.raises(ValueError):
        rc.parse_number(text, rate=rate)


@pytest.mark.parametrize(
    ("name", "code", "key"),
    [
        ("", "1.4", "sync_rate"),
        ("", " 2.1 ", "timely_rate_766"),
        ("", "4.2", "digitisation_rate"),
        ("", "received", "received"),
        ("Chỉ số 2.1 của năm", "", "timely_rate_766"),
        ("Chỉ số 12.1", "", ""),
        ("Tỷ lệ giải quyết đúng hạn", "", "on_time_rate"),
        ("Tỷ lệ hồ sơ xử lý đúng hạn", "", "timely_rate_766"),
        ("Số hồ sơ đã số hoá", "", "digitised_dossiers"),
        ("Số hồ sơ trực tiếp", "", "received_direct"),
        ("Số hồ sơ qua BCCI", "", "received_post"),
        ("Số hồ sơ gửi qua bưu chính", "", "received_post"),
        ("Số hồ sơ trước hạn", "", "resolved_early"),
        ("Số hồ sơ đúng hạn", "", "resolved_on_time"),
        ("Số hồ sơ đang giải quyết", "", "in_progress"),
        ("Số hồ sơ đã giải quyết", "", "resolved"),
        ("Số hồ sơ đã xử lý", "", "resolved"),
        ("Hồ sơ giải quyết", "", "resolved"),
    ],
)
def test_more_indicator_names(name, code, key):
    assert rc.indicator_key(name, code) == key


def test_which_figures_are_rates():
    assert [rc.is_rate(k) for k in ("sync_rate", "online_rate", "timely_rate_766", "received")] == [
        True,
        True,
        True,
        False,
    ]


def test_the_indicator_file_by_name_and_by_number():
    got = rc.parse_indicator_rows(
        ["Chỉ số", "Giá trị"],
        [
            ["Tỷ lệ hồ sơ trực tuyến", "98,3 %"],
            ["Số hồ sơ tiếp nhận", "3.834"],
            ["", ""],
            ["Điểm hài lòng", "85 %"],
            ["Điểm khác", "3.834"],
        ],
    )
    assert got == [
        rc.PortalIndicatorRow(2, "Tỷ lệ hồ sơ trực tuyến", "", "online_rate", Decimal("98.3")),
        rc.PortalIndicatorRow(3, "Số hồ sơ tiếp nhận", "", "received", Decimal(3834)),
        rc.PortalIndicatorRow(5, "Điểm hài lòng", "", "", Decimal(85)),
        rc.PortalIndicatorRow(6, "Điểm khác", "", "", Decimal(3834)),
    ]
    (by_code,) = rc.parse_indicator_rows(["Mã chỉ số", "Kết quả"], [["4.2", "0,788"]])
    assert by_code == rc.PortalIndicatorRow(2, "4.2", "4.2", "digitisation_rate", Decimal("78.8"))
    (unknown,) = rc.parse_indicator_rows(["Mã chỉ số", "Giá trị"], [["9.9", "12"]])
    assert (unknown.name, unknown.code, unknown.key) == ("9.9", "9.9", "")
    (short,) = rc.parse_indicator_rows(["Giá trị", "Chỉ số"], [["12"]])
    assert (short.name, short.key, short.value) == ("", "", Decimal(12))


def test_indicator_file_errors():
    def errors(headers, rows):
        with pytest.raises(rc.ReconcileFileError) as caught:
            rc.parse_indicator_rows(headers, rows)
        assert str(caught.value).startswith("Tệp chỉ số của Cổng DVCQG có ")
        return [str(e) for e in caught.value.errors]

    need = ["dòng 1: cần cột “Chỉ số” (hoặc “Mã chỉ số”) và cột “Giá trị”"]
    assert errors(["Chỉ số"], [["x"]]) == need
    assert errors(["Giá trị", "Ghi chú"], [["1", ""]]) == need
    assert errors(["Chỉ số", "Giá trị"], []) == ["dòng 2: tệp không có dòng dữ liệu nào"]
    assert errors(["Chỉ số", "Giá trị"], [["a", "nhiều"], ["b", "1"], ["c", None]]) == [
        "dòng 2, cột “Giá trị”: “nhiều” không phải số hợp lệ",
        "dòng 4, cột “Giá trị”: “” không phải số hợp lệ",
    ]
    # a percentage is at most 100 %, whatever the indicator
    assert errors(["Chỉ số", "Giá trị"], [["Điểm hài lòng", "150 %"]]) == [
        "dòng 2, cột “Giá trị”: “150 %” không phải số hợp lệ"
    ]
    with pytest.raises(rc.ReconcileFileError) as caught:
        rc.parse_indicator_rows(["Chỉ số"], [])
    assert caught.value.errors == [
        rc.RowError(1, "", "cần cột “Chỉ số” (hoặc “Mã chỉ số”) và cột “Giá trị”")
    ]
    with pytest.raises(rc.ReconcileFileError) as caught:
        rc.parse_indicator_rows(["Chỉ số", "Giá trị"], [])
    assert caught.value.errors == [rc.RowError(2, "", "tệp không có dòng dữ liệu nào")]


# --- comparison -------------------------------------------------------------------------------


def ours(**changes) -> rc.OurDossier:
    base = dict(
        ref="x",
        code="A1",
        procedure_code="1.001193",
        portal_status="Đã trả kết quả",
        received_at=datetime(2024, 1, 5, 8),
        due_at=datetime(2024, 1, 10, 17),
        ended_at=datetime(2024, 1, 8, 9),
        channel=2,
        digitisable=True,
        digitised=True,
    )
    return rc.OurDossier(**(base | changes))


def portal(**changes) -> rc.PortalRow:
    base = dict(
        row=2,
        code="a1",
        procedure_code="1.001193",
        received_at=datetime(2024, 1, 5, 8, 1),
        due_at=datetime(2024, 1, 10, 17),
        ended_at=datetime(2024, 1, 8, 10),
        status="Đã trả kết quả",
        digitised=True,
        channel=2,
    )
    return rc.PortalRow(**(base | changes))


ALL = frozenset(rc.DOSSIER_COLUMNS)
JAN = (date(2024, 1, 1), date(2024, 1, 31))


def test_each_reason_alone():
    cases = [
        (ours(portal_status="Đang xử lý"), portal(), [R.STATUS]),
        (ours(), portal(received_at=datetime(2024, 1, 4, 8)), [R.RECEIVED_DATE]),
        (ours(), portal(due_at=datetime(2024, 1, 9, 17)), [R.DUE_DATE]),
        (ours(), portal(ended_at=datetime(2024, 1, 9, 9)), [R.END_DATE]),
        (ours(), portal(digitised=False), [R.NOT_DIGITISED_THERE]),
        (ours(digitised=False), portal(), [R.DIGITISED_ONLY_THERE]),
        (ours(digitisable=False, digitised=False), portal(), []),  # exempt: not compared
        (ours(), portal(digitised=None), []),
        (ours(channel=1), portal(), [R.CHANNEL]),
        (ours(), portal(channel=None), []),
        (ours(due_at=None, ended_at=None), portal(due_at=None, ended_at=None), []),
    ]
    for mine, theirs, reasons in cases:
        assert rc.compare_dossier(mine, theirs, ALL) == reasons, (mine, theirs)


def test_timeliness_only_where_both_sides_classify():
    # ours ended early (08/01, due 10/01); the portal ends it on 11/01: late there
    late_there = portal(ended_at=datetime(2024, 1, 11, 8))
    assert rc.compare_dossier(ours(), late_there, {"ngay_hen_tra", "ngay_ket_thuc"}) == [
        R.END_DATE,
        R.TIMELINESS,
    ]
    assert rc.compare_dossier(ours(), late_there, {"ngay_ket_thuc"}) == [R.END_DATE]
    assert rc.compare_dossier(ours(), late_there, {"ngay_hen_tra"}) == []
    # in progress here: no class to compare
    assert rc.compare_dossier(
        ours(ended_at=None), late_there, {"ngay_hen_tra", "ngay_ket_thuc"}
    ) == [R.END_DATE]


def test_the_portals_own_class():
    assert rc.portal_timeliness(portal()) == Timeliness.EARLY
    assert rc.portal_timeliness(portal(ended_at=datetime(2024, 1, 10, 16))) == Timeliness.ON_TIME
    assert rc.portal_timeliness(portal(due_at=None)) is None
    waiting = portal(ended_at=None, status="Yêu cầu bổ sung hồ sơ")
    assert rc.portal_timeliness(waiting) == Timeliness.ON_TIME  # 766 §2.1
    assert rc.portal_timeliness(portal(ended_at=None, status="Đang xử lý")) is None


def test_our_class_counts_supplements_and_apologies():
    assert ours().timeliness == Timeliness.EARLY
    assert ours(apologized=True).timeliness == Timeliness.LATE
    assert ours(supplement_requests=2).timeliness == Timeliness.LATE
    pending = ours(
        ended_at=None, supplement_requests=1, pending_supplement_since=datetime(2024, 1, 7)
    )
    assert pending.timeliness == Timeliness.ON_TIME
    assert ours(ended_at=None).timeliness is None


def test_compare_finds_who_is_missing_and_sorts_by_receipt():
    mine = [
        ours(code="B2", received_at=datetime(2024, 1, 9, 8)),  # not on the portal
        ours(code="A1"),  # same on both sides
        ours(code="C3", received_at=datetime(2023, 12, 31, 16)),  # dated 01/01 there
        ours(code="D4", received_at=datetime(2023, 12, 20, 8)),  # before the period, both sides
    ]
    theirs = [
        portal(code="a1"),
        portal(code="E5", received_at=datetime(2024, 1, 3, 8)),  # only there
        portal(code="c3", received_at=datetime(2024, 1, 1, 8)),
        portal(code="d4", received_at=datetime(2023, 12, 20, 8), status="Đang xử lý"),
        portal(code="F6", received_at=datetime(2024, 2, 3, 8)),  # only there, after the period
    ]
    got = rc.compare(mine, theirs, *JAN)
    assert [(d.code, d.reasons) for d in got] == [
        ("C3", [R.RECEIVED_DATE]),
        ("E5", [R.NOT_HERE]),
        ("B2", [R.NOT_ON_PORTAL]),
    ]
    c3, e5, b2 = got
    assert (c3.in_period_ours, c3.in_period_portal) == (False, True)
    assert (e5.ours, e5.portal.code, e5.in_period_ours, e5.in_period_portal) == (
        None,
        "E5",
        False,
        True,
    )
    assert (b2.portal, b2.ours.code, b2.in_period_ours, b2.in_period_portal) == (
        None,
        "B2",
        True,
        False,
    )
    assert c3.explains("received") and b2.explains("digitisation_rate")
    assert rc.reason_counts(got) == {R.NOT_HERE: 1, R.NOT_ON_PORTAL: 1, R.RECEIVED_DATE: 1}
    assert list(rc.reason_counts(got)) == [R.NOT_ON_PORTAL, R.NOT_HERE, R.RECEIVED_DATE]
    assert b2.labels == ["Chưa đồng bộ lên Cổng DVCQG (ảnh hưởng chỉ số 1.4)"]


def test_same_day_on_both_sides_orders_by_code():
    mine = [ours(code="B2", ended_at=None), ours(code="A1", ended_at=None)]
    got = rc.compare(mine, [], *JAN)
    assert [d.code for d in got] == ["A1", "B2"]


def test_the_day_of_the_period_edges_is_in_it():
    assert rc.in_period(datetime(2024, 1, 1, 0, 0), *JAN)
    assert rc.in_period(datetime(2024, 1, 31, 23, 59), *JAN)
    assert not rc.in_period(datetime(2024, 2, 1), *JAN)
    assert not rc.in_period(None, *JAN)


def test_explains_looks_past_a_received_date_that_moves_nothing():
    diff = rc.Difference("A1", None, None, [R.RECEIVED_DATE, R.CHANNEL], True, True)
    assert diff.explains("online_rate")  # the channel does
    assert not diff.explains("received")  # the date stayed inside the period
    assert not diff.explains("no_such_figure")
    assert not rc.Difference("A1", None, None, [R.DUE_DATE]).explains("received")
    # a reason that cannot move the figure is passed over, not the end of the search
    assert rc.Difference("A1", None, None, [R.STATUS, R.CHANNEL]).explains("online_rate")


def test_reason_counts_of_several_reasons_per_dossier():
    diffs = [
        rc.Difference("A", None, None, [R.STATUS, R.END_DATE]),
        rc.Difference("B", None, None, [R.END_DATE]),
    ]
    assert rc.reason_counts(diffs) == {R.STATUS: 1, R.END_DATE: 2}
    assert rc.reason_counts([]) == {}


def test_indicators_without_a_portal_file_are_ours_alone():
    got = rc.compare_indicators({"received": 3834, "online_rate": 98.5}, [], [])
    assert [r.key for r in got] == list(rc.INDICATORS)
    received = got[1]
    assert received == rc.IndicatorComparison(
        "received", "Số hồ sơ tiếp nhận", "", 3834, None, None, 0
    )
    assert not received.differs


def test_indicators_against_the_portal_file():
    file = [
        rc.PortalIndicatorRow(2, "Tỷ lệ hồ sơ trực tuyến", "", "online_rate", Decimal("98.3")),
        rc.PortalIndicatorRow(3, "Điểm hài lòng", "", "", Decimal(85)),
        rc.PortalIndicatorRow(4, "Số hồ sơ tiếp nhận", "", "received", Decimal(3800)),
        rc.PortalIndicatorRow(5, "Số hồ sơ đã số hoá", "", "digitised_dossiers", Decimal(2513)),
        rc.PortalIndicatorRow(6, "Số hồ sơ trực tiếp", "", "received_direct", Decimal(56)),
    ]
    diffs = [
        rc.Difference("A", None, None, [R.NOT_ON_PORTAL], True, False),
        rc.Difference("B", None, None, [R.CHANNEL], True, True),
        rc.Difference("C", None, None, [R.STATUS], True, True),
    ]
    ours_figures = {"online_rate": 98.54, "received": 3834, "digitised_dossiers": 2513}
    online, unknown, received, digitised, direct = rc.compare_indicators(ours_figures, file, diffs)
    assert online == rc.IndicatorComparison(
        "online_rate", rc.INDICATORS["online_rate"], "Tỷ lệ hồ sơ trực tuyến", 98.54, 98.3, -0.2, 2
    )
    assert online.differs
    assert unknown == rc.IndicatorComparison(
        "", "Điểm hài lòng", "Điểm hài lòng", None, 85.0, None, 0
    )
    assert (received.difference, received.explaining) == (-34, 1)  # A: not on the portal
    assert (digitised.difference, digitised.explaining, digitised.differs) == (0, 0, False)
    assert (direct.ours, direct.portal, direct.difference, direct.explaining) == (
        None,
        56.0,
        None,
        0,
    )
    assert direct.label == "Số hồ sơ trực tiếp" and direct.portal_name == "Số hồ sơ trực tiếp"


def test_differences_keep_one_decimal_for_counts_too():
    file = [rc.PortalIndicatorRow(2, "Số hồ sơ tiếp nhận", "", "received", Decimal("3833.75"))]
    (got,) = rc.compare_indicators({"received": 3834}, file, [])
    assert got.difference == -0.2 and got.differs
    file = [rc.PortalIndicatorRow(2, "Số hồ sơ tiếp nhận", "", "received", Decimal("3833.5"))]
    assert rc.compare_indicators({"received": 3834}, file, [])[0].difference == -0.5


def test_naive_and_aware_iso_moments_agree():
    utc = datetime(2024, 1, 5, 1, 30, tzinfo=UTC)
    assert rc.parse_moment(utc.isoformat()) == datetime(2024, 1, 5, 8, 30)
    plus7 = timezone(timedelta(hours=7))
    assert rc.parse_moment(datetime(2024, 1, 5, 8, 30, tzinfo=plus7).isoformat()) == datetime(
        2024, 1, 5, 8, 30
    )
