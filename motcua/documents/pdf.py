"""PDF rendering: HTML/CSS templates → PDF with WeasyPrint, and QR codes with segno."""

from __future__ import annotations

import io

from django.template.loader import render_to_string


def qr_svg(data: str, scale: int = 3) -> str:
    """An inline SVG QR code (no external file, so the PDF carries it)."""
    import segno

    buffer = io.BytesIO()
    segno.make(data, error="m").save(
        buffer, kind="svg", scale=scale, border=1, xmldecl=False, svgns=True, nl=False
    )
    return buffer.getvalue().decode()


def render_pdf(template: str, context: dict) -> bytes:
    """Render a Django template to PDF bytes (fonts: Liberation Serif, as Times New Roman)."""
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=".").write_pdf()
