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
from motcua.core.roster import Part
from motcua.documents.pdf import render_pdf
from motcua.payments.models import PaymentSettings
from motcua.payments.receipts import series_for
from motcua.portal.context import home_desk
from motcua.roster.queries import field_names, shifts_between

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


def todays_roster(desk) -> list:
    """Today's shifts at the desk, each with its fields' names (the board's "lịch trực hôm
    nay"); a member receiving at their own office shows where to go."""
    if desk is None:
        return []
    today = timezone.localdate()
    order = {Part.MORNING: 0, Part.DAY: 1, Part.AFTERNOON: 2}
    shifts = sorted(shifts_between(desk.unit_id, today, today), key=lambda s: order[s.part])
    return [(s, field_names(s)) for s in shifts]


def fees_notice(desk) -> dict | None:
    """What the board says of the fees when the desk collects them with e-receipts: who
    collects, the receipt's form and this year's symbol, and the delegation notice the
    collection point must post (NĐ 254/2026/NĐ-CP Art. 25; docs/fees.md)."""
    if desk is None:
        return None
    config = PaymentSettings.objects.filter(unit_id=desk.unit_id).first()
    if config is None or not (config.receipt_form_symbol and config.receipt_series):
        return None
    return {
        "config": config,
        "series": series_for(config, timezone.localdate().year),
    }


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
            "roster": todays_roster(home_desk()),
            "fees_notice": fees_notice(home_desk()),
            "today": timezone.localdate(),
        },
    )
