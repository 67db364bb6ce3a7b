"""The report files: the official form (XLSX), the drafted report (DOCX, PDF), CSV, the CLI.

The seed's own figures (section 1 b and c of Bình Thành's report) must come out of the files
exactly as the commune writes them.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import time
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from motcua.accounts.models import Role
from motcua.catalog.models import Field
from motcua.core.statistics import Figures
from motcua.core.text import fold
from motcua.demo.load import DESK_MEMBERS, upsert_member
from motcua.reports import drafting, exports
from motcua.reports.actions import save_report_texts
from motcua.reports.models import ReportDraft
from motcua.reports.queries import Scope
from tests.reports import seed

PERIOD = (date(2023, 1, 1), date(2024, 3, 31))
SCOPE = Scope(("05605",))

YEAR_2023 = (
    "Tổng số hồ sơ tiếp nhận là 3.834 hồ sơ, trong đó 3.778 hồ sơ tiếp nhận trực tuyến, đạt "
    "98,5 % và 56 hồ sơ tiếp nhận trực tiếp, đạt 1,5 %; đã giải quyết 3.829 hồ sơ, đạt 99,9 %, "
    "trong đó giải quyết trước hạn là 3.427 hồ sơ, 402 hồ sơ giải quyết đúng hạn, 05 hồ sơ "
    "đang trong thời gian giải quyết, không có hồ sơ giải quyết quá hạn."
)
Q1_2024 = (
    "Tổng số hồ sơ tiếp nhận là 521 hồ sơ, trong đó 521 hồ sơ tiếp nhận trực tuyến, đạt 100 % "
    "và không có hồ sơ tiếp nhận trực tiếp; đã giải quyết 521 hồ sơ, đạt 100 %, trong đó giải "
    "quyết trước hạn là 409 hồ sơ, 112 hồ sơ giải quyết đúng hạn, không có hồ sơ giải quyết "
    "quá hạn."
)
FIGURES = ["3.834", "3.778", "98,5 %", "56", "1,5 %", "3.829", "99,9 %", "3.427", "402"]
FIGURES += ["521", "409", "112", "2.513/2.513", "512/516", "99,2 %"]


@pytest.fixture
def seeded(world, catalogue):
    seed.build_seed("05605")
    fields = {fold(f.name): f for f in Field.objects.all()}
    for member in DESK_MEMBERS:
        upsert_member(member, world.binh_thanh, "mat-khau-thu-nghiem-1", fields)
    return world


def keep(name: str, data: bytes) -> None:
    """With REPORT_REVIEW_DIR set, keep the file for a person to look at."""
    folder = os.environ.get("REPORT_REVIEW_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / name).write_bytes(data)


def docx_text(data: bytes) -> str:
    from docx import Document

    word = Document(io.BytesIO(data))
    parts = [p.text for p in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def one_line(text: str) -> str:
    return " ".join(text.split())


# --- the sentences ----------------------------------------------------------------------------


def test_the_figures_sentences_are_the_seeds_own(seeded):
    from motcua.reports.queries import report

    year = report(SCOPE, date(2023, 1, 1), date(2023, 12, 31), "cohort")
    q1 = report(SCOPE, date(2024, 1, 1), date(2024, 3, 31), "cohort")
    assert drafting.results_sentence(year) == YEAR_2023
    assert drafting.results_sentence(q1) == Q1_2024
    assert drafting.digitisation_sentence(year).startswith(
        "Tổng số hồ sơ đã số hóa là 2.513/2.513 hồ sơ, đạt 100 %"
    )


def test_zero_and_late_are_said_in_words():
    f = Figures("cohort", date(2024, 1, 1), date(2024, 3, 31))
    assert drafting.results_sentence(f) == "Không có hồ sơ tiếp nhận."
    f.received, f.received_direct, f.resolved, f.resolved_late = 8, 8, 7, 2
    f.resolved_on_time, f.in_progress, f.in_progress_overdue = 5, 1, 1
    f.rates = {"direct_rate": 100.0, "resolved_rate": 87.5}
    assert drafting.results_sentence(f) == (
        "Tổng số hồ sơ tiếp nhận là 08 hồ sơ, trong đó không có hồ sơ tiếp nhận trực tuyến và "
        "08 hồ sơ tiếp nhận trực tiếp, đạt 100 %; đã giải quyết 07 hồ sơ, đạt 87,5 %, trong "
        "đó không có hồ sơ giải quyết trước hạn, 05 hồ sơ giải quyết đúng hạn, 01 hồ sơ đang "
        "giải quyết đã quá hạn, 02 hồ sơ giải quyết quá hạn."
    )


@pytest.mark.parametrize(
    "start, end, label",
    [
        (date(2023, 1, 1), date(2023, 12, 31), "Năm 2023"),
        (date(2024, 1, 1), date(2024, 3, 31), "Quý I/2024"),
        (date(2024, 10, 1), date(2024, 12, 31), "Quý IV/2024"),
        (date(2024, 1, 1), date(2024, 6, 30), "6 tháng đầu năm 2024"),
        (date(2024, 2, 1), date(2024, 2, 29), "Từ ngày 01/02/2024 đến ngày 29/02/2024"),
    ],
)
def test_period_labels(start, end, label):
    assert drafting.period_label(start, end) == label


# --- DOCX, PDF --------------------------------------------------------------------------------


def test_docx_carries_every_figure_of_the_seed_and_the_staff(seeded):
    started = time.perf_counter()
    data = exports.render("docx", "05605", SCOPE, *PERIOD, "flow")
    print(f"docx {1000 * (time.perf_counter() - started):.0f} ms")
    keep("report.docx", data)
    text = docx_text(data)
    assert unicodedata.is_normalized("NFC", text)
    flat = one_line(text)
    assert "+ Năm 2023: Kết quả trên phần mềm một cửa: " + YEAR_2023 in flat
    assert "+ Quý I/2024: Kết quả trên phần mềm một cửa: " + Q1_2024 in flat
    for figure in FIGURES:
        assert figure in text, figure
    for heading in (
        "ỦY BAN NHÂN DÂN",
        "XÃ BÌNH THÀNH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "/BC-UBND",
        "1. Tình hình, kết quả tiếp nhận, giải quyết thủ tục hành chính",
        "c) Về số hóa hồ sơ",
        "2. Về tổ chức, vận hành của Bộ phận Một cửa",
        "3. Kiến nghị, đề xuất",
        "TM. ỦY BAN NHÂN DÂN",
        "Nơi nhận:",
        "Hoàng Văn Thành",  # the chairman signs
    ):
        assert heading in text, heading
    # the staff appendix: every desk member with title and duty
    for member in DESK_MEMBERS:
        assert member.full_name in text
        assert member.title in text
    assert "Trưởng Bộ phận, phụ trách chung" in text
    assert "Tiếp nhận, giải quyết hồ sơ lĩnh vực Chứng thực, Hộ tịch" in text
    # the per-field table's total row of the whole period (flow view): 3.834 + 521 received
    assert "4.355" in text


def test_pdf_says_the_same_and_is_not_blank(seeded, tmp_path):
    started = time.perf_counter()
    data = exports.render("pdf", "05605", SCOPE, *PERIOD, "flow")
    print(f"pdf {1000 * (time.perf_counter() - started):.0f} ms")
    keep("report.pdf", data)
    assert data.startswith(b"%PDF")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = one_line(unicodedata.normalize("NFC", text))
    assert one_line(YEAR_2023) in flat
    assert one_line(Q1_2024) in flat
    for figure in [*FIGURES, "4.355", "Hoàng Văn Thành", "Lưu Văn Dũng", "TM. ỦY BAN NHÂN DÂN"]:
        assert figure in flat, figure
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    from PIL import Image

    page = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    dark = sum(page.histogram()[:128])
    assert dark > 0.005 * page.width * page.height  # printed text, not an empty page


def test_the_narrative_is_remembered_and_used(seeded):
    unit = seeded.binh_thanh
    save_report_texts(
        seeded.head,
        unit,
        {"situation": "Xã đã ban hành Kế hoạch CCHC năm 2023.\r\n- Thuận lợi: nhiều.", "x": "y"},
    )
    stored = ReportDraft.objects.get(unit=unit).sections
    assert stored == {"situation": "Xã đã ban hành Kế hoạch CCHC năm 2023.\n- Thuận lợi: nhiều."}
    doc = drafting.draft_document(unit, SCOPE, *PERIOD, issued=date(2024, 4, 16))
    texts = [b.text for b in doc.body]
    assert "Xã đã ban hành Kế hoạch CCHC năm 2023." in texts
    assert "- Thuận lợi: nhiều." in texts
    # what was not written keeps its default
    assert any(t.startswith("- Đề nghị") for t in texts)
    assert doc.place_date == "Bình Thành, ngày 16 tháng 4 năm 2024"


# --- XLSX, CSV --------------------------------------------------------------------------------


def test_xlsx_is_the_official_form_with_the_totals_in_place(seeded):
    from openpyxl import load_workbook

    started = time.perf_counter()
    data = exports.render("xlsx", "05605", SCOPE, date(2024, 1, 1), date(2024, 3, 31), "flow")
    print(f"xlsx {1000 * (time.perf_counter() - started):.0f} ms")
    keep("report.xlsx", data)
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A1"].value == "ỦY BAN NHÂN DÂN XÃ BÌNH THÀNH"
    assert "từ ngày 01/01/2024 đến ngày 31/03/2024" in ws["A4"].value
    assert ws["C7"].value == "Số hồ sơ nhận giải quyết"
    assert ws["G7"].value == "Số hồ sơ đã giải quyết"
    assert ws["K7"].value == "Số hồ sơ đang giải quyết"
    assert ws["E8"].value == "Tiếp nhận trong kỳ"
    assert (ws["E9"].value, ws["F9"].value) == ("Trực tuyến", "Trực tiếp, bưu chính")
    assert "C7:F7" in ws.merged_cells and "A7:A9" in ws.merged_cells
    rows = list(ws.iter_rows(min_row=11, values_only=True))
    total = next(r for r in rows if r[1] == "Tổng cộng")
    # Q1/2024, flow view: 5 carried over from 2023 + 521 received; 521 resolved (409 + 112);
    # the five never finished are in progress and overdue at 31/03/2024
    assert total[2:] == (526, 5, 521, 0, 521, 409, 112, 0, 5, 0, 5)
    assert ws.cell(11 + rows.index(total), 2).font.bold
    fields = [r for r in rows if r[0] and r[1] != "Tổng cộng"]
    assert sum(r[2] for r in fields) == 526
    assert ws.page_setup.orientation == "landscape"
    assert ws.column_dimensions["B"].width > ws.column_dimensions["C"].width


def test_csv_keeps_its_columns(seeded):
    data = exports.render("csv", "05605", SCOPE, date(2023, 1, 1), date(2023, 12, 31), "cohort")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Lĩnh vực", "Kỳ trước chuyển qua", "Tiếp nhận trong kỳ"]
    assert rows[-1][:3] == ["Tổng cộng", "0", "3834"]


def test_an_unknown_format_or_unit_is_refused(seeded):
    with pytest.raises(ValueError, match="định dạng"):
        exports.render("odt", "05605", SCOPE, *PERIOD, "flow")
    with pytest.raises(ValueError, match="Không có đơn vị"):
        exports.render("docx", "99999", SCOPE, *PERIOD, "flow")


# --- the CLI ----------------------------------------------------------------------------------


def test_cli_writes_json_and_docx(seeded, tmp_path, capsys):
    call_command("report", "--unit", "05605", "--from", "2023-01-01", "--to", "2023-12-31")
    got = json.loads(capsys.readouterr().out)
    assert (got["received"], got["online_rate"], got["unit"]) == (3834, 98.5, "05605")
    out = tmp_path / "bao-cao.docx"
    call_command(
        "report",
        "--unit",
        "05605",
        "--from",
        "2024-01-01",
        "--to",
        "2024-03-31",
        "--format",
        "docx",
        "--output",
        str(out),
    )
    text = one_line(docx_text(out.read_bytes()))
    assert "+ Quý I/2024: Kết quả trên phần mềm một cửa: " + Q1_2024 in text


def test_libreoffice_opens_the_docx(seeded, tmp_path):
    # a second reader of our DOCX, not a skip: `make test` installs it (scripts/setup.sh --test)
    if not shutil.which("soffice"):
        pytest.fail("LibreOffice is missing: run `make setup-test` (libreoffice-writer-nogui).")
    docx = tmp_path / "report.docx"
    docx.write_bytes(exports.render("docx", "05605", SCOPE, *PERIOD, "flow"))
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pdf = tmp_path / "report.pdf"
    keep("report-docx.pdf", pdf.read_bytes())
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "3.834" in text and "Hoàng Văn Thành" in text


def test_roles_are_not_a_desk_member_when_only_overseeing(seeded):
    names = [u.username for u in drafting.desk_staff(seeded.binh_thanh)]
    assert names[0] == "chutich" or names[0] == "truongbp"
    assert "tinh" not in names
    assert Role.OVERSEER not in {
        r for u in drafting.desk_staff(seeded.binh_thanh) for r in u.role_codes()
    }


# --- the narrative page -----------------------------------------------------------------------


def test_the_units_officials_write_the_narrative_an_overseer_only_reads(seeded, client):
    url = "/thong-ke/loi-van/05605/"
    client.force_login(seeded.specialist)
    page = client.get(url)
    assert page.status_code == 200
    assert "Ủy ban nhân dân xã Bình Thành quan tâm chỉ đạo" in page.content.decode()
    posted = client.post(
        url, {"situation": "Năm 2023, xã đã ban hành Kế hoạch CCHC.", "proposals": ""}
    )
    assert posted.status_code == 302
    assert ReportDraft.objects.get(unit=seeded.binh_thanh).sections["situation"] == (
        "Năm 2023, xã đã ban hành Kế hoạch CCHC."
    )
    assert "Năm 2023, xã đã ban hành Kế hoạch CCHC." in client.get(url).content.decode()

    client.force_login(seeded.overseer)
    assert client.get(url).status_code == 200
    assert client.post(url, {"situation": "x"}).status_code == 403
    client.force_login(seeded.neighbour_specialist)
    assert client.get(url).status_code == 403
    assert ReportDraft.objects.get(unit=seeded.binh_thanh).sections["situation"].startswith("Năm")


def test_the_sentences_and_the_table_say_which_dossiers_they_count(seeded):
    """The seed's sentences count the dossiers received in each year; the form's table counts
    the period's work (carried over + received). The report says so, and the numbers it gives
    for each view add up: the seed's own 2023 and Q1/2024 for the sentences, the table's total
    row for the other (issue 10, item 4)."""
    doc = drafting.draft_document(seeded.binh_thanh, SCOPE, *PERIOD, issued=date(2024, 4, 16))
    index = next(i for i, b in enumerate(doc.body) if b.kind == "table")
    bridge = doc.body[index - 1].text
    total = doc.body[index].table.rows[-1]
    assert total[1] == "Tổng cộng"
    # columns of the form: all, carried over, received online, direct or post, resolved,
    # early, on time, late, in progress, within time, overdue
    n = [int(x.replace(".", "")) for x in total[2:13]]
    everything, carried, online, other, resolved, in_progress = n[0], n[1], n[2], n[3], n[4], n[8]
    assert everything == carried + online + other == resolved + in_progress
    assert f"kỳ trước chuyển qua ({carried} hồ sơ)" in bridge  # none before 2023 in the seed
    assert f"tiếp nhận trong kỳ ({online + other:,} hồ sơ)".replace(",", ".") in bridge
    assert f"đã giải quyết trong kỳ ({resolved:,} hồ sơ)".replace(",", ".") in bridge
    # the sentences' view: the seed's 3.834 + 521 received, 3.829 + 521 resolved
    assert (
        "chỉ tính hồ sơ tiếp nhận trong kỳ (4.355 hồ sơ tiếp nhận, 4.350 hồ sơ đã giải quyết)"
        in bridge
    )
    assert "Tổng số hồ sơ tiếp nhận là 3.834 hồ sơ" in doc.all_text()


def test_the_dashboard_names_its_two_views_and_how_they_add_up(client, seeded):
    client.force_login(seeded.head)
    page = client.get("/thong-ke/", {"don_vi": "05605", "tu": "01/01/2023", "den": "31/12/2023"})
    text = page.content.decode()
    assert "Hồ sơ tiếp nhận trong kỳ" in text
    assert "3.834 tiếp nhận = 3.829 đã giải quyết + 5 đang giải quyết" in text
    assert "kỳ trước chuyển qua 0 + tiếp nhận trong kỳ 3.834" in text
    assert "khác chỉ số 2.1 của Bộ chỉ số 766" in text
    assert "nam=2025" in text and "nam=2.025" not in text
