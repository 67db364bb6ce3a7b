"""What every message a person reads must look like (STYLE.md: a clear Vietnamese message)."""

from __future__ import annotations

import unicodedata


def assert_sentence(text: str) -> None:
    """One Vietnamese sentence: NFC, a capital first letter, not shouted, a full stop."""
    assert text == unicodedata.normalize("NFC", text), text
    assert text[:1].isupper(), text
    assert text != text.upper(), text
    assert text.endswith("."), text
