"""Sổ đăng ký văn bản đi: the unit's register of outgoing documents. The clerk's number for a
result comes from here — the next number of its kind this year — and may be changed with a
reason; a number is never given twice (a unique constraint, and an atomic upsert)."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction

from motcua import counters
from motcua.accounts.models import User
from motcua.core import numbering
from motcua.core.errors import DocumentError
from motcua.core.text import nfc
from motcua.documents.models import RegisterEntry, RegisterSequence, StoredFile
from motcua.dossiers.models import Dossier

KEY = ("unit_id", "year", "doc_type")  # a register's numbers run per unit, year and kind


def peek_next(unit_id: str, year: int, kind: str) -> int:
    """The number the next document of ``kind`` would get (nothing reserved)."""
    last = (
        RegisterSequence.objects.filter(unit_id=unit_id, year=year, doc_type=kind)
        .values_list("last", flat=True)
        .first()
    )
    return (last or 0) + 1


def proposed_number(dossier: Dossier, document_type: str, today: date) -> str:
    """What the clerk's form proposes: the next number of the result's kind this year."""
    kind = numbering.kind_abbreviation(document_type)
    return numbering.full_number(peek_next(dossier.unit_id, today.year, kind), kind)


def take_next(unit_id: str, year: int, kind: str) -> int:
    """The next number of ``kind``, taken: one atomic upsert (the caller holds the
    transaction), safe when two clerks issue at once."""
    return counters.take_next(RegisterSequence._meta.db_table, KEY, (unit_id, year, kind))


def keep_at_least(unit_id: str, year: int, kind: str, number: int) -> None:
    """After a number typed by hand, the next one proposed comes after it."""
    counters.keep_at_least(RegisterSequence._meta.db_table, KEY, [(unit_id, year, kind, number)])


def register(
    dossier: Dossier,
    document_type: str,
    issued_on: date,
    by: User,
    *,
    typed: str = "",
    reason: str = "",
    file: StoredFile | None = None,
) -> RegisterEntry:
    """Give the document its number (the caller holds the transaction): the next one of its
    kind, or ``typed`` when the clerk wrote another, which needs a ``reason`` and must not be
    taken already."""
    kind = numbering.kind_abbreviation(document_type)
    year = issued_on.year
    typed = nfc(typed).strip()
    proposed = numbering.full_number(peek_next(dossier.unit_id, year, kind), kind)
    if typed and typed != proposed:
        number = numbering.number_of(typed)
        if number is None:
            raise DocumentError(
                f"Số văn bản “{typed}” không đúng dạng số/ký hiệu (ví dụ {proposed}).",
                "invalid_number",
            )
        if not reason.strip():
            raise DocumentError(
                f"Số kế tiếp trong sổ là {proposed}; ghi lý do khi cấp số khác.", "invalid_number"
            )
        keep_at_least(dossier.unit_id, year, kind, number)
        text, why = typed, nfc(reason).strip()[:300]
    else:
        number = take_next(dossier.unit_id, year, kind)
        text, why = numbering.full_number(number, kind), ""
    try:
        with transaction.atomic():
            return RegisterEntry.objects.create(
                unit_id=dossier.unit_id,
                year=year,
                doc_type=kind,
                number=number,
                full_number=text,
                document_type=document_type[:200],
                summary=f"{dossier.procedure_version.name} — {dossier.applicant_name}"[:300],
                dossier=dossier,
                file=file,
                issued_on=issued_on,
                manual_reason=why,
                by=by,
            )
    except IntegrityError:
        raise DocumentError(
            f"Số {text} đã cấp cho văn bản khác trong năm {year}; mỗi số chỉ dùng một lần.",
            "invalid_number",
        ) from None
