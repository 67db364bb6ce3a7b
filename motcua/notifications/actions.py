"""Queue notifications to the applicant in the dossier's transaction; send them after commit."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from motcua.dossiers.models import Dossier
from motcua.notifications.models import Notification
from motcua.notifications.sms import sms_backend

MAX_ATTEMPTS = 6
SUBJECTS = {
    "receive": "Hồ sơ {code} đã được tiếp nhận",
    "request_completion": "Hồ sơ của ông/bà cần bổ sung, hoàn thiện",
    "request_supplement": "Hồ sơ {code} cần bổ sung",
    "apologize": "Xin lỗi và hẹn lại ngày trả kết quả hồ sơ {code}",
    "issue": "Hồ sơ {code} đã có kết quả",
    "return_result": "Hồ sơ {code} đã trả kết quả",
}


def message_for(dossier: Dossier, action: str, note: str) -> tuple[str, str]:
    from motcua.documents.slips import tracking_url

    code = dossier.code or "(chưa có mã)"
    due = (
        timezone.localtime(dossier.due_at).strftime("%H:%M ngày %d/%m/%Y") if dossier.due_at else ""
    )
    subject = SUBJECTS[action].format(code=code)
    lines = {
        "receive": f"Hồ sơ {dossier.procedure_version.name} đã được tiếp nhận, mã {code}. "
        f"Hẹn trả kết quả: {due}.",
        "request_completion": (
            f"Hồ sơ {dossier.procedure_version.name} chưa đủ. Cần bổ sung: {note}."
        ),
        "request_supplement": f"Hồ sơ {code} cần bổ sung: {note}. Thời gian chờ bổ sung không "
        "tính vào thời hạn giải quyết.",
        "apologize": f"Hồ sơ {code} chưa thể trả đúng hẹn. Lý do: {note}. Chúng tôi xin lỗi và "
        f"hẹn trả kết quả vào {due}.",
        "issue": f"Hồ sơ {code} đã có kết quả. Mời ông/bà đến nhận kết quả (mang theo giấy hẹn).",
        "return_result": f"Hồ sơ {code} đã trả kết quả. Cảm ơn ông/bà.",
    }
    body = f"{lines[action]}\nTra cứu: {tracking_url(dossier)}"
    return subject, body


def queue_for_action(dossier: Dossier, action: str, note: str = "") -> list[Notification]:
    """Write the outbox rows (inside the caller's transaction) and send after commit."""
    if action not in SUBJECTS:
        return []
    subject, body = message_for(dossier, action, note)
    rows = []
    if dossier.applicant_email:
        rows.append(
            Notification(
                dossier=dossier,
                unit_id=dossier.unit_id,
                kind=action,
                channel=Notification.Channel.EMAIL,
                recipient=dossier.applicant_email,
                subject=subject,
                body=body,
            )
        )
    if dossier.applicant_phone:
        rows.append(
            Notification(
                dossier=dossier,
                unit_id=dossier.unit_id,
                kind=action,
                channel=Notification.Channel.SMS,
                recipient=dossier.applicant_phone,
                subject=subject,
                body=body[:300],
            )
        )
    Notification.objects.bulk_create(rows)
    for row in rows:
        transaction.on_commit(lambda pk=row.pk: enqueue(pk))
    return rows


def enqueue(pk, delay: timedelta | None = None) -> None:
    from motcua.notifications.tasks import send_notification

    task = send_notification
    if delay:
        task = task.using(run_after=timezone.now() + delay)
    task.enqueue(str(pk))


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
