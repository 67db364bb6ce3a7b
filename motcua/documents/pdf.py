"""PDF rendering: HTML/CSS templates → PDF with WeasyPrint, and QR codes with segno.

Every slip and result is laid out with the same stylesheets (``documents/styles/*.css`` in the
templates, picked by the class of the document's ``<body>``) and the same fonts. Parsing those
and loading the fonts on each request was a large share of a slip's time, so they are made once
per thread and reused: the CSS objects and one ``FontConfiguration`` (the fontconfig set-up and
Pango's font map, whose fonts, glyph metrics and shaping caches then stay warm). One per
thread, not per process, because a Pango font map is not documented as safe to share between
threads; a gunicorn sync worker has one thread, so it is once per process there. Nothing of a
document is kept: each render parses its own HTML into a fresh tree (bench/bench_pdf.py
measures the gain).
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from django.template.loader import get_template, render_to_string
from django.utils.autoreload import file_changed

if TYPE_CHECKING:
    from weasyprint import CSS, Document
    from weasyprint.text.fonts import FontConfiguration

# Applied in this order to every document; the templates' <body class="slip …"> or
# <body class="result"> selects the rules of slips.css or results.css.
STYLESHEETS = (
    "documents/styles/base.css",
    "documents/styles/slips.css",
    "documents/styles/results.css",
)


class _Shared(threading.local):
    def __init__(self) -> None:
        self.generation = -1
        self.font_config: FontConfiguration | None = None
        self.stylesheets: list[CSS] = []


_shared = _Shared()
# Bumped when a stylesheet changes under runserver (templates are reloaded, not the process).
_generation = 0


def _on_file_changed(sender, file_path: Path, **kwargs) -> None:
    global _generation
    if file_path.suffix == ".css":
        _generation += 1


file_changed.connect(_on_file_changed, dispatch_uid="motcua.documents.pdf.styles")


def stylesheet_source(name: str) -> str:
    """A stylesheet's text, found like a template (so a deployment's templates can override
    it) but read as it is: CSS is not Django template syntax."""
    return Path(get_template(name).origin.name).read_text(encoding="utf-8")


def shared_styles() -> tuple[FontConfiguration, list[CSS]]:
    """This thread's font configuration and parsed stylesheets, made on first use."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    if _shared.font_config is None or _shared.generation != _generation:
        font_config = FontConfiguration()
        _shared.stylesheets = [
            CSS(string=stylesheet_source(name), base_url=".", font_config=font_config)
            for name in STYLESHEETS
        ]
        _shared.font_config = font_config
        _shared.generation = _generation
    return _shared.font_config, _shared.stylesheets


def qr_svg(data: str, scale: int = 3) -> str:
    """An inline SVG QR code (no external file, so the PDF carries it)."""
    import segno

    buffer = io.BytesIO()
    segno.make(data, error="m").save(
        buffer, kind="svg", scale=scale, border=1, xmldecl=False, svgns=True, nl=False
    )
    return buffer.getvalue().decode()


def qr_png(payload: str, scale: int = 8) -> bytes:
    """A PNG QR code of ``payload`` (a VietQR text, for the portal page and the desk screen):
    error level M, the 4-module quiet zone the QR standard asks for, ``scale`` pixels a module."""
    import segno

    buffer = io.BytesIO()
    segno.make(payload, error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def render_document(template: str | Sequence[str], context: dict) -> Document:
    """Lay out a Django template (or the first found of several) as a WeasyPrint document:
    its pages, with the boxes of their anchors, ready for ``write_pdf()``."""
    from weasyprint import HTML

    font_config, stylesheets = shared_styles()
    html = render_to_string(template, context)
    return HTML(string=html, base_url=".").render(font_config=font_config, stylesheets=stylesheets)


def render_pdf(template: str | Sequence[str], context: dict) -> bytes:
    """Render a Django template to PDF bytes (fonts: Liberation Serif, as Times New Roman)."""
    return render_document(template, context).write_pdf()
