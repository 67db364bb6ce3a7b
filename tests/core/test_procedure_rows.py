from decimal import Decimal

import pytest

from motcua.core.procedure_rows import (
    REQUIRED_COLUMNS,
    CatalogFileError,
    header_key,
    parse_rows,
)

GOOD = {
    "ma_tthc": "1.001193",
    "ten_tthc": "Đăng ký khai sinh",
    "linh_vuc": "Hộ tịch",
    "cap_thuc_hien": "xa",
    "co_quan_thuc_hien": "Ủy ban nhân dân cấp xã",
    "thoi_han": "0",
    "don_vi_thoi_han": "ngay_lam_viec",
    "phi_le_phi": "0",
    "muc_do_dvc": "toan_trinh",
    "phi_dia_gioi": "1",
    "thanh_phan_ho_so": "Tờ khai đăng ký khai sinh; Giấy chứng sinh",
}


def table(*rows: dict) -> tuple[list[str], list[list[str]]]:
    headers = list(REQUIRED_COLUMNS)
    return headers, [[r.get(h, "") for h in headers] for r in rows]


def test_vietnamese_headers_are_aliases():
    assert header_key("Mã TTHC") == "ma_tthc"
    assert header_key("Phí, lệ phí") == "phi_le_phi"
    assert header_key("Tên thủ tục hành chính") == "ten_tthc"
    assert header_key(" Thành phần hồ sơ ") == "thanh_phan_ho_so"
    assert header_key("Đơn vị thời hạn") == "don_vi_thoi_han"


def test_good_row_parses():
    [row] = parse_rows(*table(GOOD))
    assert row.code == "1.001193"
    assert row.duration == Decimal(0)
    assert row.duration_unit == "working_days"
    assert row.cross_border is True
    assert row.components == ("Tờ khai đăng ký khai sinh", "Giấy chứng sinh")


def test_vietnamese_values_and_formatted_fee_are_accepted():
    row = dict(
        GOOD,
        don_vi_thoi_han="Ngày làm việc",
        muc_do_dvc="Một phần",
        phi_le_phi="50.000",
        thoi_han="0,5",
        cap_thuc_hien="Ngành dọc",
    )
    [parsed] = parse_rows(*table(row))
    assert parsed.fee == 50000
    assert parsed.duration == Decimal("0.5")
    assert parsed.online_level == "mot_phan"
    assert parsed.level == "nganh_doc"


def test_every_error_is_reported_with_its_row_number():
    bad = dict(GOOD, ma_tthc="1.19", thoi_han="ba ngày", phi_le_phi="-5", muc_do_dvc="cao")
    with pytest.raises(CatalogFileError) as caught:
        parse_rows(*table(GOOD, bad, dict(GOOD, ten_tthc="")))
    errors = {(e.row, e.column) for e in caught.value.errors}
    assert errors == {
        (3, "ma_tthc"),
        (3, "thoi_han"),
        (3, "phi_le_phi"),
        (3, "muc_do_dvc"),
        (4, "ten_tthc"),
        (4, "ma_tthc"),  # duplicate of row 2
    }
    assert "dòng 3" in str(caught.value)


def test_missing_column_is_an_error():
    headers, rows = table(GOOD)
    with pytest.raises(CatalogFileError, match="thiếu cột bắt buộc"):
        parse_rows(headers[:-1], [r[:-1] for r in rows])


def test_decomposed_unicode_is_stored_composed():
    import unicodedata

    row = dict(GOOD, ten_tthc=unicodedata.normalize("NFD", "Đăng ký khai sinh"))
    [parsed] = parse_rows(*table(row))
    assert parsed.name == unicodedata.normalize("NFC", "Đăng ký khai sinh")


def test_content_hash_changes_with_content_only():
    [a] = parse_rows(*table(GOOD))
    [b] = parse_rows(*table(dict(GOOD)))
    [c] = parse_rows(*table(dict(GOOD, phi_le_phi="8000")))
    assert a.content_hash() == b.content_hash() != c.content_hash()
