"""Report files: CSV, XLSX of the official form, the drafted report as DOCX and PDF.

What the files say is built in :mod:`motcua.reports.drafting`; here it is only laid out.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from django.utils import timezone

from motcua.core import official
from motcua.core.ratings import LEVELS
from motcua.core.statistics import Figures
from motcua.reports import drafting
from motcua.reports.drafting import Document, day_vi, head_grid
from motcua.reports.feedback import FeedbackFigures, feedback_figures
from motcua.reports.queries import Scope, report, report_by_field
from motcua.reports.ratings import RatingFigures, rating_figures
from motcua.reports.word import SERIF, report_docx
from motcua.tabular import safe_cell
from motcua.units.models import Unit

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


# --- XLSX: the official form ------------------------------------------------------------------

XLSX_HEAD_ROW = 7  # first header row; the data follow the four header rows


def report_xlsx(unit: Unit, scope: Scope, start: date, end: date, view: str) -> bytes:
    """Biểu mẫu kết quả giải quyết TTHC (TT 01/2020/TT-VPCP): one row per field, then the total."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Kết quả giải quyết TTHC"
    ncols = 13
    last = get_column_letter(ncols)
    font = Font(name=SERIF, size=12)
    bold = Font(name=SERIF, size=12, bold=True)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)

    def line(row: int, text: str, f: Font, align: str = "center", upto: str = last) -> None:
        ws.merge_cells(f"A{row}:{upto}{row}")
        cell = ws[f"A{row}"]
        cell.value, cell.font = text, f
        cell.alignment = Alignment(horizontal=align, vertical="center")

    line(1, " ".join(official.issuer_lines(unit.name, unit.division_type)), bold, "left", "E")
    line(3, "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", Font(name=SERIF, size=14, bold=True))
    line(4, f"Kỳ báo cáo: từ ngày {day_vi(start)} đến ngày {day_vi(end)}", bold)
    note = (
        "(Biểu mẫu theo Thông tư số 01/2020/TT-VPCP; kỳ trước chuyển qua, tiếp nhận, giải quyết "
        "trong kỳ và đang giải quyết tại cuối kỳ)"
        if view == "flow"
        else "(Hồ sơ tiếp nhận trong kỳ: đã giải quyết và đang giải quyết tại cuối kỳ)"
    )
    line(5, note, Font(name=SERIF, size=12, italic=True))
    ws.cell(6, ncols, "Đơn vị tính: hồ sơ").font = Font(name=SERIF, size=11, italic=True)
    ws.cell(6, ncols).alignment = Alignment(horizontal="right")

    head = drafting.FORM_HEAD
    for r, c, cell in head_grid(head):
        row, col = XLSX_HEAD_ROW + r, 1 + c
        ws.cell(row, col, cell.text)
        if cell.rowspan > 1 or cell.colspan > 1:
            ws.merge_cells(
                start_row=row,
                start_column=col,
                end_row=row + cell.rowspan - 1,
                end_column=col + cell.colspan - 1,
            )
    for row in range(XLSX_HEAD_ROW, XLSX_HEAD_ROW + len(head)):
        for col in range(1, ncols + 1):
            c = ws.cell(row, col)
            c.border, c.alignment = box, center
            last_head = row == XLSX_HEAD_ROW + len(head) - 1
            c.font = Font(name=SERIF, size=11, italic=True) if last_head else bold
    rows = drafting.form_rows(scope, start, end, view)
    first = XLSX_HEAD_ROW + len(head)
    for i, (number, name, values) in enumerate(rows):
        row = first + i
        total = i == len(rows) - 1
        for col, value in enumerate([number, name, *values], 1):
            c = ws.cell(row, col, safe_cell(value) if value != "" else None)
            c.border = box
            c.font = bold if total else font
            if col > 2:
                c.number_format = "#,##0"
                c.alignment = Alignment(horizontal="right", vertical="center")
            else:
                c.alignment = Alignment(
                    horizontal="center" if col == 1 or total else "left",
                    vertical="center",
                    wrap_text=True,
                )
    end_row = first + len(rows) - 1
    ws.cell(end_row + 2, ncols - 3, f"Ngày lập: {day_vi(timezone.localdate())}").font = Font(
        name=SERIF, size=12, italic=True
    )

    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 36
    for col in range(3, ncols + 1):
        ws.column_dimensions[get_column_letter(col)].width = 11.5
    for row in range(XLSX_HEAD_ROW, XLSX_HEAD_ROW + 3):
        ws.row_dimensions[row].height = 32
    ws.freeze_panes = ws.cell(first, 3)
    ws.print_title_rows = f"{XLSX_HEAD_ROW}:{first - 1}"
    ws.print_area = f"A1:{last}{end_row + 2}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ratings_sheet(wb.create_sheet("Mức độ hài lòng"), rating_figures(scope, start, end), bold)
    feedback_sheet(
        wb.create_sheet("Phản ánh, kiến nghị"), feedback_figures(scope, start, end), bold
    )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def ratings_sheet(ws, figures: RatingFigures, bold) -> None:
    """The ratings of the period's dossiers: the whole, then by official, field, procedure
    (docs/ratings.md); one row each, the count at every level and the satisfied share."""
    head = ["", "Lượt đánh giá", *LEVELS.values(), "Tỷ lệ hài lòng (%)"]
    sections = [
        ("Tổng cộng", [("Tất cả hồ sơ tiếp nhận trong kỳ", figures.total)]),
        ("Theo cán bộ giải quyết", figures.by_official),
        ("Theo lĩnh vực", figures.by_field),
        ("Theo thủ tục", figures.by_procedure),
    ]
    row = 1
    for title, rows in sections:
        ws.cell(row, 1, title).font = bold
        for col, text in enumerate(head[1:], 2):
            ws.cell(row, col, text).font = bold
        for name, summary in rows:
            row += 1
            ws.cell(row, 1, safe_cell(name or "—"))
            ws.cell(row, 2, summary.count)
            for col, level in enumerate(LEVELS, 3):
                ws.cell(row, col, summary.by_level[level])
            share = summary.satisfied_share
            if share is not None:
                ws.cell(row, 3 + len(LEVELS), round(share * 100, 1)).number_format = "0.0"
        row += 2
    ws.column_dimensions["A"].width = 48


def feedback_sheet(ws, f: FeedbackFigures, bold) -> None:
    """The period's feedback: the counts of 766 5.1-5.3 and the split by subject."""
    n = f.figures
    rows = [
        ("Phản ánh, kiến nghị tiếp nhận trong kỳ", n.total),
        ("Đã phân loại", n.classified),
        ("Xử lý đúng hạn", n.on_time),
        ("Quá hạn", n.late),
        ("Người gửi không hài lòng với kết quả", n.unsatisfied),
        ("Bị phản ánh lại", n.repeated),
        ("Hài lòng (766, chỉ số 5.3: không quá hạn, không bị chê, không bị nhắc lại)", n.satisfied),
        ("Đang xử lý", f.open),
    ]
    ws.cell(1, 1, "Chỉ tiêu").font = bold
    ws.cell(1, 2, "Số phản ánh").font = bold
    for i, (label, value) in enumerate(rows, 2):
        ws.cell(i, 1, label)
        ws.cell(i, 2, value)
    row = len(rows) + 3
    ws.cell(row, 1, "Theo nội dung").font = bold
    for label, value in f.by_about:
        row += 1
        ws.cell(row, 1, label)
        ws.cell(row, 2, value)
    ws.column_dimensions["A"].width = 70


# --- DOCX -------------------------------------------------------------------------------------


# --- PDF --------------------------------------------------------------------------------------


def report_pdf(doc: Document) -> bytes:
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string("reports/document/report.html", {"doc": doc})
    return HTML(string=html, base_url=".").write_pdf()


def render(fmt: str, unit_code: str, scope: Scope, start: date, end: date, view: str) -> bytes:
    if fmt == "csv":
        return report_csv(scope, start, end, view)
    unit = Unit.objects.select_related("province").filter(code=unit_code).first()
    if unit is None:
        raise ValueError(f"Không có đơn vị hành chính mã {unit_code}.")
    if fmt == "xlsx":
        return report_xlsx(unit, scope, start, end, view)
    if fmt in ("docx", "pdf"):
        # the drafted report always writes the cohort figures and the flow table, as the seed
        document = drafting.draft_document(unit, scope, start, end)
        return report_docx(document) if fmt == "docx" else report_pdf(document)
    raise ValueError(f"Chưa hỗ trợ định dạng {fmt}.")
