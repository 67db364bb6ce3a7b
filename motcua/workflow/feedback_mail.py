"""Feedback that arrived by e-mail at the desk's feedback address: each message (an ``.eml``
file, or every message of an mbox file) becomes one feedback of source ``email`` through
``receive_feedback``, with the same checks as the public page: the sender from ``From``, the
title from ``Subject``, the content from the plain text (or the HTML's text), the PDF, JPEG
and PNG attachments checked from their bytes. A message already imported (its ``Message-ID``)
is skipped, so the same mailbox can be imported again. A message that is refused is reported
with its reason and changes nothing; the others go in."""

from __future__ import annotations

import mailbox
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr, parsedate_to_datetime
from html import unescape
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from motcua.core.errors import DomainError
from motcua.feedback.models import Feedback
from motcua.units.models import Unit
from motcua.workflow.feedback import FeedbackData, receive_feedback

ATTACHED = ("application/pdf", "image/jpeg", "image/png", "application/octet-stream")


@dataclass
class Imported:
    received: list[str] = field(default_factory=list)  # the codes given
    skipped: int = 0  # already imported
    refused: list[tuple[str, str]] = field(default_factory=list)  # (which message, why)


def messages(path: Path):
    """The messages of an .eml file or an mbox file (by its first line)."""
    with path.open("rb") as handle:
        head = handle.read(5)
    if head == b"From ":
        for message in mailbox.mbox(path, factory=None):
            yield BytesParser(policy=policy.default).parsebytes(message.as_bytes())
    else:
        with path.open("rb") as handle:
            yield BytesParser(policy=policy.default).parse(handle)


def text_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        return ""
    text = body.get_content()
    if body.get_content_type() == "text/html":
        text = unescape(re.sub(r"<[^>]+>", " ", re.sub(r"(?i)<br\s*/?>|</p>", "\n", text)))
    return re.sub(r"[ \t]+", " ", text).strip()


def attachments(message: EmailMessage) -> list[SimpleUploadedFile]:
    files = []
    for part in message.iter_attachments():
        if part.get_content_type() in ATTACHED or part.get_filename():
            data = part.get_payload(decode=True) or b""
            files.append(SimpleUploadedFile(part.get_filename() or "tep-dinh-kem", data))
    return files


def import_message(unit: Unit, message: EmailMessage, result: Imported, where: str) -> None:
    message_id = (message.get("Message-ID") or "").strip()
    if message_id and Feedback.objects.filter(unit=unit, message_id=message_id).exists():
        result.skipped += 1
        return
    name, address = parseaddr(str(message.get("From") or ""))
    try:
        sent = parsedate_to_datetime(str(message.get("Date")))
    except (TypeError, ValueError):
        sent = None
    # the clock starts when the message reached the desk; a date in the future is not believed
    received = sent if sent is not None and sent.tzinfo and sent <= timezone.now() else None
    try:
        fb = receive_feedback(
            unit,
            FeedbackData(
                title=str(message.get("Subject") or ""),
                content=text_of(message),
                sender_name=name or address.split("@")[0],
                sender_email=address,
            ),
            "email",
            files=attachments(message),
            message_id=message_id,
            received_at=received,
        )
    except DomainError as exc:
        result.refused.append((where, exc.message))
        return
    result.received.append(fb.code)


def import_mail(unit: Unit, paths: list[Path]) -> Imported:
    result = Imported()
    for path in paths:
        for i, message in enumerate(messages(path), start=1):
            import_message(unit, message, result, f"{path.name} thư {i}")
    return result
