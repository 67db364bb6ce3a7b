"""What a procedure's own result template needs beyond the dossier (pure, no Django import).

A result generated from a template may only say what the dossier records; some results need
more (the deceased in a funeral-support decision, the marital status in a confirmation). The
specialist types those when drafting; they are checked here, kept in the ``attach_result``
event, and given to the template as ``details``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from motcua.core.errors import DocumentError


class DetailError(DocumentError, ValueError):
    """A detail that cannot be accepted (Vietnamese message)."""

    default_code = "invalid_details"


@dataclass(frozen=True)
class Detail:
    name: str
    label: str
    kind: str = "text"  # text | date | money
    default: str = ""
    max_length: int = 300


RESULT_DETAILS: dict[str, list[Detail]] = {
    # Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội (NĐ 20/2021/NĐ-CP Điều 11).
    "1.001731": [
        Detail("deceased_name", "Họ tên người đã mất"),
        Detail("deceased_birth", "Ngày sinh người đã mất", "date"),
        Detail("death_date", "Ngày mất", "date"),
        Detail(
            "deceased_category",
            "Thuộc diện",
            default="đối tượng đang hưởng trợ cấp xã hội hàng tháng",
        ),
        Detail("amount", "Mức hỗ trợ (đồng)", "money", default="10.000.000"),
    ],
}


def details_for(procedure_code: str) -> list[Detail]:
    return RESULT_DETAILS.get(procedure_code, [])


BODY = "noi_dung"  # the free text the specialist may add to any template's result
BODY_LENGTH = 4000


def clean_details(procedure_code: str, values: dict, today: date) -> dict[str, str]:
    """The details of ``procedure_code``'s result, as they will be printed, and the body text
    (``noi_dung``, optional, any procedure)."""
    cleaned: dict[str, str] = {}
    body = unicodedata.normalize("NFC", str(values.get(BODY) or "")).replace("\r\n", "\n")
    body = "\n".join(line.strip() for line in body.strip().split("\n"))
    if len(body) > BODY_LENGTH:
        raise DetailError(f"Phần nội dung dài quá {BODY_LENGTH} ký tự.")
    if body:
        cleaned[BODY] = body
    for detail in details_for(procedure_code):
        text = unicodedata.normalize("NFC", str(values.get(detail.name) or ""))
        text = re.sub(r"\s+", " ", text).strip()
        if not text:
            raise DetailError(f"Cần ghi “{detail.label}” để lập dự thảo kết quả từ mẫu.")
        if len(text) > detail.max_length:
            raise DetailError(f"“{detail.label}” dài quá {detail.max_length} ký tự.")
        if detail.kind == "date":
            match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
            try:
                day = date(*(int(g) for g in reversed(match.groups()))) if match else None
            except ValueError:
                day = None
            if day is None or day > today or day.year < 1900:
                raise DetailError(
                    f"“{detail.label}” phải là một ngày dd/mm/yyyy, không sau hôm nay."
                )
            text = f"{day:%d/%m/%Y}"
        elif detail.kind == "money":
            digits = re.sub(r"[.\s]|đồng|đ", "", text)
            if not digits.isdigit() or not 0 < int(digits) < 10**12:
                raise DetailError(f"“{detail.label}” phải là số tiền (đồng), ví dụ 10.000.000.")
            amount = int(digits)
            text = f"{amount:,}".replace(",", ".")
            cleaned[f"{detail.name}_words"] = amount_in_words(amount)
        cleaned[detail.name] = text
    return cleaned


DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
GROUPS = ["", " nghìn", " triệu", " tỷ"]


def _three(n: int, full: bool) -> str:
    """Read 0-999; ``full``: a higher group came before, so "không trăm", "linh" are said."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words = []
    if full or hundreds:
        words.append(f"{DIGITS[hundreds]} trăm")
    if tens == 0 and units and (full or hundreds):
        words.append("linh")
    if tens == 1:
        words.append("mười")
    elif tens > 1:
        words.append(f"{DIGITS[tens]} mươi")
    if units:
        if units == 1 and tens > 1:
            words.append("mốt")
        elif units == 5 and tens > 0:
            words.append("lăm")
        else:
            words.append(DIGITS[units])
    return " ".join(words)


def amount_in_words(amount: int) -> str:
    """“Mười triệu đồng”: an amount of money read out in Vietnamese (up to 999 tỷ)."""
    if amount == 0:
        return "Không đồng"
    groups = []
    n = amount
    while n:
        groups.append(n % 1000)
        n //= 1000
    parts = []
    for index in range(len(groups) - 1, -1, -1):
        value = groups[index]
        if value == 0:
            continue
        parts.append(_three(value, full=index < len(groups) - 1) + GROUPS[index])
    text = " ".join(parts)
    return text[0].upper() + text[1:] + " đồng"
