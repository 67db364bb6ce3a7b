"""The hash chain of a dossier's events: each event's hash covers its content and the previous
event's hash, so a row changed, removed or inserted behind the application's back shows.

Pure Python, no Django import.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

GENESIS = "0" * 64


def event_hash(prev_hash: str, payload: Mapping[str, Any]) -> str:
    """SHA-256 of the previous hash and the canonical JSON of the event's content."""
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}\n{canonical}".encode()).hexdigest()


def first_broken_link(events: Iterable[tuple[Mapping[str, Any], str, str]]) -> int | None:
    """Check ``(payload, prev_hash, hash)`` in order; return the index of the first bad event."""
    expected_prev = GENESIS
    for index, (payload, prev_hash, stored_hash) in enumerate(events):
        if prev_hash != expected_prev or event_hash(prev_hash, payload) != stored_hash:
            return index
        expected_prev = stored_hash
    return None
