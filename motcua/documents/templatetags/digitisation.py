"""The dossier page's digitisation section (files, metadata, OCR, the applicant's store)."""

from __future__ import annotations

from django import template

from motcua.core import lifecycle
from motcua.core.errors import DomainError
from motcua.core.identity import mask_citizen_id
from motcua.documents import digitisation, ocr
from motcua.documents.models import StoredFile
from motcua.documents.queries import owner_store
from motcua.documents.result_details import details_for

register = template.Library()


def allowed(check) -> bool:
    try:
        check()
    except DomainError:
        return False
    return True


@register.inclusion_tag("documents/_digitisation_section.html", takes_context=True)
def digitisation_section(context) -> dict:
    """{% digitisation_section %} on the dossier page (needs ``dossier`` and ``request``)."""
    dossier, user = context["dossier"], context["request"].user
    files = list(
        StoredFile.objects.filter(dossier=dossier)
        .exclude(role=StoredFile.Role.RESULT, stage__in=["draft", "signed"])
        .order_by("role", "component", "uploaded_at")
    )
    for stored in files:
        stored.complete = digitisation.file_complete(stored)
    open_dossier = dossier.state not in lifecycle.ENDING
    can_describe = allowed(lambda: digitisation.check_can_digitise(dossier, user, ended_ok=True))
    can_attach = open_dossier and can_describe
    can_store = can_attach and allowed(lambda: digitisation.check_can_use_store(dossier, user))
    used = set(
        StoredFile.objects.filter(dossier=dossier, stored_document__isnull=False).values_list(
            "stored_document_id", flat=True
        )
    )
    store = list(owner_store(dossier)[:50]) if can_store else []
    for entry in store:
        entry.used_here = entry.pk in used
    owner = dossier.applicant_id_number
    return {
        "dossier": dossier,
        "files": files,
        "components": [c["name"] for c in dossier.procedure_version.components],
        "can_describe": can_describe,
        "can_attach": can_attach,
        "can_store": can_store,
        "store": store,
        "owner_masked": mask_citizen_id(owner)
        if dossier.applicant_kind == "person" and owner
        else owner,
        "ocr_available": ocr.available(),
        "ocr_unavailable_message": ocr.UNAVAILABLE_MESSAGE,
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def result_details(dossier) -> list:
    """{% result_details dossier as fields %}: what the procedure's result template asks for."""
    return details_for(dossier.procedure.code)


@register.filter
def get_item(values, key):
    """{{ mapping|get_item:key }}: a value of a dict by a key held in a variable."""
    return values.get(key, "") if isinstance(values, dict) else ""
