"""Queue numbers for citizens (issue 14, item 5): /lay-so/ is the kiosk by the door (a button
per counter, with its fields and how many wait; the ticket printed on the 80 mm receipt
printer through the browser, or read on the screen); /lay-so/dang-goi/ is what the TV calls
(JSON, polled by the board's script)."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from motcua.core.errors import DomainError
from motcua.core.localtime import local
from motcua.portal.context import home_desk
from motcua.portal.ratelimit import blocked_until, count_failure
from motcua.queue import queries
from motcua.queue.actions import take_ticket
from motcua.roster.queries import counters

SCOPE, LIMIT, WINDOW = "queue_ticket", 300, 3600  # a busy kiosk prints a few hundred a day


def kiosk_context(desk, **extra) -> dict:
    today = timezone.localdate()
    waiting = queries.waiting_by_counter(desk.unit_id, today) if desk else {}
    rows = [(c, waiting.get(c.pk, 0)) for c in counters(desk.unit_id)] if desk else []
    return {"desk": desk, "rows": rows, "any_waiting": waiting.get(None, 0), **extra}


def kiosk(request):
    return render(request, "portal/queue_kiosk.html", kiosk_context(home_desk()))


@require_POST
def take(request):
    desk = home_desk()
    if desk is None:
        return render(
            request, "portal/queue_kiosk.html", {"error": "Chưa có Bộ phận Một cửa."}, status=400
        )
    until = blocked_until(request, SCOPE, limit=LIMIT, window=WINDOW)
    if until is not None:
        return render(
            request,
            "portal/queue_kiosk.html",
            kiosk_context(desk, error="Máy này đã lấy quá nhiều số; xin hỏi cán bộ tại quầy."),
            status=429,
        )
    chosen = request.POST.get("quay", "")
    counter = None
    if chosen:
        counter = counters(desk.unit_id).filter(pk=chosen if chosen.isdigit() else 0).first()
        if counter is None:
            return render(
                request,
                "portal/queue_kiosk.html",
                kiosk_context(desk, error="Không có quầy này; xin chọn lại."),
                status=400,
            )
    try:
        ticket = take_ticket(desk.unit, counter)
    except DomainError as exc:
        return render(
            request,
            "portal/queue_kiosk.html",
            kiosk_context(desk, error=exc.message),
            status=exc.status,
        )
    count_failure(request, SCOPE, window=WINDOW)
    return render(
        request,
        "portal/queue_ticket.html",
        {
            "desk": desk,
            "ticket": ticket,
            "ahead": queries.ahead_of(ticket),
            "taken": local(ticket.taken_at),
        },
    )


def calling(request):
    """The numbers called last (newest first) and how many wait, for the TV."""
    desk = home_desk()
    if desk is None:
        return JsonResponse({"calls": [], "waiting": 0})
    today = timezone.localdate()
    return JsonResponse(
        {
            "calls": [
                {"number": t.number, "to": t.called_to, "at": f"{local(t.called_at):%H:%M}"}
                for t in queries.calls(desk.unit_id, today)
            ],
            "waiting": sum(queries.waiting_by_counter(desk.unit_id, today).values()),
        }
    )
