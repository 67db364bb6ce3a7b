"""The audit log's seals: each dossier event is sealed with a keyed hash (HMAC-SHA-256) that
covers its content, the previous event of the same dossier and the previous event of the same
unit; each unit's events are numbered without a gap; the dossier's row is sealed with its
latest event; and a unit's head (number and seal of its latest event) is signed now and then
as a checkpoint kept outside the database (docs/audit.md).

What each seal catches, without the key: an event changed, inserted or removed (its own seal,
the dossier's chain, the unit's numbers), a dossier row changed (its seal in the latest event),
a dossier deleted with its events (a gap in the unit's numbers). With the key, a rewrite older
than the last checkpoint (the checkpoint's seal no longer matches).

Pure Python, no Django import.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

GENESIS = "0" * 64
KEY_BYTES = 32


def canonical(payload: Mapping[str, Any]) -> str:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def event_seal(key: bytes, prev_hash: str, payload: Mapping[str, Any]) -> str:
    """HMAC-SHA-256, keyed with the audit key, of the dossier's previous seal and the canonical
    JSON of the event's content (which names the unit's previous seal and the event's number)."""
    message = f"{prev_hash}\n{canonical(payload)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def row_value(value: Any) -> Any:
    """A dossier field's value as the row seal reads it, the same before and after the
    database (datetimes in UTC to the microsecond, dates ISO, ids as text)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def row_seal(key: bytes, fields: Mapping[str, Any]) -> str:
    """The seal of a dossier row's sealed fields (keyed, so it says nothing of the data)."""
    text = canonical({name: row_value(value) for name, value in fields.items()})
    return hmac.new(key, f"row\n{text}".encode(), hashlib.sha256).hexdigest()


# -- findings -------------------------------------------------------------------------------


class Tampering(StrEnum):
    """What ``motcua audit verify`` can find (docs/audit.md names what each one means)."""

    EVENT_CHANGED = "event_changed"  # an event's content does not match its seal
    EVENT_MISSING = "event_missing"  # a dossier's chain skips an event
    LINK_BROKEN = "link_broken"  # an event no longer names the seal of the unit's one before
    NUMBERS_MISSING = "numbers_missing"  # a unit's numbering has a gap: events removed
    HEAD_MISMATCH = "head_mismatch"  # the unit's head does not match its last event
    NO_EVENTS = "no_events"  # a dossier with no event at all
    ROW_CHANGED = "row_changed"  # a dossier's row does not match its latest event
    CHECKPOINT_MISMATCH = "checkpoint_mismatch"  # the log was rewritten before a checkpoint
    CHECKPOINT_BAD = "checkpoint_bad"  # a checkpoint's signature does not verify


@dataclass(frozen=True)
class Finding:
    """One thing wrong: its kind, the unit, and the dossier and event where known."""

    kind: Tampering
    message: str
    unit: str = ""
    dossier: str = ""
    seq: int | None = None
    number: int | None = None


# -- checkpoints ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    """A unit's head at one moment: its last event's number and seal, signed."""

    unit: str
    number: int
    head: str
    at: str  # ISO 8601, UTC
    method: str = "hmac"  # "seal": signed with the unit's seal certificate; "hmac": the key
    certificate: str = ""  # the seal's certificate (DER, base64) when method == "seal"
    signature: str = ""  # base64

    def signed_text(self) -> bytes:
        body = {"unit": self.unit, "number": self.number, "head": self.head, "at": self.at}
        return f"motcua-checkpoint-1\n{canonical(body)}".encode()

    def to_line(self) -> str:
        return canonical(
            {
                "unit": self.unit,
                "number": self.number,
                "head": self.head,
                "at": self.at,
                "method": self.method,
                "certificate": self.certificate,
                "signature": self.signature,
            }
        )

    @classmethod
    def from_line(cls, line: str) -> Checkpoint:
        data = json.loads(line)
        return cls(
            unit=str(data["unit"]),
            number=int(data["number"]),
            head=str(data["head"]),
            at=str(data["at"]),
            method=str(data.get("method", "hmac")),
            certificate=str(data.get("certificate", "")),
            signature=str(data.get("signature", "")),
        )


def hmac_signature(key: bytes, checkpoint: Checkpoint) -> str:
    digest = hmac.new(key, checkpoint.signed_text(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def hmac_signature_ok(key: bytes, checkpoint: Checkpoint) -> bool:
    return hmac.compare_digest(hmac_signature(key, checkpoint), checkpoint.signature)
