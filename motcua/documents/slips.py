"""The lifecycle forms of TT 03/2025/TT-VPCP as PDF: 01 receipt, 02 supplement request,
03 refusal, 04 apology and extension, 05 stop notice, 06 process control slip."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from motcua.accounts.queries import committee_signer
from motcua.core import lifecycle, official
from motcua.core.classify import TIMELINESS_LABELS, Timeliness, by_due_moment
from motcua.core.components import FORM_LABELS
from motcua.core.lifecycle import EVENT_LABELS, ROLE_LABELS, Action
from motcua.documents.pdf import qr_svg, render_pdf
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.queries import rating_url, tracking_url
from motcua.units.models import Desk

ROLE_PLACES = {
    "specialist": "Bộ phận Một cửa / công chức chuyên môn",
    "head": "Lãnh đạo Bộ phận Một cửa",
    "deputy": "Lãnh đạo Bộ phận Một cửa",
    "leader": "Lãnh đạo UBND xã",
    "clerk": "Văn thư UBND xã",
    "citizen": "Tổ chức, cá nhân",
    "system": "Hệ thống",
}


def sentence(text: str) -> str:
    """A reason typed at the desk, ended with a full stop as printed text needs."""
    text = text.strip()
    return text if not text or text[-1] in ".!?…:;)" else f"{text}."


SALUTATIONS = {"nam": "Ông", "nu": "Bà", "nữ": "Bà"}


def base_context(dossier: Dossier, title: str, *, number: str = "", qr: bool = False) -> dict:
    desk = Desk.objects.select_related("unit").get(unit_id=dossier.unit_id)
    unit = desk.unit
    issued = timezone.localdate()
    heading = official.unit_heading(unit.name, unit.division_type)
    context = {
        "title": title,
        "dossier": dossier,
        "version": dossier.procedure_version,
        "desk": desk,
        "unit_upper": f"UBND {heading}",
        "desk_upper": desk.name.upper().replace(unit.name.upper(), "").strip() or desk.name.upper(),
        "unit_name_upper": heading,
        "unit_in_text": official.unit_in_text(unit.name, unit.division_type),
        "place": official.place_name(unit.name, unit.division_type),
        "issued": issued,
        "issued_words": official.date_words(issued),
        "salutation": SALUTATIONS.get(dossier.applicant_sex.lower(), "Ông/Bà"),
        "number": number,
        "received": timezone.localtime(dossier.received_at) if dossier.received_at else None,
        "due": timezone.localtime(dossier.due_at) if dossier.due_at else None,
    }
    if qr:
        context["tracking_url"] = tracking_url(dossier)
        context["qr"] = qr_svg(context["tracking_url"])
    return context


def last_event(dossier: Dossier, action: str) -> DossierEvent | None:
    return dossier.events.filter(action=action).order_by("-seq").first()


def unit_signer(dossier: Dossier, event: DossierEvent | None = None) -> dict:
    """The signer's block of a letter the commune's People's Committee sends (03 after review,
    04, 05): the leader who took the step, else the chairman (accounts.queries)."""
    leader = event.actor if event is not None and event.actor_role == lifecycle.LEADER else None
    signer = committee_signer(dossier.unit_id, leader)
    return {"lines": signer.lines, "name": signer.name}


def papers_handed_over(dossier: Dossier) -> list[tuple[dict, str]]:
    """The papers the desk ticked, in the procedure's order, with the form each was handed
    over in ("Bản chính", "Bản sao" …; blank when nobody said)."""
    submitted = set(dossier.submitted_components)
    forms = dossier.submitted_forms or {}
    return [
        (c, FORM_LABELS.get(forms.get(c["name"]) or c.get("form", ""), ""))
        for c in dossier.procedure_version.components
        if c["name"] in submitted
    ]


def receipt_slip_pdf(dossier: Dossier) -> bytes:
    """Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả."""
    event = last_event(dossier, Action.RECEIVE)
    context = base_context(
        dossier,
        "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        number=dossier.code.rsplit("-", 1)[-1],
        qr=True,
    )
    # the citizen rates the service once the result is returned (docs/ratings.md)
    context["rating_url"] = rating_url(dossier, "qr")
    context["rating_qr"] = qr_svg(context["rating_url"])
    context["components"] = [
        {"name": c["name"], "form": form_label, "count": c.get("count", 1)}
        for c, form_label in papers_handed_over(dossier)
    ]
    context["sequence"] = dossier.code.rsplit("-", 1)[-1]
    context["official"] = event.actor_name if event else ""
    return render_pdf("documents/receipt_slip.html", context)


def supplement_request_pdf(dossier: Dossier, event: DossierEvent) -> bytes:
    """Mẫu 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."""
    context = base_context(
        dossier, "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", qr=bool(dossier.code)
    )
    context["items"] = [line.strip(" -•") for line in event.note.splitlines() if line.strip()]
    context["reason"] = event.data.get("reason", "")
    context["official"] = event.actor_name
    return render_pdf("documents/supplement_request.html", context)


def refusal_pdf(dossier: Dossier, event: DossierEvent) -> bytes:
    """Mẫu 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ."""
    context = base_context(dossier, "Phiếu từ chối tiếp nhận giải quyết hồ sơ")
    context["reason"] = sentence(event.note)
    context["official"] = event.actor_name
    if event.action == Action.REFUSE:
        # Refused by the leader after review: the People's Committee's answer, signed as such.
        context["signer"] = unit_signer(dossier, event)
    return render_pdf("documents/refusal.html", context)


def apology_pdf(dossier: Dossier, event: DossierEvent) -> bytes:
    """Mẫu 04: Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết."""
    context = base_context(
        dossier, "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết", qr=True
    )
    context["old_due"] = timezone.localtime(datetime.fromisoformat(event.data["old_due_at"]))
    context["new_due"] = timezone.localtime(datetime.fromisoformat(event.data["new_due_at"]))
    context["reason"] = sentence(event.note)
    context["signer"] = unit_signer(dossier, event)
    return render_pdf("documents/apology_extension.html", context)


def stop_notice_pdf(dossier: Dossier, event: DossierEvent) -> bytes:
    """Mẫu 05: Thông báo dừng giải quyết hồ sơ."""
    context = base_context(dossier, "Thông báo dừng giải quyết hồ sơ")
    context["reason"] = sentence(event.note)
    context["signer"] = unit_signer(dossier, event)
    return render_pdf("documents/stop_notice.html", context)


def control_slip_rows(dossier: Dossier) -> list[dict]:
    """Each hand-over from the event log, with its timeliness against the due moment then."""
    rows = []
    for event in dossier.events.order_by("seq"):
        at = timezone.localtime(event.at)
        timeliness = ""
        if dossier.due_at and event.action in (
            "issue",
            "return_result",
            "refuse",
            "stop",
            "withdraw",
        ):
            label = by_due_moment(at, timezone.localtime(dossier.due_at))
            if dossier.timeliness:
                label = Timeliness(dossier.timeliness)
            timeliness = TIMELINESS_LABELS[label]
        rows.append(
            {
                "place": ROLE_PLACES.get(event.actor_role, event.actor_role),
                "label": EVENT_LABELS.get(event.action, event.action),
                "at": at,
                "actor": event.actor_name,
                "role": ROLE_LABELS.get(event.actor_role, ""),
                "timeliness": timeliness,
                "note": event.note,
            }
        )
    return rows


def control_slip_pdf(dossier: Dossier) -> bytes:
    """Mẫu 06: Phiếu kiểm soát quá trình giải quyết hồ sơ, from the events."""
    context = base_context(dossier, "Phiếu kiểm soát quá trình giải quyết hồ sơ")
    context["rows"] = control_slip_rows(dossier)
    tip = dossier.events.order_by("-seq").first()
    context["chain_tip"] = tip.hash if tip else ""
    return render_pdf("documents/control_slip.html", context)
