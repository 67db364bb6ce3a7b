"""The result document (kết quả giải quyết): its template, its title, its PDF with the empty
signature fields the leader and the clerk fill (Nghị định 30/2020 layout)."""

from __future__ import annotations

from django.utils import timezone

from motcua.accounts.queries import committee_signer
from motcua.core import official
from motcua.documents import signing
from motcua.documents.metadata import owner_key
from motcua.documents.models import StoredFile
from motcua.documents.pdf import render_document
from motcua.dossiers.models import Dossier

LEADER_FIELD = "LanhDaoKy"
SEAL_FIELD = "VanThuDongDau"


def latest_result(dossier: Dossier) -> StoredFile | None:
    """The dossier's current result file (draft, signed or sealed)."""
    return (
        StoredFile.objects.filter(dossier=dossier, role=StoredFile.Role.RESULT)
        .order_by("-uploaded_at")
        .first()
    )


def result_templates(dossier: Dossier) -> list[str]:
    """Where a result's template is looked for, first found wins: the procedure's own
    (``results/<code>.html``), its field's (``results/linh-vuc/<field slug>.html``), generic."""
    field = dossier.procedure_version.field
    return [
        f"documents/results/{dossier.procedure.code}.html",
        f"documents/results/linh-vuc/{field.slug}.html",
        "documents/results/generic.html",
    ]


# Where the layout of results/_base.html leaves room for the two stamps: element id → field.
STAMP_ANCHORS = {"so-va-ngay": SEAL_FIELD, "chu-ky": LEADER_FIELD}
CSS_PX = 0.75  # WeasyPrint lays out in CSS pixels (1/96 in); PDF points are 1/72 in


def result_pdf(dossier: Dossier, desk, details: dict | None = None) -> bytes:
    """The result document (Decree 30/2020 layout): the procedure's, its field's or generic.

    The PDF carries two empty signature fields where the template leaves room for the stamps
    (``STAMP_ANCHORS``): the leader's in the signature space, the seal's over the row of the
    number and date, which the leader signs blank and the clerk fills by sealing.
    """
    unit = dossier.unit
    signer = committee_signer(dossier.unit_id)
    document = render_document(
        result_templates(dossier),
        {
            "details": details or {},
            "dossier": dossier,
            "desk": desk,
            "unit": unit,
            "today": timezone.localtime().date(),
            "place": official.place_name(unit.name, unit.division_type),
            "issuer": official.issuer_name(unit.name, unit.division_type),
            "doc_title": result_title(dossier.procedure_version.result or ""),
            "signer": {"lines": signer.lines, "name": signer.name},
            # A decision of the chairman himself: no “TM.” (Nghị định 30/2020, Phụ lục I).
            "chair_lines": [line for line in signer.lines if not line.startswith("TM.")],
            "honorific": {"nam": "ông", "nu": "bà"}.get(dossier.applicant_sex, "ông/bà"),
            "owner_id": owner_key(dossier.applicant_kind, dossier.applicant_id_number),
        },
    )
    boxes = {}
    for index, page in enumerate(document.pages):
        height = page.height * CSS_PX
        for anchor, field_name in STAMP_ANCHORS.items():
            if anchor in page.anchors and field_name not in boxes:
                x1, y1, x2, y2 = (v * CSS_PX for v in page.anchors[anchor])
                boxes[field_name] = (index, (x1, height - y2, x2, height - y1))
    pdf = document.write_pdf()
    return signing.with_signature_fields(pdf, boxes) if boxes else pdf


GENERIC_TITLE = "Văn bản giải quyết thủ tục hành chính"


def result_title(result: str) -> str:
    """The document's title from the catalogue's result, its first one without who issues it:
    “Quyết định của Chủ tịch UBND cấp xã tặng Giấy khen” → “Quyết định”, “Giấy xác nhận tình
    trạng hôn nhân” as it is; none → the generic title."""
    first = result.split(";")[0].strip().rstrip(".")
    first = first.split(" của ")[0].strip()
    return first[:120] if first else GENERIC_TITLE


def result_document_type(dossier: Dossier) -> str:
    """The type of an issued result: the catalogue's result (first one), or a general name."""
    first = (dossier.procedure_version.result or "").split(";")[0].strip().rstrip(".")
    return (first or GENERIC_TITLE)[:200]
