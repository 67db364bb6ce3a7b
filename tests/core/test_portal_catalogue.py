"""Reading the portal's description of a procedure (its values as a province might write
them) and comparing it with ours: a table written by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from motcua.core import portal_catalogue as pc
from motcua.core.dvcqg import not_found

D = Decimal


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (3, "Ngày làm việc", pc.Duration(D(3), "working_days")),
        ("0,5", "ngày làm việc", pc.Duration(D("0.5"), "working_days")),
        ("4", "Giờ làm việc", pc.Duration(D(4), "working_hours")),
        (15, "Ngày", pc.Duration(D(15), "days")),
        (0, "", pc.Duration(D(0), "working_days")),  # within the day: no unit needed
        (3, "tuần", pc.Unreadable("3 tuần")),
        (3, None, pc.Unreadable("3")),
        ("ba", "Ngày", pc.Unreadable("ba")),
        (-1, "Ngày", pc.Unreadable("-1")),
        (None, "Ngày", None),
    ],
)
def test_durations(value, unit, expected):
    assert pc.read_duration(value, unit) == expected


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([], 0),
        ([{"Gia": "50.000"}], 50000),
        ([{"Gia": 20000}, {"Gia": "30000"}], 50000),  # phí and lệ phí: their sum
        ([{"Gia": "theo quy định"}], pc.Unreadable("theo quy định")),
        ([{"Gia": 1.5}], pc.Unreadable("1.5")),
        ("50000", pc.Unreadable("50000")),
        (None, None),
    ],
)
def test_fees(items, expected):
    assert pc.read_fee(items, "Gia") == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Toàn trình", "toan_trinh"),
        ("4", "toan_trinh"),
        (4, "toan_trinh"),
        ("Một phần", "mot_phan"),
        ("3", "mot_phan"),
        ("", "khong"),
        ("2", "khong"),
        ("Mức độ 5", pc.Unreadable("Mức độ 5")),
    ],
)
def test_online_levels(given, expected):
    values = pc.read_procedure({"MucDo": given})
    assert values.online_level == expected


def test_levels_and_texts():
    values = pc.read_procedure(
        {"TenTTHC": " Đăng  ký khai sinh ", "TenLinhVuc": "Hộ tịch", "CapThucHien": "Cấp xã"}
    )
    assert (values.name, values.field_name, values.level) == (
        "Đăng ký khai sinh",
        "Hộ tịch",
        "xa",
    )
    assert pc.read_procedure({"CapThucHien": "Cơ quan ngành dọc"}).level == "nganh_doc"
    assert pc.read_procedure({"CapThucHien": "Cấp tỉnh"}).level == pc.Unreadable("Cấp tỉnh")
    assert pc.read_procedure([{"CapThucHien": "Cấp xã"}]).level == "xa"
    with pytest.raises(pc.CatalogueShapeError):
        pc.read_procedure("không phải thủ tục")


def test_the_list_needs_codes():
    listed = pc.listed_procedures(
        [{"MaTTHC": "1.001193", "TenTTHC": "Đăng ký khai sinh"}, {"MaTTHC": "1.001193"}]
    )
    assert listed == [pc.ListedProcedure("1.001193", "Đăng ký khai sinh")]
    for wrong in ({"MaTTHC": "1"}, [{"TenTTHC": "không mã"}], ["1.001193"]):
        with pytest.raises(pc.CatalogueShapeError):
            pc.listed_procedures(wrong)


def test_field_names_are_overridden_one_by_one():
    names = pc.field_names({"duration": "ThoiGianGiaiQuyet"})
    assert names["duration"] == "ThoiGianGiaiQuyet" and names["fees"] == "DanhSachLePhi"
    with pytest.raises(ValueError, match="Không có trường “phi”"):
        pc.field_names({"phi": "LePhi"})
    with pytest.raises(ValueError, match="chuỗi không rỗng"):
        pc.field_names({"fees": ""})


def ours(code: str, portal_code: str = "", **values) -> pc.OurProcedure:
    base = dict(
        name="Thủ tục",
        field_name="Hộ tịch",
        duration=pc.Duration(D(3), "working_days"),
        fee=0,
        online_level="mot_phan",
        level="xa",
    )
    return pc.OurProcedure(code, portal_code, pc.CatalogueValues(**(base | values)))


def test_the_comparison():
    mine = [ours("1.000001"), ours("1.000002", "P-2"), ours("1.000003"), ours("1.000004")]
    listed = [pc.ListedProcedure(c, "") for c in ("1.000001", "P-2", "1.000003", "9.999999")]
    theirs = {
        # the same values (a value not given is not compared)
        "1.000001": pc.CatalogueValues(name="Thủ tục", duration=pc.Duration(D(3), "working_days")),
        "P-2": pc.CatalogueValues(fee=2000, level=pc.Unreadable("Cấp tỉnh")),
        "1.000003": pc.CatalogueValues(duration=pc.Duration(D(3), "days"), field_name="Hộ Tịch"),
    }
    got = pc.compare_catalogue(mine, listed, theirs)
    assert [(c.code, c.portal_code, c.attribute, c.theirs) for c in got.changes] == [
        ("1.000002", "P-2", "fee", 2000),
        ("1.000002", "P-2", "level", pc.Unreadable("Cấp tỉnh")),
        ("1.000003", "1.000003", "field_name", "Hộ Tịch"),
        ("1.000003", "1.000003", "duration", pc.Duration(D(3), "days")),
    ]
    assert [c.applicable for c in got.changes] == [True, False, True, True]
    assert [p.code for p in got.only_ours] == ["1.000004"]
    assert [p.code for p in got.only_portal] == ["9.999999"]
    assert got.matched == 3
    assert got.changed_codes() == ["1.000002", "1.000003"]
    assert [c.attribute for c in got.changes_of("P-2")] == ["fee", "level"]
    assert got.changes[3].row_values() == {"duration": D(3), "duration_unit": "days"}


def test_same_day_in_any_unit_is_the_same():
    assert pc.Duration(D(0), "days").same_as(pc.Duration(D("0.00"), "working_days"))
    assert not pc.Duration(D(1), "days").same_as(pc.Duration(D(1), "working_days"))


def test_a_dossier_the_portal_does_not_know():
    assert not_found({"error_code": "-1", "message": "Không tìm thấy hồ sơ."})
    assert not_found({"error_code": "-1", "message": "Hồ sơ KHÔNG TỒN TẠI"})
    assert not not_found({"error_code": "-2", "message": "Phiên đăng nhập đã hết hạn."})
    assert not not_found(None)
