"""Sending the notification outbox (background worker: ``motcua worker``)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
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
    """Send one notification; on failure record it and schedule a retry with back-off.

    The row is claimed first (``sending``, committed, under its lock), then sent, then marked
    ``sent``. A worker killed in between leaves it ``sending``; its task is run again when the
    worker restarts (``motcua worker``), and the message goes out again with the same
    ``Message-ID`` (SMS: the same reference): at worst the one message the mail server accepted
    just before the kill arrives twice under one id, which mail systems keep once. Nothing is
    ever left unsent, and nothing is sent under two ids."""
    with transaction.atomic():
        row = Notification.objects.select_for_update().get(pk=pk)
        if row.status == Notification.Status.SENT:
            return row
        row.status = Notification.Status.SENDING
        row.attempts += 1
        row.last_attempt_at = timezone.now()
        row.save(update_fields=["status", "attempts", "last_attempt_at"])
    try:
        if row.channel == Notification.Channel.EMAIL:
            EmailMessage(
                row.subject,
                row.body,
                settings.DEFAULT_FROM_EMAIL,
                [row.recipient],
                headers={"Message-ID": row.message_id},
            ).send()
        else:
            sms_backend().send(row.recipient, row.body, reference=str(row.pk))
    except Exception as exc:  # any transport error: keep it, retry later
        row.status = Notification.Status.FAILED
        row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        row.save(update_fields=["status", "last_error"])
        if row.attempts < MAX_ATTEMPTS and settings.MOTCUA_NOTIFY_RETRY:
            enqueue(row.pk, delay=timedelta(minutes=2**row.attempts))
        return row
    row.status = Notification.Status.SENT
    row.sent_at = timezone.now()
    row.last_error = ""
    row.save(update_fields=["status", "sent_at", "last_error"])
    return row
