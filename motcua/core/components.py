"""Thành phần hồ sơ: which papers a procedure asks for, which are required, in what form.

Pure Python, no Django import. Published lists (the national database of procedures, the
province's decisions) write a paper that is needed only in some cases with its condition:
"Giấy tờ chứng minh việc ly hôn … (nếu có)", "Văn bản ủy quyền (trường hợp thực hiện thủ tục
thông qua người đại diện)", "Xuất trình Sổ theo dõi hoạt động hòa giải khi cần". Such a paper
is *conditional*: never required to receive the dossier, ticked when it was handed over.

The form of a paper handed over (TT 03/2025 Mẫu 01 lists each with its form): an original
(bản chính), a copy (bản sao), a certified copy (bản sao có chứng thực) or shown for
comparison and given back (xuất trình). The list may name it; the desk records what it got.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from motcua.core.text import fold


class PaperForm(StrEnum):
    ORIGINAL = "original"
    COPY = "copy"
    CERTIFIED_COPY = "certified_copy"
    PRESENTED = "presented"


FORM_LABELS = {
    PaperForm.ORIGINAL: "Bản chính",
    PaperForm.COPY: "Bản sao",
    PaperForm.CERTIFIED_COPY: "Bản sao có chứng thực",
    PaperForm.PRESENTED: "Xuất trình (đối chiếu, trả lại)",
}

# A condition written in brackets at the end, or a trailing "nếu có" / "khi cần".
_BRACKET = re.compile(r"\(([^()]*)\)\s*$")
_TRAILING = re.compile(r"(?:,\s*)?\b(nếu có|khi cần)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Component:
    """One paper of a procedure as the catalogue holds it."""

    name: str
    mandatory: bool = True
    conditional: bool = False
    condition: str = ""
    form: str = ""  # a PaperForm value, or "" when the list does not say

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "mandatory": self.mandatory,
            "conditional": self.conditional,
            "condition": self.condition,
            "form": self.form,
            "count": 1,
        }


def condition_of(text: str) -> str:
    """The condition a paper's text states ("nếu có", "trường hợp bị rách, nát"), or ""."""
    bracket = _BRACKET.search(text)
    if bracket:
        inside = bracket.group(1).strip()
        key = fold(inside)
        if key.startswith(("neu co", "truong hop", "khi ", "neu ")) or key == "khi can":
            return inside
    trailing = _TRAILING.search(text)
    if trailing:
        return trailing.group(1).lower()
    return ""


def form_of(text: str) -> str:
    """The form the list names for a paper (its first words), or "" when it does not."""
    key = fold(text)
    if key.startswith("xuat trinh"):
        return PaperForm.PRESENTED
    if key.startswith(("ban sao duoc chung thuc", "ban sao co chung thuc")):
        return PaperForm.CERTIFIED_COPY
    if key.startswith("ban sao"):
        return PaperForm.COPY
    if key.startswith("ban chinh"):
        return PaperForm.ORIGINAL
    return ""


def parse_component(text: str) -> Component:
    """A published paper's text → its catalogue entry (the text itself is its name)."""
    name = " ".join(text.split())
    condition = condition_of(name)
    return Component(
        name=name,
        mandatory=not condition,
        conditional=bool(condition),
        condition=condition,
        form=form_of(name),
    )


def is_required(component: dict) -> bool:
    """Must be handed over to receive the dossier: mandatory and not conditional (entries
    stored before conditions were recorded count as mandatory)."""
    return bool(component.get("mandatory", True)) and not component.get("conditional", False)


def missing(components: list[dict], ticked: set[str]) -> list[str]:
    """The names of the required papers not ticked, in the list's order."""
    return [c["name"] for c in components if is_required(c) and c["name"] not in ticked]
