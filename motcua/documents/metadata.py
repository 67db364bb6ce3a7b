"""Digitisation metadata of a file (thông tin số hoá): pure rules, no Django import.

TT 01/2023/TT-VPCP Chương II: a paper is digitised when its scan is attached and the data of
the paper are entered — here its type (loại giấy tờ), number and symbol (số, ký hiệu), date of
issue (ngày ban hành) and issuing body (cơ quan ban hành).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from motcua.core.errors import DocumentError

OLDEST = date(1900, 1, 1)
LIMITS = {"document_type": 200, "document_number": 60, "issuer": 300}


class MetadataError(DocumentError, ValueError):
    """Metadata that cannot be accepted (Vietnamese message)."""

    default_code = "invalid_metadata"


@dataclass(frozen=True)
class Metadata:
    """Thông tin số hoá của một giấy tờ."""

    document_type: str
    document_number: str
    document_date: date
    issuer: str


def _clean(value: str | None) -> str:
    text = unicodedata.normalize("NFC", value or "")
    return re.sub(r"\s+", " ", text).strip()


def parse_document_date(value: str | date | None, today: date) -> date:
    """A date of issue from "dd/mm/yyyy" (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy).

    Refused: another format, a day that does not exist, before 1900, after ``today``.
    """
    if isinstance(value, date):
        day = value
    else:
        text = _clean(value)
        match = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", text)
        if not text:
            raise MetadataError("Cần ghi ngày ban hành (ngày/tháng/năm, ví dụ 05/03/2024).")
        if match is None:
            raise MetadataError(
                f"Ngày ban hành “{text}” không đúng dạng ngày/tháng/năm (ví dụ 05/03/2024)."
            )
        d, m, y = (int(g) for g in match.groups())
        try:
            day = date(y, m, d)
        except ValueError as exc:
            raise MetadataError(f"Ngày ban hành “{text}” không có trên lịch.") from exc
    if day < OLDEST:
        raise MetadataError("Ngày ban hành không thể trước năm 1900.")
    if day > today:
        raise MetadataError(
            f"Ngày ban hành {day:%d/%m/%Y} ở sau hôm nay ({today:%d/%m/%Y}); hãy kiểm tra lại."
        )
    return day


def clean_metadata(
    *,
    document_type: str | None,
    document_number: str | None,
    document_date: str | date | None,
    issuer: str | None,
    today: date,
) -> Metadata:
    """All four fields, normalised (NFC, single spaces), or :class:`MetadataError`."""
    values = {
        "document_type": _clean(document_type),
        "document_number": _clean(document_number),
        "issuer": _clean(issuer),
    }
    labels = {
        "document_type": "loại giấy tờ",
        "document_number": "số, ký hiệu",
        "issuer": "cơ quan ban hành",
    }
    missing = [labels[k] for k, v in values.items() if not v]
    if missing:
        raise MetadataError(f"Cần ghi {', '.join(missing)}.")
    for key, limit in LIMITS.items():
        if len(values[key]) > limit:
            raise MetadataError(f"Mục {labels[key]} dài quá {limit} ký tự.")
    return Metadata(
        document_date=parse_document_date(document_date, today),
        **values,
    )


def is_complete(
    document_type: str, document_number: str, document_date: date | None, issuer: str
) -> bool:
    """Whether a file's metadata make it digitised (all four present)."""
    return bool(
        document_type.strip()
        and document_number.strip()
        and document_date is not None
        and issuer.strip()
    )


def components_digitised(
    files: list[tuple[str, bool]], mandatory: set[str] | frozenset[str]
) -> bool:
    """Thành phần hồ sơ đã số hoá: at least one component file, every mandatory component has a
    file, and every component file is described (``files``: (component, complete) pairs)."""
    if not files:
        return False
    covered = {name for name, _ in files}
    return set(mandatory) <= covered and all(complete for _, complete in files)


def owner_key(kind: str, id_number: str) -> tuple[str, str] | None:
    """The store owner of an applicant: ("person", 12 digits) or ("organisation", tax code);
    None when the applicant has no usable identifier (then nothing goes into a store)."""
    text = re.sub(r"[\s.]", "", unicodedata.normalize("NFKC", id_number or ""))
    if kind == "organisation":
        return ("organisation", text) if re.fullmatch(r"\d{10}(-\d{3})?", text) else None
    return ("person", text) if re.fullmatch(r"\d{12}", text) else None
