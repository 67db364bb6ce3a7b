from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from motcua.catalog.actions import import_procedures_file
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.core.procedure_rows import CatalogFileError
from motcua.demo.load import CATALOGUE_FILE
from motcua.tabular import TableFileError, read_table

SMALL = Path(__file__).parent.parent / "fixtures" / "procedures_small.csv"


@pytest.mark.django_db
def test_import_creates_procedures_and_is_idempotent():
    first = import_procedures_file(SMALL)
    assert (first.created, first.new_versions, first.unchanged) == (4, 0, 0)
    again = import_procedures_file(SMALL)
    assert (again.created, again.new_versions, again.unchanged) == (0, 0, 4)
    assert Procedure.objects.count() == 4
    assert ProcedureVersion.objects.count() == 4
    p = Procedure.objects.get(code="2.001035")
    assert p.current_version.fee == 50000
    assert p.field.name == "Chứng thực"
    assert [c["name"] for c in p.current_version.components] == [
        "Dự thảo hợp đồng",
        "Giấy tờ tùy thân",
    ]


@pytest.mark.django_db
def test_changed_row_becomes_a_new_version_and_old_one_is_kept(tmp_path):
    import_procedures_file(SMALL)
    changed = tmp_path / "v2.csv"
    changed.write_text(SMALL.read_text(encoding="utf-8").replace(",50000,", ",60000,"), "utf-8")
    result = import_procedures_file(changed)
    assert (result.created, result.new_versions, result.unchanged) == (0, 1, 3)
    p = Procedure.objects.get(code="2.001035")
    assert p.current_version.number == 2
    assert p.current_version.fee == 60000
    assert list(p.versions.order_by("number").values_list("fee", flat=True)) == [50000, 60000]


@pytest.mark.django_db
def test_bad_file_changes_nothing_and_names_the_rows(tmp_path):
    import_procedures_file(SMALL)
    bad = tmp_path / "bad.csv"
    text = SMALL.read_text(encoding="utf-8")
    text = text.replace(",50000,", ",năm mươi nghìn,").replace(",2000,", ",60000,")
    bad.write_text(text + "3.9,Thủ tục sai,Hộ tịch,xa,UBND,1,thang,0,khong,0,\n", "utf-8")
    with pytest.raises(CatalogFileError) as caught:
        import_procedures_file(bad)
    rows = sorted({(e.row, e.column) for e in caught.value.errors})
    assert rows == [(5, "phi_le_phi"), (6, "don_vi_thoi_han"), (6, "ma_tthc")]
    # nothing changed: the valid row 3 (2.000815 fee 60000) was not applied either
    assert Procedure.objects.get(code="2.000815").current_version.fee == 2000
    assert ProcedureVersion.objects.count() == 4


@pytest.mark.django_db
def test_xlsx_with_vietnamese_headers(tmp_path):
    headers, rows = read_table(SMALL)
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for r in rows:
        sheet.append([int(c) if c.isdigit() and len(c) < 6 else c for c in r])
    path = tmp_path / "danh-muc.xlsx"
    book.save(path)
    assert import_procedures_file(path).created == 4


def test_not_utf8_is_refused(tmp_path):
    path = tmp_path / "cp1258.csv"
    path.write_bytes("Mã TTHC,Tên\n1.001193,Đăng ký\n".encode("utf-16"))
    with pytest.raises(TableFileError, match="UTF-8"):
        read_table(path)


@pytest.mark.django_db
def test_command_reports_errors_in_vietnamese(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("ma_tthc,ten_tthc\n1.001193,Khai sinh\n", "utf-8")
    with pytest.raises(CommandError, match="thiếu cột bắt buộc"):
        call_command("import-procedures", str(path))


@pytest.mark.django_db
def test_export_then_import_round_trips(tmp_path):
    import_procedures_file(SMALL)
    out = tmp_path / "export.xlsx"
    call_command("export-procedures", str(out))
    result = import_procedures_file(out)
    assert (result.created, result.new_versions, result.unchanged) == (0, 0, 4)


@pytest.mark.django_db
def test_shipped_demo_catalogue_imports_cleanly():
    result = import_procedures_file(CATALOGUE_FILE)
    assert result.created >= 60
    assert Procedure.objects.values("field").distinct().count() >= 8
    assert Procedure.objects.filter(code="1.001193").exists()
