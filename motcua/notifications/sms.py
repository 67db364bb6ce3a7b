"""SMS behind a small interface. No SMS gateway is reachable here: the default backend logs.

A real gateway (a provider's HTTP API) is one class with ``send``; choose it with
``MOTCUA_SMS_BACKEND=dotted.path.Class``.
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("motcua.sms")


class SmsBackend(Protocol):
    def send(self, phone: str, text: str, reference: str) -> None:
        """Send ``text`` to ``phone``; ``reference`` is the same on every attempt of one
        message (the gateway's client reference: a retry is not sent twice)."""


class LoggingSmsBackend:
    """Writes the message to the log instead of sending it (the default)."""

    def send(self, phone: str, text: str, reference: str) -> None:
        log.info("SMS %s to %s: %s", reference, phone, text)


class LoopbackFakeSmsBackend:
    """A fake gateway for tests: keeps the messages in memory (clearly not a real send)."""

    outbox: list[tuple[str, str]] = []
    references: set[str] = set()

    def send(self, phone: str, text: str, reference: str) -> None:
        if phone.endswith("000"):
            raise ConnectionError("fake gateway refused the number")
        if reference in self.references:  # as a gateway does with a client reference
            return
        self.references.add(reference)
        self.outbox.append((phone, text))


def sms_backend() -> SmsBackend:
    return import_string(settings.MOTCUA_SMS_BACKEND)()
