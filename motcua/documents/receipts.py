"""Biên lai điện tử as documents: the receipt's PDF (``documents/receipt.html``, the slips'
layout and fonts), its signature with the unit's seal certificate, and the day's summary to
the tax authority (Mẫu 01/TH-BLĐT) as XLSX and XML. The rules and the content are in
:mod:`motcua.core.receipts`; a cancelled receipt is a record there, its PDF is never
rendered again."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from xml.etree import ElementTree

from motcua.core import official
from motcua.core.fees import KIND_LABELS
from motcua.core.localtime import local
from motcua.core.receipts import (
    PAYMENT_LABELS,
    SUMMARY_COLUMNS,
    ReceiptData,
    amount_in_words,
    check_receipt,
    replacement_text,
    summary_total,
)
from motcua.documents import signing
from motcua.documents.pdf import qr_svg, render_document
from motcua.documents.stamps import font_dir, local_stamp_time
from motcua.tabular import write_table

RECEIPT_FIELD = "ToChucThuKySo"
SIGNATURE_ANCHOR = "ky-so"  # the element of receipt.html the seal's stamp covers
CSS_PX = 0.75  # WeasyPrint lays out in CSS pixels (1/96 in); PDF points are 1/72 in
# Where the stamp goes if a deployment's template has no #ky-so: bottom right, in the margins.
FALLBACK_PLACEMENT = signing.Placement(box=(345, 60, 550, 122))


def receipt_context(data: ReceiptData) -> dict:
    """What ``documents/receipt.html`` prints of ``data``."""
    issued = local(data.issued_at)
    return {
        "r": data,
        "issued": issued,
        "issued_words": official.date_words(issued.date()).capitalize(),
        "kind": KIND_LABELS[data.fee_kind],
        "payment": PAYMENT_LABELS[data.payment_method],
        "words": amount_in_words(data.total),
        "replaces": replacement_text(data.replaces) if data.replaces else "",
        "qr": qr_svg(data.verify_url),
    }


def _anchor_box(document, anchor: str) -> tuple[int, tuple[float, float, float, float]] | None:
    """The page and PDF box (points from the bottom left) of the element ``#anchor``."""
    for index, page in enumerate(document.pages):
        if anchor in page.anchors:
            height = page.height * CSS_PX
            x1, y1, x2, y2 = (v * CSS_PX for v in page.anchors[anchor])
            return index, (x1, height - y2, x2, height - y1)
    return None


def receipt_pdf(data: ReceiptData) -> bytes:
    """The receipt as PDF, with an empty signature field where the seal's stamp goes; checked
    first (:func:`motcua.core.receipts.check_receipt`)."""
    check_receipt(data)
    document = render_document("documents/receipt.html", receipt_context(data))
    pdf = document.write_pdf()
    box = _anchor_box(document, SIGNATURE_ANCHOR)
    return signing.with_signature_fields(pdf, {RECEIPT_FIELD: box}) if box else pdf


def sign_receipt(pdf: bytes, signer: signing.Signer, *, now: datetime | None = None) -> bytes:
    """The receipt signed with the collecting unit's seal certificate (NĐ 254/2026 Art. 23
    k2: the collecting organisation's digital signature), its one visible stamp in the
    receipt's signature box."""
    now = now or datetime.now(UTC)
    return signing.sign_pdf(
        pdf,
        signer,
        field_name=RECEIPT_FIELD,
        stamp_lines=[
            "Biên lai đã được ký số",
            f"Ký bởi: {signer.info.subject}",
            f"Thời gian ký: {local_stamp_time(now)}",
        ],
        font_dir=font_dir(),
        placement=FALLBACK_PLACEMENT,
        reason="Lập biên lai điện tử thu phí, lệ phí",
        location=signer.info.organisation,
    )


# --- the day's summary ---------------------------------------------------------------------


def _cell(value):
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return value


def summary_xlsx(rows: Sequence[dict]) -> bytes:
    """The day's summary (:func:`motcua.core.receipts.daily_summary`) as a workbook: one
    line per row of the summary, then the day's total (cancelled and replaced receipts not
    counted); amounts are numbers shown with thousands separators, days dd/mm/yyyy."""
    from openpyxl import load_workbook
    from openpyxl.styles import Font

    table = [[_cell(row[key]) for key in SUMMARY_COLUMNS] for row in rows]
    amount_column = list(SUMMARY_COLUMNS).index("amount")
    total = [""] * len(SUMMARY_COLUMNS)
    total[1] = "Tổng cộng (không tính biên lai huỷ, bị thay thế)"
    total[amount_column] = summary_total(rows)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "tong-hop.xlsx"
        write_table(path, list(SUMMARY_COLUMNS.values()), [*table, total], sheet_title="Tổng hợp")
        workbook = load_workbook(path)
    sheet = workbook.active
    letter = sheet.cell(row=1, column=amount_column + 1).column_letter
    for cell in sheet[letter][1:]:
        cell.number_format = "#,##0"
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# Tags of the XML, after the short names of the e-invoice's XML (KHMSHDon, KHHDon, NLap …).
# The tax authority's own schema for this summary is not read yet: this is our layout, to be
# mapped onto it (docs/fees.md).
XML_TAGS = {
    "stt": "STT",
    "form_symbol": "KHMSBLai",
    "series": "KHBLai",
    "from_number": "TuSo",
    "to_number": "DenSo",
    "count": "SLuong",
    "issued_on": "NLap",
    "fee_name": "TLPhi",
    "fee_kind": "LPhi",
    "amount": "STien",
    "status": "TThai",
    "note": "GChu",
}


def summary_xml(rows: Sequence[dict], unit_tax_code: str, day: date) -> bytes:
    """The day's summary as UTF-8 XML: the form (01/TH-BLĐT), the unit's tax code, the day
    (ISO 8601), each row, and the day's total. Days are ISO in the XML (machine data); the
    texts are NFC as the rows carry them."""
    root = ElementTree.Element("BTHDLBLai")
    head = ElementTree.SubElement(root, "TTChung")
    for tag, value in (
        ("MSo", "01/TH-BLĐT"),
        ("Ten", "Bảng tổng hợp dữ liệu biên lai điện tử"),
        ("MST", unit_tax_code),
        ("NDLieu", day.isoformat()),
        ("SDong", str(len(rows))),
        ("TgTien", str(summary_total(rows))),
    ):
        ElementTree.SubElement(head, tag).text = value
    body = ElementTree.SubElement(root, "DSBLai")
    for row in rows:
        line = ElementTree.SubElement(body, "BLai")
        for key, tag in XML_TAGS.items():
            value = row[key]
            text = value.isoformat() if isinstance(value, date) else str(value)
            ElementTree.SubElement(line, tag).text = text
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
