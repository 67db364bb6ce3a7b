"""Report files: CSV, XLSX of the official form, the drafted report as DOCX and PDF.

What the files say is built in :mod:`motcua.reports.drafting`; here it is only laid out.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from django.utils import timezone

from motcua.core import official
from motcua.core.statistics import Figures
from motcua.reports import drafting
from motcua.reports.drafting import Document, Table, day_vi, head_grid
from motcua.reports.queries import Scope, report, report_by_field
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

# WordprocessingML wants a property element's children in schema order (Word refuses the
# file otherwise): what may follow the borders in a paragraph's and a table's properties.
PPR_AFTER_BORDERS = (
    *("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap"),
    *("w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi"),
    *("w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing"),
    *("w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment"),
    *("w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr"),
    "w:pPrChange",
)
TBLPR_AFTER_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption")

SERIF = "Times New Roman"  # Liberation Serif stands in for it where it is not installed


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
            c = ws.cell(row, col, value if value != "" else None)
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
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- DOCX -------------------------------------------------------------------------------------


def report_docx(doc: Document) -> bytes:
    """The drafted report as a Word file (Nghị định 30/2020 layout)."""
    from docx import Document as Word
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    word = Word()
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    normal = word.styles["Normal"]
    normal.font.name, normal.font.size = SERIF, Pt(14)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), SERIF)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)

    # page numbers from page 2, top centre (Nghị định 30/2020, Phụ lục I)
    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    number._p.append(field)

    def para(container, value="", *, bold=False, italic=False, align=None):
        p = container.add_paragraph()
        if value:
            r = p.add_run(value)
            r.bold, r.italic = bold, italic
        if align is not None:
            p.alignment = align
        return p

    def rule(container, room_mm: float, line_mm: float) -> None:
        """A short solid line, centred, under the issuer, the motto and the title: the bottom
        border of an empty paragraph indented to the line's length."""
        p = container.add_paragraph()
        fmt = p.paragraph_format
        fmt.left_indent = fmt.right_indent = Mm((room_mm - line_mm) / 2)
        fmt.line_spacing = Pt(3)  # exactly: the line sits right under the text
        p.add_run().font.size = Pt(2)
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
            bottom.set(qn(f"w:{key}"), value)
        borders.append(bottom)
        p._p.get_or_add_pPr().insert_element_before(borders, *PPR_AFTER_BORDERS)

    def no_borders(table) -> None:
        borders = OxmlElement("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            el = OxmlElement(f"w:{edge}")
            el.set(qn("w:val"), "nil")
            borders.append(el)
        table._tbl.tblPr.insert_element_before(borders, *TBLPR_AFTER_BORDERS)

    def narrow_margins(table, mm: float) -> None:
        """Cell padding left and right (Word's default 1.9 mm breaks words in narrow columns)."""
        margins = OxmlElement("w:tblCellMar")
        for edge in ("left", "right"):
            el = OxmlElement(f"w:{edge}")
            el.set(qn("w:w"), str(round(mm * 56.7)))
            el.set(qn("w:type"), "dxa")
            margins.append(el)
        table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption")

    def widths(table, mm: list[float]) -> None:
        """Word reads the cells' widths, LibreOffice the grid's: set both."""
        table.autofit = False
        for i, width in enumerate(mm):
            table.columns[i].width = Mm(width)
            for cell in table.columns[i].cells:
                cell.width = Mm(width)

    center = WD_ALIGN_PARAGRAPH.CENTER

    # heading block: issuer | national motto; number | place and date
    head = word.add_table(rows=2, cols=2)
    no_borders(head)
    widths(head, [62, 103])
    left, right = head.cell(0, 0), head.cell(0, 1)
    left.paragraphs[0].text = ""
    for i, line in enumerate(doc.issuer):
        p = left.paragraphs[0] if i == 0 else left.add_paragraph()
        p.alignment = center
        r = p.add_run(line)
        r.bold = i == len(doc.issuer) - 1
        r.font.size = Pt(13)
    rule(left, 62 - 3.8, 20)
    p = right.paragraphs[0]
    p.alignment = center
    r = p.add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    r.bold, r.font.size = True, Pt(13)
    para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, align=center)
    rule(right, 103 - 3.8, 60)
    p = head.cell(1, 0).paragraphs[0]
    p.alignment = center
    p.add_run(doc.number).font.size = Pt(13)
    p = head.cell(1, 1).paragraphs[0]
    p.alignment = center
    p.paragraph_format.space_before = Pt(4)
    r = p.add_run(doc.place_date)
    r.italic = True

    p = para(word, doc.title, bold=True, align=center)
    p.paragraph_format.space_before = Pt(18)
    para(word, doc.subtitle, bold=True, align=center)
    rule(word, 165, 40)
    if doc.recipient:
        p = para(word, f"Kính gửi: {doc.recipient}.", align=center)
        p.paragraph_format.space_before = Pt(6)
        p.paragraph_format.space_after = Pt(10)

    def grid(table_spec: Table):
        ncols = len(table_spec.widths_mm)
        nhead = len(table_spec.head)
        t = word.add_table(rows=nhead + len(table_spec.rows), cols=ncols)
        t.style = word.styles["Table Grid"]
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        t.autofit = False
        narrow_margins(t, 0.8)
        size = Pt(table_spec.font_pt)

        def write(cell, value, *, bold=False, italic=False, align=None):
            p = cell.paragraphs[0]
            r = p.add_run(value)
            r.bold, r.italic, r.font.size = bold, italic, size
            p.alignment = align
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER

        for r, c, cell in head_grid(table_spec.head):
            target = t.cell(r, c)
            if cell.rowspan > 1 or cell.colspan > 1:
                target = target.merge(t.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
            numbered = cell.text.startswith("(") and cell.text.endswith(")")
            write(target, cell.text, bold=not numbered, italic=numbered, align=center)
        for i in range(nhead):
            tr_pr = t.rows[i]._tr.get_or_add_trPr()
            repeat = OxmlElement("w:tblHeader")
            repeat.set(qn("w:val"), "true")
            tr_pr.append(repeat)
        last = len(table_spec.rows) - 1
        aligns = {"center": center, "num": WD_ALIGN_PARAGRAPH.RIGHT, "": WD_ALIGN_PARAGRAPH.LEFT}
        for i, values in enumerate(table_spec.rows):
            total = table_spec.bold_last and i == last
            for c, value in enumerate(values):
                align = aligns[table_spec.align(c)]
                if total and c == 1:
                    align = center
                write(t.cell(nhead + i, c), value, bold=total, align=align)
        widths(t, table_spec.widths_mm)
        return t

    closing = None
    for block in doc.body:
        if block.kind == "table":
            grid(block.table)
            para(word, "").paragraph_format.space_after = Pt(2)
            continue
        p = para(
            word,
            block.text,
            bold=block.kind in ("heading", "subheading"),
            italic=block.kind == "subheading",
            align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        )
        p.paragraph_format.first_line_indent = Mm(10)
        p.paragraph_format.space_after = Pt(6)
        closing = p

    # recipients | signer
    foot = word.add_table(rows=1, cols=2)
    no_borders(foot)
    widths(foot, [85, 80])
    # the signature never stands alone on a page: the row does not split, and the closing
    # paragraph above it goes along
    foot.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    if closing is not None:
        closing.paragraph_format.keep_with_next = True
    cell = foot.cell(0, 0)
    r = cell.paragraphs[0].add_run("Nơi nhận:")
    r.bold, r.italic, r.font.size = True, True, Pt(12)
    for line in doc.recipients:
        p = cell.add_paragraph()
        p.add_run(line).font.size = Pt(11)
    cell = foot.cell(0, 1)
    for i, line in enumerate(doc.signer_lines):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        p.alignment = center
        p.add_run(line).bold = True
    for _ in range(4):
        cell.add_paragraph()
    p = cell.add_paragraph()
    p.alignment = center
    p.add_run(doc.signer_name).bold = True

    # appendix on a new page
    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    para(word, doc.appendix_title, bold=True, align=center)
    para(word, doc.appendix_subtitle, bold=True, align=center)
    p = para(word, doc.appendix_note, italic=True, align=center)
    p.paragraph_format.space_after = Pt(10)
    grid(doc.appendix_table)

    props = word.core_properties
    props.title = f"{doc.title} {doc.subtitle}"
    props.author = doc.issuer[-1].title()
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


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
