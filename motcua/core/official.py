"""How a unit is named and who signs in official text (văn bản hành chính).

Pure Python, no Django import. One rule for the slips (TT 03/2025 forms), the results and the
drafted report, following Nghị định 30/2020/NĐ-CP (Phụ lục I):

- the issuer in the header: "ỦY BAN NHÂN DÂN" over "XÃ BÌNH THÀNH";
- inside a sentence the unit keeps its kind in lower case: "Ủy ban nhân dân xã Bình Thành",
  "tỉnh Thái Nguyên" (the administrative-units list names a province "Thái Nguyên" with its
  kind "tỉnh" apart, a commune "Xã Bình Thành" with the kind in front);
- the place of the date line is the bare name: "Bình Thành, ngày 05 tháng 3 năm 2026" (a zero
  before a day under 10 and before the months 1 and 2 only);
- a letter of the commune's People's Committee is signed "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH" by
  the chairman, "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" by a vice-chairman; who the chairman is comes
  from the staff's titles (:func:`pick_chairman`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TypeVar

# Kinds written in front of a name, longest first where one starts another.
PREFIXES = ("Thành phố", "Thị trấn", "Đặc khu", "Phường", "Tỉnh", "Xã")
# The list's kind of a centrally governed city is "thành phố trung ương"; in text, "thành phố".
KIND_IN_TEXT = {"thành phố trung ương": "thành phố"}

COMMITTEE = "Ủy ban nhân dân"
CHAIR_LINES = ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
VICE_CHAIR_LINES = ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")


def split_name(name: str, division_type: str = "") -> tuple[str, str]:
    """("xã", "Bình Thành") from "Xã Bình Thành"; ("tỉnh", "Thái Nguyên") from "Thái Nguyên"
    of kind "tỉnh". The kind is "" when neither the name nor ``division_type`` gives one."""
    name = " ".join(name.split())
    for prefix in PREFIXES:
        if name.startswith(prefix + " "):
            return prefix.lower(), name[len(prefix) + 1 :]
    kind = division_type.strip().lower()
    return KIND_IN_TEXT.get(kind, kind), name


def unit_in_text(name: str, division_type: str = "") -> str:
    """ "xã Bình Thành", "tỉnh Thái Nguyên": the unit as named inside a sentence."""
    kind, bare = split_name(name, division_type)
    return f"{kind} {bare}" if kind else bare


def place_name(name: str, division_type: str = "") -> str:
    """ "Bình Thành": the place of an official document's date line."""
    return split_name(name, division_type)[1]


def unit_heading(name: str, division_type: str = "") -> str:
    """ "XÃ BÌNH THÀNH": the unit under "ỦY BAN NHÂN DÂN" in the header."""
    return unit_in_text(name, division_type).upper()


def issuer_name(name: str, division_type: str = "") -> str:
    """ "Ủy ban nhân dân xã Bình Thành": the issuing body of a commune's documents."""
    return f"{COMMITTEE} {unit_in_text(name, division_type)}"


def issuer_lines(name: str, division_type: str = "") -> list[str]:
    """The issuer in the header, the second line bold: ["ỦY BAN NHÂN DÂN", "XÃ BÌNH THÀNH"]."""
    return [COMMITTEE.upper(), unit_heading(name, division_type)]


def date_words(day: date) -> str:
    """ "ngày 05 tháng 3 năm 2026": a zero before a day under 10 and before the months 1 and 2."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_and_date(name: str, division_type: str, day: date) -> str:
    """ "Bình Thành, ngày 05 tháng 3 năm 2026"."""
    return f"{place_name(name, division_type)}, {date_words(day)}"


def is_vice_chair(title: str) -> bool:
    return title.strip().lower().startswith("phó chủ tịch")


def is_chair(title: str) -> bool:
    return title.strip().lower().startswith("chủ tịch")


def signer_lines(title: str) -> list[str]:
    """The signer's lines of a letter of the People's Committee: the chairman's (also when
    nobody is named), or a vice-chairman's signing on the chairman's behalf."""
    return list(VICE_CHAIR_LINES if is_vice_chair(title) else CHAIR_LINES)


def stamp_title(title: str, *, leader: bool = True) -> str:
    """ "Chủ tịch" or "Phó Chủ tịch" for a signature stamp; "Lãnh đạo" otherwise."""
    if is_vice_chair(title):
        return "Phó Chủ tịch"
    return "Chủ tịch" if leader else "Lãnh đạo"


K = TypeVar("K")


def pick_chairman(staff: Iterable[tuple[K, str]]) -> K | None:
    """Who signs for the committee: among the unit's signing leaders ``(key, title)`` in a
    stable order, the first whose title is "Chủ tịch…" (not "Phó Chủ tịch…"); None if none."""
    for key, title in staff:
        if is_chair(title):
            return key
    return None
