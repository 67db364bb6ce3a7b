"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives: the one-time code
travels as it would in production, through Django's SMTP backend."""

from __future__ import annotations

import re
import socket
import time
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from motcua.notifications.sms import LoopbackFakeSmsBackend


class Collect(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)

    def subject(self, message) -> str:
        return str(make_header(decode_header(message["Subject"])))

    def body(self, message) -> str:
        return message.get_payload(decode=True).decode("utf-8")

    def wait_for(self, subject: str, count: int = 1, seconds: float = 10.0):
        """The ``count``-th message with ``subject`` (waits for the server to receive it)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = [m for m in self.messages if self.subject(m) == subject]
            if len(found) >= count:
                return found[count - 1]
            time.sleep(0.05)
        raise AssertionError(f"no message {subject!r} (got {len(self.messages)})")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def code_in(text: str) -> str:
    return re.search(r"\b(\d{6})\b", text).group(1)


def link_in(text: str) -> str:
    return re.search(r"https?://\S+/tra-cuu/[\w-]+/", text).group(0)


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
