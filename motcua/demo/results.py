"""Demo signatures: a development CA, the leaders' and the unit's certificates, and signed results.

The demo's certificates come from a development CA made at load time (never for production:
a commune uses certificates from a licensed provider). Their PKCS#12 passphrase is the demo
password, as for the accounts.

Results: generating and signing costs about half a second a document (WeasyPrint, then two
PAdES signatures), so the demo signs the results of the most recently returned dossiers
(``MOTCUA_DEMO_SIGNED_RESULTS``, 20 by default) rather than the whole year. Their histories gain the
three events a live dossier has (draft, leader's signature, seal), inserted at the moments of
submission, approval and issue, and the unit's log is numbered and sealed again
(``history.reseal_unit``, before any checkpoint) so ``motcua audit verify`` still passes.
The stamps show the real signing time (load time): a signature cannot honestly be dated in
the past.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import Role, User
from motcua.core import official
from motcua.core.lifecycle import State
from motcua.core.localtime import local_day
from motcua.demo import devca
from motcua.documents.certificates import open_signer, register_certificate, trust_authority
from motcua.documents.files import store_bytes
from motcua.documents.models import SigningCertificate, StoredFile
from motcua.documents.results import result_pdf
from motcua.documents.stamps import leader_signature, seal_signature
from motcua.dossiers.history import Step, chain_events, reseal_unit, seal_events
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.reports.cells import count_dossier
from motcua.rows import insert_rows
from motcua.units.models import Desk


def ensure_certificates(desk: Desk, password: str) -> None:
    """A development CA (trusted), a certificate per leader and the unit's seal; idempotent."""
    if SigningCertificate.objects.filter(unit=desk.unit, user=None, active=True).exists():
        return
    ca = devca.make_ca("MộtCửa CA thử nghiệm (chỉ dùng cho dữ liệu mẫu)")
    trust_authority("MộtCửa CA thử nghiệm (dữ liệu mẫu)", ca.pem(), devca.make_crl(ca, []))
    unit_name = official.unit_in_text(desk.unit.name, desk.unit.division_type)
    organisation = f"UBND {unit_name}"
    for leader in User.objects.filter(unit=desk.unit, staff_roles__role=Role.LEADER).distinct():
        issued = devca.issue(ca, leader.display_name, organisation)
        register_certificate(
            unit=desk.unit,
            user=leader,
            data=issued.pkcs12(password, [ca.certificate]),
            passphrase=password,
        )
    seal = devca.issue(ca, f"Ủy ban nhân dân {unit_name}", organisation)
    register_certificate(
        unit=desk.unit, data=seal.pkcs12(password, [ca.certificate]), passphrase=password
    )


def sign_recent_results(desk: Desk, password: str, limit: int | None = None) -> int:
    """Give the most recently returned dossiers a generated, signed and sealed result."""
    limit = settings.MOTCUA_DEMO_SIGNED_RESULTS if limit is None else limit
    dossiers = list(
        Dossier.objects.filter(unit=desk.unit, state=State.RETURNED)
        .exclude(files__role=StoredFile.Role.RESULT)
        .select_related("procedure", "procedure_version", "unit")
        .order_by("-returned_at")[:limit]
    )
    signers = {
        record.user_id: open_signer(record, password)
        for record in SigningCertificate.objects.filter(unit=desk.unit, active=True)
    }
    number = 0
    for dossier in reversed(dossiers):
        number += 1
        with transaction.atomic():
            sign_one(desk, dossier, signers, f"{number}/GXN-UBND")
    if dossiers:
        # the rebuilt histories took new numbers: number the unit's log again, gap-free
        with transaction.atomic():
            reseal_unit(desk.unit_id)
    return len(dossiers)


def sign_one(desk: Desk, dossier: Dossier, signers: dict, document_number: str) -> None:
    events = list(dossier.events.order_by("seq"))
    by_action = {e.action: e for e in events}
    approve, issue = by_action["approve"], by_action["issue"]
    leader_signer = signers.get(approve.actor_id) or next(
        s for key, s in signers.items() if key is not None
    )
    seal_signer = signers[None]
    draft = result_pdf(dossier, desk)
    now = timezone.now()
    signed = leader_signature(draft, leader_signer, dossier.unit, "Lãnh đạo", now)
    issued_on = local_day(issue.at)
    sealed = seal_signature(signed, seal_signer, dossier.unit, document_number, issued_on, now)
    name = f"ket-qua-{dossier.code}.pdf"
    files = {
        "draft": store_bytes(dossier, draft, "application/pdf", name, role="result", stage="draft"),
        "signed": store_bytes(
            dossier, signed, "application/pdf", name, role="result", stage="signed"
        ),
        "sealed": store_bytes(
            dossier,
            sealed,
            "application/pdf",
            name,
            role="result",
            stage="sealed",
            number=document_number,
            date=issued_on,
        ),
    }
    # The event each result step goes just before, done by the same person, in the same state.
    extra = {
        "submit_for_approval": ("attach_result", files["draft"]),
        "approve": ("sign_result", files["signed"]),
        "issue": ("seal_result", files["sealed"]),
    }
    steps: list[Step] = []
    for event in events:
        if event.action in extra:
            action, stored = extra[event.action]
            data = {"file": str(stored.id), "sha256": stored.sha256}
            if action == "seal_result":
                data["number"] = document_number
            steps.append(
                Step(
                    action,
                    event.from_state,
                    event.at - timedelta(minutes=1),
                    actor_id=event.actor_id,
                    actor_name=event.actor_name,
                    actor_role=event.actor_role,
                    data=data,
                )
            )
        steps.append(
            Step(
                event.action,
                event.to_state,
                event.at,
                actor_id=event.actor_id,
                actor_name=event.actor_name,
                actor_role=event.actor_role,
                note=event.note,
                data=event.data,
            )
        )
    DossierEvent.objects.filter(dossier=dossier).delete()
    chain = chain_events(dossier, steps)
    seal_events([(dossier, chain)])
    insert_rows(DossierEvent, chain)
    dossier.result_digitised = True
    dossier.save(update_fields=["result_digitised", "updated_at"])
    count_dossier(dossier)
