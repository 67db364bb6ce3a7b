"""Vietnamese text helpers: NFC storage and diacritics-insensitive search keys.

Pure Python, no Django import.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# "đ"/"Đ" are letters of their own, not "d" plus a combining mark: NFD does not split them.
_EXTRA_FOLDS = str.maketrans({"đ": "d", "Đ": "d"})


def nfc(value: str) -> str:
    """Return ``value`` in Unicode NFC with surrounding and repeated white space collapsed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


def nfc_text(value: str) -> str:
    """Multi-line text in NFC: line breaks kept, trailing spaces and blank ends removed."""
    lines = unicodedata.normalize("NFC", value).replace("\r\n", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def fold(value: str) -> str:
    """Search key: lower case, no diacritics, "đ" → "d", single spaces.

    >>> fold("Đăng ký  KHAI SINH")
    'dang ky khai sinh'
    """
    decomposed = unicodedata.normalize("NFD", value.translate(_EXTRA_FOLDS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold()).strip()


def slugify_vi(value: str) -> str:
    """ASCII slug of Vietnamese text: "Hộ tịch" → "ho-tich"."""
    return re.sub(r"[^a-z0-9]+", "-", fold(value)).strip("-")
