"""The pure part: reading the portal's files and comparing one dossier."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from motcua.core import reconcile as rc

HEADERS = [
    "MÃ HỒ SƠ",
    "Mã thủ tục",
    "ngay tiep nhan",
    "Ngày hẹn trả",
    "Ngày có kết quả",
    "Trạng thái",
    "Đã số hóa",
    "Kênh thực hiện",
]


def test_headers_dates_and_values_are_read_tolerantly():
    rows, present = rc.parse_portal_rows(
        HEADERS,
        [
            ["A1", "1.001193", "05/01/2024 08:30", "08/01/2024", "", "Đang xử lý", "có", "2"],
            ["A2", "1.001193", "2024-01-05T09:00:00", "", "2024-01-06", "da tra ket qua", "0", ""],
        ],
    )
    assert present == {"ngay_hen_tra", "ngay_ket_thuc", "da_so_hoa", "kenh"}
    first, second = rows
    assert first.received_at == datetime(2024, 1, 5, 8, 30)
    assert first.due_at == datetime(2024, 1, 8, 23, 59, 59)  # a due date alone: the whole day
    assert (first.status, first.digitised, first.channel) == ("Đang xử lý", True, 2)
    assert second.status == "Đã trả kết quả"
    assert (second.digitised, second.channel) == (False, 1)  # empty channel = direct (766)


def test_every_bad_row_is_reported_with_its_number():
    with pytest.raises(rc.ReconcileFileError) as caught:
        rc.parse_portal_rows(
            HEADERS,
            [
                ["A1", "1.001193", "05/01/1900", "", "", "Đang xử lý", "có", "2"],
                ["A1", "1.001193", "05/01/2024", "", "", "Lạ", "có", "9"],
                ["A3", "1.001193", "31/02/2024", "", "", "Mới tiếp nhận", "có", "1"],
            ],
        )
    text = str(caught.value)
    assert "dòng 2, cột “Ngày tiếp nhận”" in text and "05/01/1900" in text
    assert "dòng 3, cột “Mã hồ sơ”: mã A1 trùng dòng 2" in text
    assert "dòng 3, cột “Trạng thái”" in text and "dòng 3, cột “Kênh”" in text
    assert "dòng 4, cột “Ngày tiếp nhận”" in text


def test_missing_required_column_is_named():
    with pytest.raises(rc.ReconcileFileError, match="thiếu cột bắt buộc “Trạng thái”"):
        rc.parse_portal_rows(["Mã hồ sơ", "Ngày tiếp nhận"], [["A1", "05/01/2024"]])


@pytest.mark.parametrize(
    ("text", "rate", "value"),
    [
        ("98,3 %", True, "98.3"),
        ("98.3", True, "98.3"),
        ("0.788", True, "78.8"),
        ("3.834", False, "3834"),
        ("3,834", False, "3834"),
        ("1.234,5", False, "1234.5"),
        ("12", False, "12"),
    ],
)
def test_numbers_vietnamese_and_excel(text, rate, value):
    assert rc.parse_number(text, rate=rate) == Decimal(value)


@pytest.mark.parametrize(
    ("name", "code", "key"),
    [
        ("Tỷ lệ hồ sơ trực tuyến", "", "online_rate"),
        ("TỶ LỆ SỐ HOÁ", "", "digitisation_rate"),
        ("Tỷ lệ hồ sơ đồng bộ", "", "sync_rate"),
        ("Chỉ số 4.2", "", "digitisation_rate"),
        ("", "3.3", "online_rate"),
        ("Tổng số hồ sơ tiếp nhận", "", "received"),
        ("Số hồ sơ trực tuyến", "", "received_online"),
        ("Số hồ sơ giải quyết quá hạn", "", "resolved_late"),
        ("Điểm hài lòng", "", ""),
    ],
)
def test_indicator_names(name, code, key):
    assert rc.indicator_key(name, code) == key


def _ours(**changes) -> rc.OurDossier:
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


def _portal(**changes) -> rc.PortalRow:
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


def test_same_dossier_same_day_has_no_reason():
    assert rc.compare_dossier(_ours(), _portal(), ALL) == []


def test_a_later_end_on_the_portal_makes_it_late_there():
    late = _portal(ended_at=datetime(2024, 1, 11, 8))
    assert rc.compare_dossier(_ours(), late, ALL) == [rc.Reason.END_DATE, rc.Reason.TIMELINESS]


def test_columns_the_file_lacks_are_not_compared():
    other = _portal(channel=1, digitised=False)
    assert rc.compare_dossier(_ours(), other, {"ngay_hen_tra"}) == []


def test_received_date_across_the_period_edge_explains_counts():
    ours = [_ours(received_at=datetime(2024, 1, 31, 16))]
    portal = [_portal(received_at=datetime(2024, 2, 1, 8))]
    (diff,) = rc.compare(ours, portal, date(2024, 1, 1), date(2024, 1, 31), ALL)
    assert diff.reasons == [rc.Reason.RECEIVED_DATE]
    assert diff.explains("received") and diff.explains("online_rate")


def test_received_date_within_the_period_explains_no_count():
    ours = [_ours(received_at=datetime(2024, 1, 5, 16))]
    portal = [_portal(received_at=datetime(2024, 1, 6, 8))]
    (diff,) = rc.compare(ours, portal, date(2024, 1, 1), date(2024, 1, 31), ALL)
    assert diff.reasons == [rc.Reason.RECEIVED_DATE]
    assert not diff.explains("received")


def test_the_portals_lookup_answers_read_as_rows():
    """TraCuuHoSo's fields (the DongBoHoSoMC dossier) → the rows a file gives; the status
    under its code's name (issue 11's table)."""
    rows = rc.lookup_rows(
        [
            (
                "A1",
                {
                    "MaHoSo": "P-A1",
                    "MaTTHC": "1.001193",
                    "NgayTiepNhan": "20240105083000",
                    "NgayHenTra": "20240108170000",
                    "NgayKetThucXuLy": "",
                    "TrangThaiHoSo": "5",
                    "KenhThucHien": "2",
                    "HoSoCoThanhPhanSoHoa": "1",
                },
            ),
            ("A2", {"NgayTiepNhan": "20240106090000", "TrangThaiHoSo": 10}),
        ]
    )
    first, second = rows
    assert (first.code, first.procedure_code, first.row) == ("A1", "1.001193", 1)
    assert first.received_at == datetime(2024, 1, 5, 8, 30)
    assert first.due_at == datetime(2024, 1, 8, 17, 0) and first.ended_at is None
    assert (first.status, first.channel, first.digitised) == ("Yêu cầu bổ sung giấy tờ", 2, None)
    # waiting for the applicant counts as on time, in either vocabulary
    assert rc.portal_timeliness(first) == rc.Timeliness.ON_TIME
    assert (second.status, second.channel) == ("Đã trả kết quả", None)


def test_every_unreadable_answer_is_named():
    with pytest.raises(rc.ReconcileFileError) as caught:
        rc.lookup_rows(
            [
                ("A1", {"NgayTiepNhan": "05/01/2024", "TrangThaiHoSo": "2"}),
                ("A2", {"NgayTiepNhan": "20240105083000", "TrangThaiHoSo": "11"}),
                ("A3", {"TrangThaiHoSo": "2", "KenhThucHien": "9"}),
                ("A4", ["không phải hồ sơ"]),
            ]
        )
    text = str(caught.value)
    assert "dòng 1, cột “NgayTiepNhan”: hồ sơ A1: “05/01/2024” không đúng dạng" in text
    assert "dòng 2, cột “TrangThaiHoSo”: hồ sơ A2: “11” không phải mã trạng thái" in text
    assert "hồ sơ A3: không có ngày tiếp nhận" in text and "“9” không hợp lệ" in text
    assert "dòng 4: hồ sơ A4: câu trả lời không đúng dạng" in text
