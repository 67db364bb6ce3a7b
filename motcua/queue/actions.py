"""Taking, calling and finishing queue numbers. A ticket is not a legal record: no audit row,
but every step is one transaction, and two officials calling at once never get the same ticket
(the oldest waiting row is taken under its lock, others skip it)."""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from motcua.accounts.models import User
from motcua.core.localtime import local_day
from motcua.core.queue import QueueError, Status, ticket_number
from motcua.counters import take_next
from motcua.queue.models import QueueSequence, QueueTicket
from motcua.units.access import OFFICIAL_ROLES
from motcua.units.models import Unit


def take_ticket(unit: Unit, counter=None) -> QueueTicket:
    """A number for ``counter`` (a ServiceCounter of the unit) or for any counter (None)."""
    if counter is not None and counter.unit_id != unit.code:
        raise QueueError("Quầy không thuộc Bộ phận Một cửa này.")
    with transaction.atomic():
        now = timezone.now()
        day = local_day(now)
        number = counter.number if counter is not None else 0
        sequence = take_next(
            QueueSequence._meta.db_table,
            ("unit_code", "day", "counter_number"),
            (unit.code, day, number),
        )
        return QueueTicket.objects.create(
            unit=unit,
            day=day,
            counter=counter,
            number=ticket_number(number, sequence),
            taken_at=now,
        )


def check_caller(user: User, unit: Unit) -> None:
    if not (user.is_authenticated and user.unit_id == unit.code and user.has_role(*OFFICIAL_ROLES)):
        raise QueueError("Chỉ cán bộ của xã mới gọi số.", "role_required")


def current_ticket(user: User) -> QueueTicket | None:
    return (
        QueueTicket.objects.filter(called_by=user, status=Status.CALLED, day=timezone.localdate())
        .select_related("counter")
        .first()
    )


def call_next(user: User, unit: Unit, counter_ids: list | None, called_to: str) -> QueueTicket:
    """The oldest waiting ticket of today for ``counter_ids`` (the tickets for any counter
    always count; None: every counter), called to ``called_to``. The ticket the official was
    serving is served now."""
    check_caller(user, unit)
    with transaction.atomic():
        now = timezone.now()
        QueueTicket.objects.filter(called_by=user, status=Status.CALLED).update(
            status=Status.SERVED, served_at=now
        )
        waiting = QueueTicket.objects.filter(
            unit=unit, day=local_day(now), status=Status.WAITING
        ).order_by("taken_at", "number")
        if counter_ids is not None:
            waiting = waiting.filter(Q(counter__in=counter_ids) | Q(counter__isnull=True))
        lock = waiting.select_for_update(
            skip_locked=connection.features.has_select_for_update_skip_locked
        )
        ticket = lock.first()
        if ticket is None:
            raise QueueError("Không còn ai chờ ở quầy của bạn.", "queue_empty")
        ticket.status, ticket.called_at, ticket.called_by = Status.CALLED, now, user
        ticket.called_to = called_to[:120]
        ticket.save(update_fields=["status", "called_at", "called_by", "called_to"])
    return ticket


def finish_ticket(user: User, unit: Unit, absent: bool = False) -> QueueTicket:
    """The official's current ticket served — or absent, when nobody came to the call."""
    check_caller(user, unit)
    with transaction.atomic():
        ticket = (
            QueueTicket.objects.select_for_update()
            .filter(called_by=user, status=Status.CALLED)
            .first()
        )
        if ticket is None:
            raise QueueError("Bạn không đang phục vụ số nào.", "queue_empty")
        ticket.status = Status.ABSENT if absent else Status.SERVED
        ticket.served_at = timezone.now()
        ticket.save(update_fields=["status", "served_at"])
    return ticket
