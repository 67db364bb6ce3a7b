"""The drafted report as a Word file, in the layout of Nghị định 30/2020/NĐ-CP (Phụ lục I):
the page, the heading block (issuer | national motto, number | place and date), the title, the
body with its tables, the recipients beside the signer, and the appendix table on a new page.

What the report says is built in :mod:`motcua.reports.drafting`; here it is only laid out.
"""

from __future__ import annotations

import io

from docx import Document as Word
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from motcua.reports.drafting import Document, Table, head_grid

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
CENTER = WD_ALIGN_PARAGRAPH.CENTER


def report_docx(doc: Document) -> bytes:
    """The drafted report as a Word file (Nghị định 30/2020 layout)."""
    word = new_page()
    heading(word, doc)
    closing = body(word, doc)
    signature(word, doc, closing)
    appendix(word, doc)
    props = word.core_properties
    props.title = f"{doc.title} {doc.subtitle}"
    props.author = doc.issuer[-1].title()
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def new_page():
    """An A4 document: margins, the 14 pt serif body, page numbers from page 2."""
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
    return word


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


def heading(word, doc: Document) -> None:
    """Issuer | national motto; number | place and date; the title; to whom."""
    head = word.add_table(rows=2, cols=2)
    no_borders(head)
    widths(head, [62, 103])
    left, right = head.cell(0, 0), head.cell(0, 1)
    left.paragraphs[0].text = ""
    for i, line in enumerate(doc.issuer):
        p = left.paragraphs[0] if i == 0 else left.add_paragraph()
        p.alignment = CENTER
        r = p.add_run(line)
        r.bold = i == len(doc.issuer) - 1
        r.font.size = Pt(13)
    rule(left, 62 - 3.8, 20)
    p = right.paragraphs[0]
    p.alignment = CENTER
    r = p.add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    r.bold, r.font.size = True, Pt(13)
    para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, align=CENTER)
    rule(right, 103 - 3.8, 60)
    p = head.cell(1, 0).paragraphs[0]
    p.alignment = CENTER
    p.add_run(doc.number).font.size = Pt(13)
    p = head.cell(1, 1).paragraphs[0]
    p.alignment = CENTER
    p.paragraph_format.space_before = Pt(4)
    r = p.add_run(doc.place_date)
    r.italic = True

    p = para(word, doc.title, bold=True, align=CENTER)
    p.paragraph_format.space_before = Pt(18)
    para(word, doc.subtitle, bold=True, align=CENTER)
    rule(word, 165, 40)
    if doc.recipient:
        p = para(word, f"Kính gửi: {doc.recipient}.", align=CENTER)
        p.paragraph_format.space_before = Pt(6)
        p.paragraph_format.space_after = Pt(10)


def grid(word, table_spec: Table):
    """A bordered table, its heading rows repeated on every page."""
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
        write(target, cell.text, bold=not numbered, italic=numbered, align=CENTER)
    for i in range(nhead):
        tr_pr = t.rows[i]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        tr_pr.append(repeat)
    last = len(table_spec.rows) - 1
    aligns = {"center": CENTER, "num": WD_ALIGN_PARAGRAPH.RIGHT, "": WD_ALIGN_PARAGRAPH.LEFT}
    for i, values in enumerate(table_spec.rows):
        total = table_spec.bold_last and i == last
        for c, value in enumerate(values):
            align = aligns[table_spec.align(c)]
            if total and c == 1:
                align = CENTER
            write(t.cell(nhead + i, c), value, bold=total, align=align)
    widths(t, table_spec.widths_mm)
    return t


def body(word, doc: Document):
    """The report's paragraphs and tables; returns the last paragraph (kept with the signer)."""
    closing = None
    for block in doc.body:
        if block.kind == "table":
            grid(word, block.table)
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
    return closing


def signature(word, doc: Document, closing) -> None:
    """Recipients | signer, never split from the closing paragraph."""
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
        p.alignment = CENTER
        p.add_run(line).bold = True
    for _ in range(4):
        cell.add_paragraph()
    p = cell.add_paragraph()
    p.alignment = CENTER
    p.add_run(doc.signer_name).bold = True


def appendix(word, doc: Document) -> None:
    """The appendix table on a new page."""
    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    para(word, doc.appendix_title, bold=True, align=CENTER)
    para(word, doc.appendix_subtitle, bold=True, align=CENTER)
    p = para(word, doc.appendix_note, italic=True, align=CENTER)
    p.paragraph_format.space_after = Pt(10)
    grid(word, doc.appendix_table)
