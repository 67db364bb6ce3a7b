"""Report files: CSV (here), XLSX of the official form, the drafted report as DOCX and PDF."""

from __future__ import annotations

import csv
import io
from datetime import date

from motcua.core.statistics import Figures
from motcua.reports.queries import Scope, report, report_by_field

# The columns of the periodic report (TT 01/2020/TT-VPCP form on results of handling TTHC).
FLOW_COLUMNS = [
    ("carried_over", "Kỳ trước chuyển qua"),
    ("received", "Tiếp nhận trong kỳ"),
    ("received_online", "Trong đó trực tuyến"),
    ("received_direct", "Trực tiếp"),
    ("received_post", "Bưu chính công ích"),
    ("resolved", "Đã giải quyết"),
    ("resolved_early", "Trước hạn"),
    ("resolved_on_time", "Đúng hạn"),
    ("resolved_late", "Quá hạn"),
    ("in_progress", "Đang giải quyết"),
    ("in_progress_within_time", "Trong hạn"),
    ("in_progress_overdue", "Quá hạn "),
]


def table_rows(scope: Scope, start: date, end: date, view: str) -> list[tuple[str, Figures]]:
    """One row per field, then the total (what every tabular export shows)."""
    rows = [(f.name, fig) for f, fig in report_by_field(scope, start, end, view)]
    rows.append(("Tổng cộng", report(scope, start, end, view)))
    return rows


def report_csv(scope: Scope, start: date, end: date, view: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Lĩnh vực", *(label.strip() for _, label in FLOW_COLUMNS)])
    for name, fig in table_rows(scope, start, end, view):
        writer.writerow([name, *(getattr(fig, key) for key, _ in FLOW_COLUMNS)])
    # UTF-8 with BOM so that Excel opens Vietnamese correctly
    return ("\ufeff" + out.getvalue()).encode()


def render(fmt: str, unit_code: str, scope: Scope, start: date, end: date, view: str) -> bytes:
    if fmt == "csv":
        return report_csv(scope, start, end, view)
    raise ValueError(f"Chưa hỗ trợ định dạng {fmt}.")
