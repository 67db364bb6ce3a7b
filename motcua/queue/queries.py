"""Reads of the queue: what waits, what the TV calls, the period's times."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Count

from motcua.core.queue import Status, Times, times
from motcua.queue.models import QueueTicket


def today_tickets(unit_id: str, day: date):
    return QueueTicket.objects.filter(unit_id=unit_id, day=day)


def waiting_by_counter(unit_id: str, day: date) -> dict[int | None, int]:
    rows = (
        today_tickets(unit_id, day)
        .filter(status=Status.WAITING)
        .values("counter")
        .annotate(n=Count("pk"))
    )
    return {r["counter"]: r["n"] for r in rows}


def ahead_of(ticket: QueueTicket) -> int:
    """Tickets of the same counter (or any counter) taken before it and still waiting."""
    qs = today_tickets(ticket.unit_id, ticket.day).filter(
        status=Status.WAITING, taken_at__lt=ticket.taken_at
    )
    return qs.filter(counter=ticket.counter).count() if ticket.counter_id else qs.count()


def calls(unit_id: str, day: date, limit: int = 6) -> list[QueueTicket]:
    """The last called tickets, newest first (the TV)."""
    return list(
        today_tickets(unit_id, day).filter(called_at__isnull=False).order_by("-called_at")[:limit]
    )


def period_times(unit_codes, lo: datetime, hi: datetime) -> Times:
    rows = QueueTicket.objects.filter(
        unit_id__in=list(unit_codes), taken_at__gte=lo, taken_at__lt=hi
    ).values_list("status", "taken_at", "called_at", "served_at")
    return times(
        (
            Status(status),
            called - taken if called else None,
            served - called if served and called and status == Status.SERVED else None,
        )
        for status, taken, called, served in rows
    )
