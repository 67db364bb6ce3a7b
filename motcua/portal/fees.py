"""The fee of a procedure as a citizen reads it (phí, lệ phí trên trang công khai).

The catalogue's fee note is written by whoever compiled the catalogue: beside the rule that
matters to the citizen ("50.000 đồng/ giao dịch", "Miễn lệ phí nếu đúng hạn") it may carry
where the compiler read it ("DVCQG: mức thu 0", "trang TTHC …", "– verify"). The public pages
show the rule and drop the remarks on sources; a note that is only such a remark leaves the
amount, "Miễn phí", or an honest "ask the desk". The catalogue itself is not changed: the
officials' pages and the export keep the note as it was imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from motcua.core.fees import EXEMPTION_LABELS, Basis, describe, headline
from motcua.core.formatting import money_vi

# A clause or a bracket that says where a figure was read, not what the citizen pays.
SOURCE_REMARKS = re.compile(
    r"dvcqg|registry|verify|cổng dvc|trang tthc|các trang|đã đọc|đọc được|ô phí|"
    r"chưa thấy văn bản|\bghi ['‘“]",
    re.IGNORECASE,
)
# A clause that says the procedure is free.
FREE = re.compile(
    r"^(?:(?:phí|lệ phí|phí, lệ phí|phí/lệ phí)\s*:\s*)?(?:không|0|không thu(?: phí, lệ phí)?|"
    r"miễn phí|miễn phí, lệ phí)\.?$",
    re.IGNORECASE,
)
ASK = "Chưa có mức thu được công bố; vui lòng hỏi Bộ phận Một cửa."
BRACKET = re.compile(r"\s*\(([^()]*)\)")
# "Luật Hộ tịch art.11" → "Điều 11 Luật Hộ tịch"
ARTICLE = re.compile(r"(Luật [^();,]+?)\s+arts?\.\s*(\d+)")


def _without_source_brackets(text: str) -> str:
    return BRACKET.sub(lambda m: "" if SOURCE_REMARKS.search(m.group(1)) else m.group(0), text)


def _clauses(note: str) -> list[tuple[str, str]]:
    """The note cut at ";" and at sentence ends into (clause, the separator before it), each
    clause cleaned of bracketed source remarks."""
    text = ARTICLE.sub(r"Điều \2 \1", note.strip())
    text = re.sub(r"\s*[–-]\s*verify\b", "", text, flags=re.IGNORECASE)
    text = _without_source_brackets(text)
    parts = re.split(r"(;\s*|(?<=[.)])\s+(?=[A-ZĐÀ-Ỹ]))", text)
    clauses, separator = [], ""
    for i, part in enumerate(parts):
        if i % 2:
            separator = "; " if part.strip() == ";" else ". "
        elif part.strip(" ."):
            clauses.append((part.strip(" ."), separator))
    return clauses


def citizen_fee_note(note: str) -> tuple[str, bool]:
    """(the rule, said for a citizen, or ""; whether the note says the procedure is free)."""
    text, free = "", False
    for clause, separator in _clauses(note):
        if SOURCE_REMARKS.search(clause):
            free = free or bool(re.search(r"mức thu 0\b", clause))
            continue
        if FREE.match(clause):
            free = True
            continue
        text += (separator if text else "") + clause
    return (text[0].upper() + text[1:] + "." if text else ""), free


def citizen_fee(fee: int, note: str) -> str:
    """What the citizen pays: the amount the catalogue knows, with the rule when there is one.

    >>> citizen_fee(0, "Không thu (DVCQG: mức thu 0).")
    'Miễn phí'
    >>> citizen_fee(50000, "50.000 đồng/ giao dịch")
    '50.000 đồng/ giao dịch.'
    """
    rule, free = citizen_fee_note(note or "")
    if fee:
        amount = money_vi(fee)
        # the rule usually restates the amount with its unit ("50.000 đồng/ giao dịch")
        if rule and amount.split()[0] in rule:
            return rule
        return f"{amount}. {rule}" if rule else amount
    if rule:
        return rule
    if free or not note:
        return "Miễn phí"
    return ASK


@dataclass(frozen=True)
class FeePanel:
    """What a page shows of a version's fee rule: the rule in words, who is exempt and on
    what basis, and which quantities the calculator asks for (none: the amount is fixed)."""

    text: str
    exemptions: list[dict]
    legal_basis: str
    asks_pages: bool
    asks_copies: bool
    asks_units: bool
    unit_label: str
    amount: int  # a plain case: one page, one copy, at the desk

    @property
    def asks_anything(self) -> bool:
        return self.asks_pages or self.asks_copies or self.asks_units


def fee_panel(version) -> FeePanel:
    """The fee panel of a procedure version (``version.rule``: motcua.core.fees)."""
    rule = version.rule
    free = rule.is_free
    return FeePanel(
        text=citizen_fee(version.fee, version.fee_note) if free else describe(rule),
        exemptions=[
            {
                "label": EXEMPTION_LABELS[e.category],
                "code": e.category,
                "share": "miễn" if e.percent >= 100 else f"giảm {e.percent} %",
                "basis": e.basis,
            }
            for e in ([] if free else rule.exemptions)
        ],
        legal_basis=rule.legal_basis,
        asks_pages=not free and rule.basis == Basis.PER_PAGE,
        asks_copies=not free and rule.basis in (Basis.PER_PAGE, Basis.PER_COPY),
        asks_units=not free and rule.basis == Basis.PER_UNIT,
        unit_label=rule.unit_label,
        amount=headline(rule),
    )
