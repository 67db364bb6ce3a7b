"""Reads on files and on the applicants' document store, used by pages and the API."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from motcua.documents.metadata import owner_key
from motcua.documents.models import StoredDocument, StoredFile
from motcua.dossiers.models import Dossier


def owner_store(dossier: Dossier) -> QuerySet[StoredDocument]:
    """The stored documents of ``dossier``'s applicant (same citizen ID or tax code) kept by
    the units of the dossier's province, except those that came from this very dossier.

    The store belongs to the citizen, not to a commune: since NĐ 118/2025 a commune of the
    province receives dossiers of any address, so a paper digitised in one commune serves in
    another. Callers check that the user works at the dossier's unit.
    """
    owner = owner_key(dossier.applicant_kind, dossier.applicant_id_number)
    if owner is None:
        return StoredDocument.objects.none()
    province = dossier.unit.province_id or dossier.unit_id
    return (
        StoredDocument.objects.filter(owner_kind=owner[0], owner_id=owner[1])
        .filter(Q(unit__province_id=province) | Q(unit_id=province))
        .exclude(dossier=dossier)
        .select_related("unit", "dossier")
        .order_by("-document_date", "document_type")
    )


def component_files(dossier: Dossier) -> QuerySet[StoredFile]:
    return StoredFile.objects.filter(dossier=dossier, role=StoredFile.Role.COMPONENT).order_by(
        "component", "uploaded_at"
    )


def files_matching(qs: QuerySet[Dossier], text: str) -> QuerySet[Dossier]:
    """Dossiers one of whose files has ``text`` in its OCR text or its metadata.

    A plain ``icontains`` (fine for a commune's few thousand files a year; a province-wide
    search would want PostgreSQL full-text search on ``ocr_text``). Case is ignored; diacritics
    are not, as OCR may lose some: search for a word as it is written.
    """
    text = " ".join(text.split())
    if not text:
        return qs
    matching = StoredFile.objects.filter(
        Q(ocr_text__icontains=text)
        | Q(document_number__icontains=text)
        | Q(document_type__icontains=text)
    ).values("dossier_id")
    return qs.filter(pk__in=matching)
