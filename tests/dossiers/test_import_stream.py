"""The past-dossier import streams: batches, all rows or none, flat memory, ANALYZE after."""

import importlib
import tracemalloc
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as s
from openpyxl import Workbook

from motcua.core.dossier_rows import (
    KEPT_ERRORS,
    DossierFileError,
    DossierRowReader,
    MemoryCodeIndex,
    parse_dossier_rows,
)
from motcua.dossiers.importing import DiskCodeIndex, import_dossiers_file
from motcua.dossiers.integrity import log_problems
from motcua.dossiers.models import DailySequence, Dossier, DossierEvent
from motcua.reports.models import StatCell, StatMonthCell
from motcua.tabular import TableFileError
from tests.dossiers.test_import import GOOD, HEADER

COLUMNS = HEADER.strip().split(",")
FIRST_DAY = date(2025, 3, 3)


def row(i: int, code: str | None = None, channel: str = "truc_tuyen") -> str:
    """Row ``i`` of a synthetic file: a returned dossier of 2.001035 at Bình Thành whose code
    is a real dossier code (so the daily counters are raised too)."""
    day = FIRST_DAY + timedelta(days=i % 20)
    code = code or f"T.05605-{day:%y%m%d}-{i + 1:04d}"
    return (
        f"{code},2.001035,05605,{channel},{day.isoformat()}T09:00,,"
        f"{day.isoformat()}T15:00,{(day + timedelta(days=3)).isoformat()}T08:00,da_tra,1,0\n"
    )


def write_rows(path, lines: list[str]):
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


def nothing_stored() -> bool:
    return not (
        Dossier.objects.exists()
        or DossierEvent.objects.exists()
        or StatCell.objects.exists()
        or StatMonthCell.objects.exists()
        or DailySequence.objects.exists()
    )


@pytest.mark.django_db
def test_a_bad_last_row_after_many_batches_stores_nothing(tmp_path, staff):
    lines = [row(i) for i in range(260)]
    lines[-1] = row(259, channel="fax")  # the file's line 261 (line 1 is the header)
    path = write_rows(tmp_path / "ho-so.csv", lines)
    with pytest.raises(DossierFileError) as caught:
        import_dossiers_file(path, progress=False, batch_size=50)  # 6 batches, 5 full
    assert [(e.row, e.column) for e in caught.value.errors] == [(261, "kenh")]
    assert nothing_stored()
    # the same file, fixed, imports whole
    lines[-1] = row(259)
    result = import_dossiers_file(write_rows(path, lines), progress=False, batch_size=50)
    assert (result.created, result.skipped) == (260, 0)
    assert Dossier.objects.count() == DossierEvent.objects.count() == 260
    assert log_problems() == []


@pytest.mark.django_db
def test_an_unknown_procedure_or_a_broken_byte_at_the_end_stores_nothing(tmp_path, staff):
    lines = [row(i) for i in range(120)]
    lines.append(row(120).replace("2.001035", "9.999999", 1))
    path = write_rows(tmp_path / "ho-so.csv", lines)
    with pytest.raises(DossierFileError, match=r"dòng 122, cột “ma_tthc”: không có thủ tục 9\."):
        import_dossiers_file(path, progress=False, batch_size=50)
    assert nothing_stored()
    # a byte that is not UTF-8 on the last line shows only once the batches before it are in
    path.write_bytes((HEADER + "".join(lines[:120])).encode() + b"X-\xff,2.001035\n")
    with pytest.raises(TableFileError, match="không phải mã UTF-8"):
        import_dossiers_file(path, progress=False, batch_size=50)
    assert nothing_stored()


@pytest.mark.django_db
def test_duplicates_across_batches_are_caught(tmp_path, staff):
    lines = [row(i) for i in range(150)]
    first = lines[5].split(",", 1)[0]  # file line 7
    lines[120] = row(120, code=first)  # file line 122, third batch of 50
    lines[121] = row(121, code=first)  # file line 123, same batch
    lines[40] = row(40, code=lines[45].split(",", 1)[0])  # lines 42 and 47, the first batch
    path = write_rows(tmp_path / "ho-so.csv", lines)
    with pytest.raises(DossierFileError) as caught:
        import_dossiers_file(path, progress=False, batch_size=50)
    assert [(e.row, e.column, e.message) for e in caught.value.errors] == [
        (47, "ma_ho_so", f"mã {lines[40].split(',', 1)[0]} trùng dòng 42"),
        (122, "ma_ho_so", f"mã {first} trùng dòng 7"),
        (123, "ma_ho_so", f"mã {first} trùng dòng 7"),
    ]
    assert nothing_stored()


@pytest.mark.django_db
def test_codes_already_stored_are_skipped_in_every_batch(tmp_path, staff):
    import_dossiers_file(write_rows(tmp_path / "a.csv", [row(i) for i in range(0, 150, 3)]))
    result = import_dossiers_file(
        write_rows(tmp_path / "b.csv", [row(i) for i in range(150)]), batch_size=40
    )
    assert (result.created, result.skipped) == (100, 50)
    assert Dossier.objects.count() == 150


@pytest.mark.django_db
def test_xlsx_is_read_in_batches(tmp_path, staff):
    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    for line in [row(i) for i in range(30)] + GOOD.splitlines():
        sheet.append([int(c) if c in ("0", "1") else c for c in line.strip().split(",")])
    book.save(tmp_path / "ho-so.xlsx")
    result = import_dossiers_file(tmp_path / "ho-so.xlsx", progress=False, batch_size=7)
    assert (result.created, result.skipped) == (33, 0)
    assert Dossier.objects.get(code="OLD-2023-000123").timeliness == "late"


@pytest.mark.django_db
def test_a_file_full_of_errors_counts_them_all_and_keeps_the_first(tmp_path, staff):
    bad = 1200
    path = write_rows(tmp_path / "ho-so.csv", [row(i, channel="fax") for i in range(bad)])
    with pytest.raises(DossierFileError) as caught:
        import_dossiers_file(path, progress=False, batch_size=100)
    error = caught.value
    assert error.total == bad and len(error.errors) == KEPT_ERRORS
    assert [e.row for e in error.errors[:3]] == [2, 3, 4]
    assert f"có {bad} lỗi, chưa nhập gì" in str(error)
    assert f"… và {bad - 50} lỗi khác" in str(error)
    assert nothing_stored()


def import_peak(path) -> int:
    """Peak of Python memory while importing ``path`` (bytes)."""
    tracemalloc.start()
    try:
        import_dossiers_file(path, progress=False, batch_size=150)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.django_db
def test_memory_does_not_grow_with_the_rows(tmp_path, staff):
    # warm up: caches filled once (calendar years, compiled queries) are not per row
    import_dossiers_file(
        write_rows(tmp_path / "w.csv", [row(i, code=f"W-{i}") for i in range(200)]),
        progress=False,
    )
    small = import_peak(write_rows(tmp_path / "s.csv", [row(i) for i in range(600)]))
    large = import_peak(
        write_rows(tmp_path / "l.csv", [row(i, code=f"L-{i:06d}") for i in range(2400)])
    )
    assert Dossier.objects.count() == 3200
    # 4× the rows (4 vs 16 batches): holding only the file's raw rows (~0.5 kB each) would
    # already make it ~1.5×; the old importer held ~1.2 kB a row
    assert large <= 1.3 * small, (small, large)


def before_load():
    """A mark to tell a later ANALYZE: PostgreSQL's clock; on SQLite, the statistics are
    forgotten (``sqlite_stat1`` emptied) so that any row in it is new."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT clock_timestamp()")
            return cursor.fetchone()[0]
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone():
            cursor.execute("DELETE FROM sqlite_stat1")
        return None


def analysed_rows(table: str, mark) -> int | None:
    """The planner's row count of ``table`` if it was analysed since ``mark``, else None."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT last_analyze, analyze_count FROM pg_stat_user_tables WHERE relname = %s",
                [table],
            )
            last, count = cursor.fetchone()
            if last is None or last < mark or count < 1:
                return None
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
            return int(cursor.fetchone()[0])
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return None
        # each index's stat starts with the number of rows in the table
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [table])
        counts = {int(stat.split()[0]) for (stat,) in cursor.fetchall()}
        assert len(counts) <= 1
        return counts.pop() if counts else None


@pytest.mark.django_db(transaction=True)
def test_the_import_analyzes_what_it_loaded(tmp_path, staff):
    mark = before_load()
    import_dossiers_file(write_rows(tmp_path / "a.csv", [row(i) for i in range(70)]))
    # the planner counts the 70 rows loaded, not the empty table of migrate time
    assert analysed_rows(Dossier._meta.db_table, mark) == 70
    assert analysed_rows(DossierEvent._meta.db_table, mark) == 70


@pytest.mark.django_db
def test_load_demo_analyzes_what_it_loaded(staff, monkeypatch):
    from motcua.demo.dossiers import generate_year

    command = importlib.import_module("motcua.demo.management.commands.load-demo")

    def small_demo():  # the demo's own bulk load, on the test desk and for two weeks only
        generate_year(staff.binh_thanh.desk, days=14, per_day=4)
        return staff.binh_thanh.desk

    monkeypatch.setattr(command, "load_demo", small_demo)
    mark = before_load()
    table = Dossier._meta.db_table
    assert analysed_rows(table, mark) is None
    call_command("load-demo")
    assert analysed_rows(table, mark) == Dossier.objects.count() > 0


# The reader alone: batches change nothing, and duplicates are those of a plain loop.

CELLS = s.lists(
    s.tuples(
        s.sampled_from(["A", "B", "C", "D", "", "x" * 61]),  # codes, often repeated or bad
        s.sampled_from(["truc_tuyen", "truc_tiep", "fax"]),
    ),
    max_size=40,
)


def cells_of(pairs):
    return [
        [code, "2.001035", "05605", channel, "2025-03-03T09:00", "", "", "", "dang_xu_ly", "0", "0"]
        for code, channel in pairs
    ]


def read_in_batches(rows, size: int, index) -> tuple[list, list]:
    reader = DossierRowReader(COLUMNS, index)
    numbered = list(enumerate(rows, start=2))
    parsed = []
    for start in range(0, len(numbered), size):
        parsed += reader.read(numbered[start : start + size])
    try:
        reader.finish()
    except DossierFileError as exc:
        return parsed, [(e.row, e.column, e.message) for e in exc.errors]
    return parsed, []


@settings(max_examples=60, deadline=None)
@given(pairs=CELLS, size=s.integers(1, 12), on_disk=s.booleans())
def test_reading_in_batches_equals_reading_at_once(pairs, size, on_disk):
    rows = cells_of(pairs)
    index = DiskCodeIndex() if on_disk else MemoryCodeIndex()
    try:
        parsed, errors = read_in_batches(rows, size, index)
    finally:
        if on_disk:
            index.close()
    try:
        whole, whole_errors = parse_dossier_rows(COLUMNS, rows), []
    except DossierFileError as exc:
        whole, whole_errors = [], [(e.row, e.column, e.message) for e in exc.errors]
    if whole_errors:
        assert errors == whole_errors
    else:
        assert parsed == whole and errors == []
    # duplicates, from a plain loop over the well-formed codes
    first: dict[str, int] = {}
    expected = []
    for number, (code, _) in enumerate(pairs, start=2):
        if code and len(code) <= 60:
            if code in first:
                expected.append((number, "ma_ho_so", f"mã {code} trùng dòng {first[code]}"))
            first.setdefault(code, number)
    assert [e for e in errors if e[1] == "ma_ho_so" and "trùng" in e[2]] == expected
