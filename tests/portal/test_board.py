"""The disclosure board (issue 14, item 3): every commune procedure of the catalogue by field,
with its time, fee and components, and how to reach the desk; the TV mode's pages."""

from __future__ import annotations

import csv
import re

import pytest

from tests.conftest import SMALL_CATALOGUE

pytestmark = pytest.mark.django_db


def commune_rows() -> list[dict]:
    """The catalogue file itself, read independently of the import: its commune procedures."""
    with open(SMALL_CATALOGUE, encoding="utf-8") as f:
        return [row for row in csv.DictReader(f) if row["Cấp thực hiện"].strip() == "xa"]


def test_the_board_lists_every_commune_procedure_with_time_fee_and_components(client, staff):
    rows = commune_rows()
    assert rows
    html = client.get("/niem-yet/").content.decode()
    assert f"{len(rows)} thủ tục hành chính cấp xã đang áp dụng" in html
    for row in rows:
        assert row["Mã TTHC"] in html
    for field in {row["Lĩnh vực"] for row in rows}:
        assert f">{field} <span" in html
    desk = staff.binh_thanh.desk
    assert desk.name in html


def test_the_tv_mode_pages_hold_eight_procedures_at_most(client, staff):
    html = client.get("/niem-yet/?tv=1&giay=5").content.decode()
    pages = re.findall(r'<section class="tv-page".*?</section>', html, re.S)
    rows = commune_rows()
    assert sum(page.count("<tr><td>") for page in pages) == len(rows)
    assert all(page.count("<tr><td>") <= 8 for page in pages)
    assert 'data-seconds="5"' in html and "board.js" in html and "<script>" not in html
    assert 'data-seconds="15"' in client.get("/niem-yet/?tv=1&giay=abc").content.decode()


def test_a_long_field_turns_over_several_tv_pages(client, staff, monkeypatch):
    from motcua.portal import views_board

    monkeypatch.setattr(views_board, "TV_ROWS", 1)
    html = client.get("/niem-yet/?tv=1").content.decode()
    pages = re.findall(r'<section class="tv-page".*?</section>', html, re.S)
    rows = commune_rows()
    assert len(pages) == len(rows)  # one procedure a page
    by_field = {}
    for row in rows:
        by_field[row["Lĩnh vực"]] = by_field.get(row["Lĩnh vực"], 0) + 1
    # a field's second page and after say "(tiếp theo)"
    assert html.count("(tiếp theo)") == sum(n - 1 for n in by_field.values())
    assert all(" hidden" in page.split(">", 1)[0] for page in pages[1:])  # one shown at a time


def test_the_a4_poster_set_holds_every_procedure(client, staff, tmp_path):
    import subprocess

    from tests.browser.conftest import ARTIFACTS

    desk = staff.binh_thanh.desk
    desk.hotline, desk.email = "0208 3 000 000", "motcua@example.vn"
    desk.save(update_fields=["hotline", "email"])
    answer = client.get("/niem-yet/ban-in.pdf")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    pdf = tmp_path / "niem-yet.pdf"
    pdf.write_bytes(answer.content)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "board-poster.pdf").write_bytes(answer.content)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-singlefile",
            str(pdf),
            str(ARTIFACTS / "board-poster"),
        ],
        check=True,
    )
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout.split()
    )
    assert "DANH MỤC THỦ TỤC HÀNH CHÍNH NIÊM YẾT CÔNG KHAI" in text
    assert "0208 3 000 000" in text and "motcua@example.vn" in text and "Trang 1/" in text
    for row in commune_rows():
        assert f"Mã {row['Mã TTHC']}" in text
        assert f"Lĩnh vực {row['Lĩnh vực']}" in text
