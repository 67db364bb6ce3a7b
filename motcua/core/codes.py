"""Mã số hồ sơ (dossier code, TT 03/2025/TT-VPCP): ``{unit code}-{YYMMDD}-{sequence}``.

Pure Python, no Django import. The unit's electronic identification code (QĐ 20/2020/QĐ-TTg,
amended by QĐ 09/2025/QĐ-TTg) is opaque: at most 35 characters of A-Z, 0-9 and '.'. The
sequence is the number of the dossier received that day at that unit, at least 4 digits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from motcua.core.errors import DomainError

UNIT_CODE_RE = r"[A-Z0-9]+(?:\.[A-Z0-9]+)*"
DOSSIER_CODE_RE = re.compile(rf"^(?P<unit>{UNIT_CODE_RE})-(?P<day>\d{{6}})-(?P<seq>\d{{4,}})$")


class DossierCodeError(DomainError, ValueError):
    """Not a dossier code (Vietnamese message)."""


@dataclass(frozen=True)
class DossierCode:
    unit_code: str
    received_on: date
    sequence: int

    def __str__(self) -> str:
        return format_dossier_code(self.unit_code, self.received_on, self.sequence)


def format_dossier_code(unit_code: str, received_on: date, sequence: int) -> str:
    if sequence < 1:
        raise DossierCodeError("Số thứ tự hồ sơ trong ngày phải từ 1 trở lên.")
    return f"{unit_code}-{received_on:%y%m%d}-{sequence:04d}"


def parse_dossier_code(text: str) -> DossierCode:
    """Parse a code typed by a person (spaces trimmed, lower case accepted)."""
    match = DOSSIER_CODE_RE.match((text or "").strip().upper())
    if not match or len(match["unit"]) > 35:
        raise DossierCodeError("Mã hồ sơ không đúng dạng (ví dụ H15.50.05.13-261008-0975).")
    day = match["day"]
    try:
        received_on = date(2000 + int(day[:2]), int(day[2:4]), int(day[4:]))
    except ValueError:
        raise DossierCodeError("Ngày tiếp nhận trong mã hồ sơ không có thật.") from None
    return DossierCode(match["unit"], received_on, int(match["seq"]))
