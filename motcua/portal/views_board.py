"""The disclosure board (niêm yết): the commune's procedures, fees and times, and how to reach
the desk, built from the catalogue and the desk's own settings (issue 14, item 3).

``/niem-yet/`` is the page and ``/niem-yet/ban-in.pdf`` its A4 pages for the wall; ``?tv=1`` is
the TV on the desk's wall: full screen, large type, its pages turning by themselves
(``static/motcua/board.js``, no inline script)."""

from __future__ import annotations

from itertools import groupby

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.core import official
from motcua.documents.pdf import render_pdf
from motcua.portal.context import home_desk

# on the TV: how many procedures a page holds, and how long it stays (seconds)
TV_ROWS = 8
TV_SECONDS = 15


def board_procedures():
    """The commune's active procedures, by field then code, with their current version."""
    return (
        Procedure.objects.filter(
            is_active=True, current_version__level=ProcedureVersion.Level.COMMUNE
        )
        .select_related("current_version__field")
        .order_by("current_version__field__name", "code")
    )


def by_field(procedures) -> list:
    return [
        (field, list(items))
        for field, items in groupby(procedures, key=lambda p: p.current_version.field.name)
    ]


def poster(request):
    """The board as A4 pages to print and pin on the wall (PDF)."""
    procedures = list(board_procedures())
    desk = home_desk()
    pdf = render_pdf(
        "portal/board_poster.html",
        {
            "by_field": by_field(procedures),
            "count": len(procedures),
            "desk": desk,
            "issuer": " ".join(official.issuer_lines(desk.unit.name, desk.unit.division_type))
            if desk
            else "",
            "today": timezone.localdate(),
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="niem-yet-thu-tuc-hanh-chinh.pdf"'
    return response


def board(request):
    procedures = list(board_procedures())
    fields = by_field(procedures)
    tv = request.GET.get("tv") == "1"
    seconds = request.GET.get("giay", "")  # the desk may set the turn: ?giay=20 (2–300 s)
    seconds = int(seconds) if seconds.isdigit() and 2 <= int(seconds) <= 300 else TV_SECONDS
    pages = []
    if tv:  # each page: one field's procedures, TV_ROWS at most (a long field: several pages)
        for field, items in fields:
            for start in range(0, len(items), TV_ROWS):
                pages.append((field, items[start : start + TV_ROWS], start // TV_ROWS + 1))
    return render(
        request,
        "portal/board_tv.html" if tv else "portal/board.html",
        {
            "by_field": fields,
            "count": len(procedures),
            "pages": pages,
            "seconds": seconds,
        },
    )
