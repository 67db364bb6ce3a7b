"""Sending the notification outbox (background worker: ``motcua db_worker``)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from motcua.background import enqueue_with_change
from motcua.notifications.models import Notification
from motcua.notifications.sms import sms_backend

MAX_ATTEMPTS = 6


@task()
def send_notification(pk: str) -> str:
    """Send one queued notification (a retry)."""
    return deliver(pk).status


@task()
def send_notifications(pks: list[str]) -> list[str]:
    """Send the notifications one change queued (one task for the e-mail and the SMS)."""
    return [deliver(pk).status for pk in pks]


def enqueue(pk, delay: timedelta | None = None) -> None:
    """Queue one notification for the worker (a retry after ``delay``)."""
    task = send_notification
    if delay:
        task = task.using(run_after=timezone.now() + delay)
    task.enqueue(str(pk))


def enqueue_all(pks: list) -> None:
    """Queue the notifications of one change together, with the change (one task)."""
    if pks:
        enqueue_with_change(send_notifications, [str(pk) for pk in pks])


def deliver(pk) -> Notification:
    """Send one notification; on failure record it and schedule a retry with back-off."""
    row = Notification.objects.get(pk=pk)
    if row.status == Notification.Status.SENT:
        return row
    row.attempts += 1
    try:
        if row.channel == Notification.Channel.EMAIL:
            send_mail(row.subject, row.body, settings.DEFAULT_FROM_EMAIL, [row.recipient])
        else:
            sms_backend().send(row.recipient, row.body)
    except Exception as exc:  # any transport error: keep it, retry later
        row.status = Notification.Status.FAILED
        row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        row.save(update_fields=["status", "attempts", "last_error"])
        if row.attempts < MAX_ATTEMPTS and settings.MOTCUA_NOTIFY_RETRY:
            enqueue(row.pk, delay=timedelta(minutes=2**row.attempts))
        return row
    row.status = Notification.Status.SENT
    row.sent_at = timezone.now()
    row.last_error = ""
    row.save(update_fields=["status", "attempts", "sent_at", "last_error"])
    return row
