"""Số, ký hiệu của văn bản (Nghị định 30/2020/NĐ-CP Điều 15 and Phụ lục III): the number of a
document in its unit's register for the year, from 01, then "/", the abbreviation of the kind
of document, "-", the abbreviation of the issuing body: "125/QĐ-UBND", "07/GXN-UBND". Pure.
"""

from __future__ import annotations

import re

from motcua.core.text import fold

ISSUER = "UBND"
# Kinds of documents and their abbreviations (Phụ lục III of Nghị định 30/2020, and the usual
# ones for the commune's certificates and permits); the longest name that starts the kind wins.
KINDS = {
    "quyet dinh": "QĐ",
    "thong bao": "TB",
    "giay xac nhan": "GXN",
    "giay chung nhan": "GCN",
    "giay phep": "GP",
    "giay khen": "GK",
    "giay moi": "GM",
    "giay gioi thieu": "GGT",
    "giay uy quyen": "GUQ",
    "ke hoach": "KH",
    "bao cao": "BC",
    "bien ban": "BB",
    "to trinh": "TTr",
    "huong dan": "HD",
    "van ban thoa thuan": "VBTT",
}
NUMBER_RE = re.compile(r"^(\d{1,6})/[A-Za-zĐđ]{0,10}-?[A-Za-zĐđ]{1,12}$")


def kind_abbreviation(document_type: str) -> str:
    """ "Quyết định" → "QĐ", "Giấy xác nhận tình trạng hôn nhân" → "GXN"; "" for a letter
    (công văn), which has no kind in its number."""
    key = fold(document_type)
    names = [name for name in KINDS if key.startswith(name)]
    return KINDS[max(names, key=len)] if names else ""


def full_number(number: int, kind: str, issuer: str = ISSUER) -> str:
    """125, "QĐ" → "125/QĐ-UBND"; 7, "" → "07/UBND" (a number under 10 with its leading 0)."""
    if number < 1:
        raise ValueError("Số văn bản bắt đầu từ 01.")
    shown = f"{number:02d}"
    return f"{shown}/{kind}-{issuer}" if kind else f"{shown}/{issuer}"


def number_of(text: str) -> int | None:
    """The register number at the start of a typed "125/QĐ-UBND", or None if it is not one."""
    match = NUMBER_RE.match(text.strip())
    return int(match.group(1)) if match else None
