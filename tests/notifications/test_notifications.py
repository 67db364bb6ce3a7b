"""Notifications go out after commit through a real SMTP server on loopback (aiosmtpd)."""

import socket
import time
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from django.core.management import call_command

from motcua.notifications.models import Notification
from motcua.notifications.sms import LoopbackFakeSmsBackend
from motcua.workflow import actions
from tests.dossiers.conftest import intake

pytestmark = pytest.mark.django_db


class Collect(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    handler = Collect()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.port = port
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.MOTCUA_SMS_BACKEND = "motcua.notifications.sms.LoopbackFakeSmsBackend"
    LoopbackFakeSmsBackend.outbox.clear()
    yield handler
    controller.stop()


def wait_for(predicate, seconds=5.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not predicate():
        time.sleep(0.05)
    return predicate()


def test_receipt_is_mailed_and_texted_after_commit(staff, smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        draft = actions.create_draft(staff.specialist, staff.binh_thanh.desk, intake())
        d = actions.perform(draft.pk, staff.specialist, "receive")
        assert not smtp.messages  # nothing leaves before the commit
    assert len(callbacks) == 1  # one task sends the e-mail and the SMS of the change
    assert wait_for(lambda: len(smtp.messages) == 1)
    message = smtp.messages[0]
    assert message["To"] == "an@example.vn"
    subject = str(make_header(decode_header(message["Subject"])))
    assert subject == f"Hồ sơ {d.code} đã được tiếp nhận"
    body = message.get_payload(decode=True).decode("utf-8")
    assert "Hẹn trả kết quả" in body and "/tra-cuu/" in body
    assert LoopbackFakeSmsBackend.outbox[0][0] == "0912345678"
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}


def test_a_failing_channel_never_blocks_the_desk_and_is_kept_for_retry(
    staff, smtp, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_PORT = free_port()  # nobody listens there
    data = intake()
    data.applicant.phone = "0912345000"  # the fake gateway refuses it
    with django_capture_on_commit_callbacks(execute=True):
        draft = actions.create_draft(staff.specialist, staff.binh_thanh.desk, data)
        d = actions.perform(draft.pk, staff.specialist, "receive")
    d.refresh_from_db()
    assert d.state == "received"  # the desk action went through
    failed = Notification.objects.filter(status="failed")
    assert failed.count() == 2 and all(n.attempts == 1 and n.last_error for n in failed)
    # the retry command sends what it can once the mail server is back
    settings.EMAIL_PORT = smtp.port
    call_command("send-notifications")
    assert wait_for(lambda: len(smtp.messages) == 1)
    statuses = dict(Notification.objects.values_list("channel", "status"))
    assert statuses == {"email": "sent", "sms": "failed"}
    assert Notification.objects.get(channel="sms").attempts == 2


def test_every_message_carries_the_tracking_link_even_a_long_sms(staff):
    """A long supplement request is cut in the SMS, never its link (a closed tab must not lose
    the dossier)."""
    from motcua.dossiers.queries import tracking_url
    from motcua.notifications.actions import message_for, sms_text

    draft = actions.create_draft(staff.specialist, staff.binh_thanh.desk, intake())
    d = actions.perform(draft.pk, staff.specialist, "receive")
    link = tracking_url(d)
    for action in ("receive", "request_supplement", "apologize", "issue", "return_result"):
        _, body = message_for(d, action, "Bản sao giấy tờ tùy thân có chứng thực " * 20)
        assert body.endswith(f"Tra cứu: {link}")
        sms = sms_text(body)
        assert len(sms) <= 300 and sms.endswith(f"Tra cứu: {link}")
    _, issued = message_for(d, "issue", "")
    assert "Mời ông/bà đến nhận kết quả tại Bộ phận Một cửa" in issued  # no electronic result
    d.result_digitised = True
    _, issued = message_for(d, "issue", "")
    assert "tải văn bản kết quả điện tử" in issued and "bản giấy nhận tại" in issued


def test_with_the_database_queue_the_sending_task_commits_or_rolls_back_with_the_change(
    staff, settings
):
    """Production queues in the database: the task row is written in the dossier's own
    transaction, so a crash after the commit cannot lose it and a rollback leaves none."""
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "motcua.background.TaskBackend"}}
    d = actions.receive_dossier(staff.specialist, staff.binh_thanh.desk, intake())
    task = DBTaskResult.objects.get()
    sent = sorted(
        str(pk) for pk in Notification.objects.filter(dossier=d).values_list("pk", flat=True)
    )
    assert (
        task.task_path.endswith("send_notifications")
        and sorted(task.args_kwargs["args"][0]) == sent
    )

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        actions.receive_dossier(staff.specialist, staff.binh_thanh.desk, intake())
        raise Abort
    assert DBTaskResult.objects.count() == 1 and Notification.objects.count() == len(sent)
