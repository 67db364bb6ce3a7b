"""Import the portal's export, find each known difference, refuse bad files, the page, the CLI."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from motcua.core.reconcile import Reason, ReconcileFileError
from motcua.integrations import actions, queries
from motcua.integrations.models import PortalDossierRow, ReconciliationImport
from tests.reports.seed import build

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
START, END = date(2024, 1, 1), date(2024, 1, 31)
HEADERS = [
    "Mã hồ sơ",
    "Mã TTHC",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày kết thúc xử lý",
    "TRẠNG THÁI",
    "Đã số hoá",
    "Kênh",
]


def when(moment) -> str:
    return f"{moment.astimezone(LOCAL):%d/%m/%Y %H:%M}" if moment else ""


@pytest.fixture
def dossiers(staff):
    plan = [
        {"channel": "online", "outcome": "early", "digitisable": True, "digitised": True}
        for _ in range(6)
    ]
    return build("05605", plan, START, END, seed=7)


def portal_csv(dossiers) -> str:
    """Our six dossiers as the portal has them: d0 missing, an extra one, d1 with another
    status, d2 not digitised, d3 ended a day after its due date (late there)."""
    rows = []
    for i, d in enumerate(dossiers):
        if i == 0:
            continue
        status, digitised, ended = "Đã trả kết quả", "có", d.ended_at
        if i == 1:
            status = "Đang xử lý"
        if i == 2:
            digitised = "không"
        if i == 3:
            ended = d.due_at + timedelta(days=1)
        rows.append(
            [
                d.code,
                "1.001193",
                when(d.received_at),
                when(d.due_at),
                when(ended),
                status,
                digitised,
                "2",
            ]
        )
    rows.append(
        [
            "H99.99-240115-0001",
            "1.001193",
            "15/01/2024 09:00",
            "18/01/2024",
            "",
            "Mới tiếp nhận",
            "không",
            "1",
        ]
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return out.getvalue()


INDICATORS = 'Chỉ số,Giá trị\nTổng số hồ sơ tiếp nhận,6\nTỷ lệ hồ sơ trực tuyến,"98,3 %"\nTỷ lệ số hoá,"80 %"\n'


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


@pytest.fixture
def imported(dossiers, tmp_path, staff):
    portal = write(tmp_path, "portal.csv", portal_csv(dossiers))
    indicators = write(tmp_path, "chi-so.csv", INDICATORS)
    return actions.import_reconciliation(
        staff.specialist, staff.binh_thanh, START, END, portal, indicators
    )


def test_each_known_difference_is_found_exactly(imported, dossiers):
    rec = queries.reconciliation(imported)
    found = {d.code: d.reasons for d in rec.differences}
    assert found == {
        dossiers[0].code: [Reason.NOT_ON_PORTAL],
        "H99.99-240115-0001": [Reason.NOT_HERE],
        dossiers[1].code: [Reason.STATUS],
        dossiers[2].code: [Reason.NOT_DIGITISED_THERE],
        dossiers[3].code: [Reason.END_DATE, Reason.TIMELINESS],
    }
    assert rec.by_reason == {
        Reason.NOT_ON_PORTAL: 1,
        Reason.NOT_HERE: 1,
        Reason.STATUS: 1,
        Reason.END_DATE: 1,
        Reason.TIMELINESS: 1,
        Reason.NOT_DIGITISED_THERE: 1,
    }
    assert (rec.ours_in_period, rec.portal_in_period) == (6, 6)


def test_indicators_ours_theirs_and_the_dossiers_behind(imported):
    rec = queries.reconciliation(imported)
    by_key = {i.key: i for i in rec.indicators}
    received = by_key["received"]
    assert (received.ours, received.portal, received.difference, received.explaining) == (
        6,
        6.0,
        0,
        0,
    )
    online = by_key["online_rate"]
    assert (online.ours, online.portal, online.difference) == (100.0, 98.3, -1.7)
    assert online.explaining == 2  # the missing one and the extra one
    digitised = by_key["digitisation_rate"]
    assert (digitised.ours, digitised.portal, digitised.difference) == (100.0, 80.0, -20.0)
    assert digitised.explaining == 3  # missing, extra, not digitised there


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("portal.csv", "Mã hồ sơ,Ngày tiếp nhận\nA,01/01/2024\n", "thiếu cột bắt buộc"),
        ("portal.csv", HEADERS, "dòng 3, cột “Ngày tiếp nhận”"),
        ("portal.csv", "Mã hồ sơ,Trạng thái,Ngày tiếp nhận\n".encode("utf-16"), "UTF-8"),
        ("portal.pdf", "%PDF-1.4", "không phải CSV hoặc XLSX"),
        ("portal.xlsx", "not a zip", "Không đọc được tệp Excel"),
    ],
)
def test_bad_file_is_refused_and_nothing_is_stored(staff, tmp_path, name, content, message):
    if content is HEADERS:
        content = (
            ",".join(HEADERS)
            + "\nA1,1.001193,05/01/2024,,,Mới tiếp nhận,có,1\nA2,1.001193,00/01/1900,,,Mới tiếp nhận,có,1\n"
        )
    path = write(tmp_path, name, content)
    with pytest.raises(ReconcileFileError, match=message):
        actions.import_reconciliation(staff.specialist, staff.binh_thanh, START, END, path)
    assert not ReconciliationImport.objects.exists()
    assert not PortalDossierRow.objects.exists()


def test_page_is_for_the_units_own_staff(client, imported, staff, dossiers):
    url = reverse("integrations:detail", kwargs={"code": "05605", "pk": imported.pk})
    client.force_login(staff.neighbour_specialist)
    assert client.get(url).status_code == 403
    assert client.get(reverse("integrations:unit", kwargs={"code": "05605"})).status_code == 403
    client.force_login(staff.specialist)
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Chưa đồng bộ lên Cổng DVCQG" in text and "Khác trạng thái" in text
    assert reverse("dossiers:detail", args=[dossiers[1].pk]) in text  # the code links to it
    assert "H99.99-240115-0001" in text


def test_upload_through_the_page_and_bad_upload_message(client, dossiers, staff):
    client.force_login(staff.specialist)
    url = reverse("integrations:unit", kwargs={"code": "05605"})
    bad = client.post(
        url,
        {
            "start": "2024-01-01",
            "end": "2024-01-31",
            "dossiers": SimpleUploadedFile("p.csv", "Mã hồ sơ\nA\n".encode()),
        },
    )
    assert bad.status_code == 400
    assert "thiếu cột bắt buộc" in bad.content.decode()
    assert not ReconciliationImport.objects.exists()
    good = client.post(
        url,
        {
            "start": "2024-01-01",
            "end": "2024-01-31",
            "dossiers": SimpleUploadedFile("p.csv", portal_csv(dossiers).encode()),
        },
    )
    imp = ReconciliationImport.objects.get()
    assert good.status_code == 302 and imp.uploaded_by == staff.specialist
    assert imp.rows.count() == 6 and imp.file_name == "p.csv"


def test_export_xlsx_and_csv(client, imported, staff, dossiers):
    client.force_login(staff.specialist)
    kwargs = {"code": "05605", "pk": imported.pk}
    xlsx = client.get(reverse("integrations:export", kwargs=kwargs | {"fmt": "xlsx"}))
    assert xlsx.status_code == 200
    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert workbook.sheetnames == ["Hồ sơ khác nhau", "Tổng hợp lý do", "Chỉ số"]
    codes = [r[1] for r in workbook["Hồ sơ khác nhau"].iter_rows(min_row=2, values_only=True)]
    assert sorted(codes) == sorted([dossiers[i].code for i in range(4)] + ["H99.99-240115-0001"])
    text = client.get(reverse("integrations:export", kwargs=kwargs | {"fmt": "csv"}))
    assert text.content.decode("utf-8-sig").startswith("STT,Mã hồ sơ")


def test_cli_prints_the_summary(dossiers, tmp_path, capsys):
    portal = write(tmp_path, "portal.csv", portal_csv(dossiers))
    indicators = write(tmp_path, "ind.csv", INDICATORS)
    output = tmp_path / "diff.xlsx"
    call_command(
        "reconcile",
        "--unit",
        "05605",
        "--dossiers",
        str(portal),
        "--indicators",
        str(indicators),
        "--from",
        "2024-01-01",
        "--to",
        "2024-01-31",
        "--output",
        str(output),
    )
    out = capsys.readouterr().out
    assert "5 hồ sơ khác nhau" in out
    assert "Chưa đồng bộ lên Cổng DVCQG" in out and "[not_on_portal]" in out
    assert load_workbook(output).sheetnames[0] == "Hồ sơ khác nhau"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_sample_files_fill_the_form_as_they_are(client, staff, fmt):
    # what the page offers to download is what it reads: sent back unchanged, it is imported
    client.force_login(staff.specialist)
    files = {}
    for kind in ("ho-so", "chi-so"):
        response = client.get(reverse("integrations:sample", kwargs={"kind": kind, "fmt": fmt}))
        assert response.status_code == 200
        assert f'filename="mau-tep-{kind}-dvcqg.{fmt}"' in response["Content-Disposition"]
        files[kind] = SimpleUploadedFile(f"mau.{fmt}", response.content)
    if fmt == "csv":
        assert (
            files["ho-so"]
            .read()
            .decode("utf-8-sig")
            .startswith(
                "Mã hồ sơ,Mã TTHC,Ngày tiếp nhận,Ngày hẹn trả,Ngày kết thúc xử lý,Trạng thái,"
            )
        )
        files["ho-so"].seek(0)
    url = reverse("integrations:unit", kwargs={"code": "05605"})
    sent = client.post(
        url,
        {
            "start": "2025-01-01",
            "end": "2025-01-31",
            "dossiers": files["ho-so"],
            "indicators": files["chi-so"],
        },
    )
    assert sent.status_code == 302, sent.content.decode()[:2000]
    imp = ReconciliationImport.objects.get()
    assert imp.rows.count() == 3
    page = client.get(url).content.decode()
    for kind in ("ho-so", "chi-so"):
        assert reverse("integrations:sample", kwargs={"kind": kind, "fmt": fmt}) in page


def test_sample_file_of_an_unknown_kind_is_not_found(client, staff):
    client.force_login(staff.specialist)
    response = client.get("/doi-chieu/mau/bao-cao.csv")
    assert response.status_code == 404
    assert "Không có tệp mẫu này." in response.content.decode()
