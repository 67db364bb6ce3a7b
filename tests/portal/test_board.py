"""The disclosure board (issue 14, item 3): every commune procedure of the catalogue by field,
with its time, fee and components, and how to reach the desk; the TV mode's pages."""

from __future__ import annotations

import csv
import re

import pytest

from motcua.core.errors import DomainError
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
    assert len(pages) == len(rows) + 1  # today's roster, then one procedure a page
    assert "Lịch trực hôm nay" in pages[0]
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


def test_the_board_posts_the_rules_and_the_e_receipt_delegation(client, fees):
    from django.utils import timezone

    from motcua.payments.actions import change_settings
    from motcua.units.actions import set_desk_rules
    from motcua.units.models import ConfigChange

    staff = fees
    desk = staff.binh_thanh.desk
    assert "Thu phí, lệ phí và biên lai điện tử" not in client.get("/niem-yet/").content.decode()
    set_desk_rules(staff.head, desk, "1. Cán bộ đeo thẻ khi làm việc.\n2. Không hút thuốc.")
    change_settings(
        staff.head,
        staff.binh_thanh,
        {
            "bank_bin": "970415",
            "bank_name": "VietinBank",
            "account_number": "113366668888",
            "account_name": "UBND XA BINH THANH",
            "tax_code": "4600123456",
            "receipt_form_symbol": "EBL01",
            "receipt_series": "AB",
            "delegation_notice": "Ủy nhiệm Bưu điện xã lập biên lai số 1 đến 500, năm 2027.",
        },
    )
    html = client.get("/niem-yet/").content.decode()
    year = timezone.localdate().year % 100
    # the receipt's symbol: two digits of the year, T, the two letters (TT 91/2026 Phụ lục II)
    assert f"mẫu EBL01, ký hiệu {year:02d}TAB" in html
    assert "Ủy nhiệm Bưu điện xã lập biên lai số 1 đến 500" in html
    assert "Cán bộ đeo thẻ khi làm việc." in html
    tv = client.get("/niem-yet/?tv=1").content.decode()
    assert 'aria-label="Nội quy"' in tv and "Ủy nhiệm Bưu điện xã" in tv
    assert ConfigChange.objects.filter(kind="desk_changed", target__contains="nội quy").exists()
    with pytest.raises(DomainError) as refused:
        set_desk_rules(staff.specialist, desk, "Nội quy khác")
    assert refused.value.status == 403
