"""The catalogue file's fee columns: how a fee is computed, versioned with the procedure.

Amounts from TT 226/2016/TT-BTC (chứng thực bản sao: 2.000 đồng/trang for pages 1–2,
1.000 đồng/trang from page 3, at most 200.000 đồng a copy).
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import asdict
from pathlib import Path

import pytest
from django.core.management import call_command

from motcua.catalog.actions import accept_values, import_procedures_file
from motcua.catalog.models import Procedure
from motcua.core.errors import CatalogError
from motcua.core.fees import Basis, Case, FeeKind, quote
from motcua.core.procedure_rows import REQUIRED_COLUMNS, CatalogFileError, header_key, parse_rows
from motcua.tabular import read_table

SMALL = Path(__file__).parent.parent / "fixtures" / "procedures_small.csv"

COPY = {
    "ma_tthc": "2.000815",
    "ten_tthc": "Chứng thực bản sao từ bản chính giấy tờ",
    "linh_vuc": "Chứng thực",
    "cap_thuc_hien": "xa",
    "co_quan_thuc_hien": "Ủy ban nhân dân cấp xã",
    "thoi_han": "0",
    "don_vi_thoi_han": "ngay_lam_viec",
    "phi_le_phi": "",
    "muc_do_dvc": "mot_phan",
    "phi_dia_gioi": "1",
    "thanh_phan_ho_so": "Bản chính giấy tờ; Bản sao cần chứng thực",
    "loai_phi": "Phí",
    "cach_tinh_phi": "Theo trang",
    "bac_phi_theo_trang": "1-2: 2.000; 3-: 1000",
    "phi_toi_da_moi_ban": "200.000",
    "can_cu_phi": "Thông tư 226/2016/TT-BTC",
}
HEADERS = [*REQUIRED_COLUMNS, *[k for k in COPY if k not in REQUIRED_COLUMNS]]


def parse(**changes) -> list:
    row = {**COPY, **changes}
    headers = list(dict.fromkeys([*HEADERS, *changes]))
    return parse_rows(headers, [[row.get(h, "") for h in headers]])


def errors(**changes) -> list[tuple[int, str]]:
    with pytest.raises(CatalogFileError) as caught:
        parse(**changes)
    return [(e.row, e.column, e.message) for e in caught.value.errors]


def test_rule_by_pages_is_read_and_its_amount_is_the_first_page():
    (row,) = parse()
    assert row.fee == 2_000
    rule = row.rule
    assert (rule.basis, rule.kind, rule.cap_per_copy) == (Basis.PER_PAGE, FeeKind.FEE, 200_000)
    for pages, amount in [(1, 2_000), (3, 5_000), (10, 12_000), (199, 200_000)]:
        assert quote(rule, Case(pages=pages)).amount == amount


@pytest.mark.parametrize(
    "header, key",
    [
        ("Loại phí", "loai_phi"),
        ("Cách tính phí", "cach_tinh_phi"),
        ("Đơn vị tính phí", "don_vi_tinh_phi"),
        ("Bậc phí theo trang", "bac_phi_theo_trang"),
        ("Mức thu tối đa mỗi bản", "phi_toi_da_moi_ban"),
        ("Tỷ lệ thu trực tuyến", "phi_truc_tuyen"),
        ("Đối tượng miễn, giảm", "doi_tuong_mien_giam"),
        ("Căn cứ thu phí", "can_cu_phi"),
        ("Tên phí, lệ phí", "ten_phi"),
    ],
)
def test_vietnamese_fee_headers(header, key):
    assert header_key(header) == key


def test_exemptions_by_label_code_or_short_name_without_diacritics():
    (row,) = parse(
        cach_tinh_phi="theo hồ sơ",
        phi_le_phi="8.000",
        bac_phi_theo_trang="",
        phi_toi_da_moi_ban="",
        phi_truc_tuyen="50%",
        doi_tuong_mien_giam=(
            "người có công: NQ 06/2020 Điều 2; ho ngheo 50%: NQ 06/2020; nguoi_khuyet_tat; Trẻ em"
        ),
    )
    assert [(e.category, e.percent, e.basis) for e in row.rule.exemptions] == [
        ("nguoi_co_cong", 100, "NQ 06/2020 Điều 2"),
        ("ho_ngheo", 50, "NQ 06/2020"),
        ("nguoi_khuyet_tat", 100, ""),
        ("tre_em", 100, ""),
    ]
    assert row.rule.online_percent == 50
    assert quote(row.rule, Case(exemption="ho_ngheo")).amount == 4_000


def test_old_files_mean_an_amount_per_case_and_hash_as_before():
    headers, rows = read_table(SMALL)
    parsed = {r.code: r for r in parse_rows(headers, rows)}
    assert parsed["2.001035"].rule.basis == Basis.PER_CASE
    assert quote(parsed["2.001035"].rule, Case(pages=9, copies=3)).amount == 50_000
    assert parsed["1.001193"].rule.is_free
    # stored versions keep their hash (the one computed before the fee columns existed), so
    # re-importing an old file brings no new version
    for row in parsed.values():
        data = asdict(row)
        for key in ("extra", "result_system", "fee_rule"):
            data.pop(key)
        data["duration"] = str(row.duration.normalize())
        raw = json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
        assert row.content_hash() == hashlib.sha256(raw).hexdigest()
    # and writing the same rule out in the new columns changes nothing
    (explicit,) = parse_rows(
        [*headers, "cach_tinh_phi", "loai_phi"],
        [[*next(r for r in rows if r[0] == "2.001035"), "theo hồ sơ", "lệ phí"]],
    )
    assert explicit.content_hash() == parsed["2.001035"].content_hash()


@pytest.mark.parametrize(
    "changes, column, words",
    [
        ({"cach_tinh_phi": "theo mùa"}, "cach_tinh_phi", "không hợp lệ"),
        ({"loai_phi": "thuế"}, "loai_phi", "phí hoặc lệ phí"),
        ({"bac_phi_theo_trang": "3-: 1000"}, "bac_phi_theo_trang", "trang 1"),
        ({"bac_phi_theo_trang": "1-2: hai nghìn"}, "bac_phi_theo_trang", "số tiền"),
        ({"bac_phi_theo_trang": "một đến hai"}, "bac_phi_theo_trang", "không đúng dạng"),
        ({"bac_phi_theo_trang": ""}, "bac_phi_theo_trang", "ít nhất một bậc"),
        ({"phi_toi_da_moi_ban": "-5"}, "phi_toi_da_moi_ban", "số tiền"),
        ({"phi_le_phi": "3000"}, "phi_le_phi", "khác mức thu trang đầu"),
        ({"phi_truc_tuyen": "150%"}, "phi_truc_tuyen", "tỷ lệ"),
        ({"doi_tuong_mien_giam": "người giàu: x"}, "doi_tuong_mien_giam", "người giàu"),
        ({"doi_tuong_mien_giam": "hộ nghèo 0%"}, "doi_tuong_mien_giam", "từ 1 đến 100"),
        ({"cach_tinh_phi": "theo đơn vị", "phi_le_phi": "5000"}, "don_vi_tinh_phi", "tên đơn vị"),
        ({"cach_tinh_phi": "theo bản", "phi_le_phi": "0"}, "phi_le_phi", "lớn hơn 0"),
        ({"cach_tinh_phi": "miễn", "phi_le_phi": "5000"}, "phi_le_phi", "5.000"),
        (
            {"cach_tinh_phi": "", "phi_le_phi": "5000", "phi_toi_da_moi_ban": ""},
            "bac_phi_theo_trang",
            "cach_tinh_phi",
        ),
    ],
)
def test_bad_fee_columns_are_refused_with_row_and_column(changes, column, words):
    if changes.get("cach_tinh_phi", "theo trang") not in ("theo trang", ""):
        changes = {"bac_phi_theo_trang": "", "phi_toi_da_moi_ban": "", **changes}
    found = errors(**changes)
    assert [(row, col) for row, col, _ in found] == [(2, column)], found
    assert words in found[0][2]


def test_one_bad_row_refuses_the_whole_file():
    headers = HEADERS
    good = [COPY.get(h, "") for h in headers]
    bad = [
        {**COPY, "ma_tthc": "2.000884", "cach_tinh_phi": "theo tháng"}.get(h, "") for h in headers
    ]
    with pytest.raises(CatalogFileError) as caught:
        parse_rows(headers, [good, bad])
    assert [(e.row, e.column) for e in caught.value.errors] == [(3, "cach_tinh_phi")]
    assert "dòng 3, cột “cach_tinh_phi”" in str(caught.value)


def write(path: Path, *rows: dict) -> Path:
    headers = list(dict.fromkeys([*HEADERS, *(k for r in rows for k in r)]))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=headers)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.mark.django_db
def test_rule_is_stored_and_versioned_with_the_procedure(tmp_path):
    import_procedures_file(write(tmp_path / "a.csv", COPY))
    version = Procedure.objects.get(code="2.000815").current_version
    assert version.fee == 2_000
    assert version.fee_rule["tiers"] == [[1, 2, 2000], [3, None, 1000]]
    assert version.fee_display == (
        "Phí: 2.000 đồng/trang (trang 1–2), 1.000 đồng/trang (từ trang 3), tối đa 200.000 đồng/bản"
    )
    same = import_procedures_file(write(tmp_path / "b.csv", COPY))
    assert same.unchanged == 1
    # only the cap changes: a new version, the old one kept with its rule
    changed = import_procedures_file(
        write(tmp_path / "c.csv", {**COPY, "phi_toi_da_moi_ban": "150000"})
    )
    assert changed.new_versions == 1
    procedure = Procedure.objects.get(code="2.000815")
    caps = [v.fee_rule["cap_per_copy"] for v in procedure.versions.order_by("number")]
    assert caps == [200_000, 150_000]


@pytest.mark.django_db
def test_old_file_keeps_its_versions_and_means_per_case(tmp_path):
    import_procedures_file(SMALL)
    version = Procedure.objects.get(code="2.001035").current_version
    assert version.fee_rule == {"basis": "ho_so", "kind": "le_phi", "price": 50000}
    assert version.fee_display == "Lệ phí: 50.000 đồng/hồ sơ"
    assert Procedure.objects.get(code="1.001193").current_version.fee_display == "Miễn phí"
    assert import_procedures_file(SMALL).unchanged == 4


@pytest.mark.django_db
def test_export_writes_the_fee_columns_and_imports_back_unchanged(tmp_path):
    import_procedures_file(SMALL)
    rich = {
        **COPY,
        "phi_truc_tuyen": "50%",
        "doi_tuong_mien_giam": "hộ nghèo 50%: NQ HĐND; người có công",
        "ten_phi": "Phí chứng thực bản sao",
    }
    import_procedures_file(write(tmp_path / "rich.csv", rich))
    out = tmp_path / "export.csv"
    call_command("export-procedures", str(out))
    headers, rows = read_table(out)
    exported = dict(zip(headers, next(r for r in rows if r[0] == "2.000815"), strict=True))
    assert exported["cach_tinh_phi"] == "theo trang"
    assert exported["bac_phi_theo_trang"] == "1-2: 2000; 3-: 1000"
    assert exported["phi_toi_da_moi_ban"] == "200000"
    assert exported["phi_truc_tuyen"] == "50%"
    assert exported["loai_phi"] == "phí"
    result = import_procedures_file(out)
    assert (result.created, result.new_versions, result.unchanged) == (0, 0, 4)


@pytest.mark.django_db
def test_an_accepted_amount_moves_a_per_case_rule_and_never_a_rule_by_pages(tmp_path):
    import_procedures_file(SMALL)
    accept_values({"2.001035": {"fee": 60_000}}, source="test")
    version = Procedure.objects.get(code="2.001035").current_version
    assert version.fee_rule == {"basis": "ho_so", "kind": "le_phi", "price": 60000}
    import_procedures_file(write(tmp_path / "a.csv", COPY))
    with pytest.raises(CatalogError, match=r"2\.000815"):
        accept_values({"2.000815": {"fee": 3_000}}, source="test")
    assert Procedure.objects.get(code="2.000815").current_version.fee_rule["basis"] == "trang"


@pytest.mark.parametrize(
    "text, moment",
    [("Khi tiếp nhận", "tiep_nhan"), ("khi tiep nhan ho so", "tiep_nhan"), ("", "tra_ket_qua")],
)
def test_when_the_fee_is_collected_is_read(text, moment):
    (row,) = parse(thoi_diem_thu_phi=text)
    assert row.rule.collect_at.value == moment
    assert ("collect_at" in row.fee_rule) == (moment == "tiep_nhan")


def test_an_unknown_moment_of_collection_is_an_error_of_its_row():
    assert errors(thoi_diem_thu_phi="hôm sau") == [
        (2, "thoi_diem_thu_phi", "“hôm sau” không hợp lệ (khi tiếp nhận hoặc khi trả kết quả)")
    ]
