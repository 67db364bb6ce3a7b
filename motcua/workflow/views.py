"""Desk pages: intake, worklist (Việc của tôi), the dossier page with its actions, slips and
result steps. Thin: each view parses, calls one action, and reports its outcome."""

from __future__ import annotations

import tempfile
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from motcua.catalog.models import Field, Procedure
from motcua.catalog.queries import search_procedures
from motcua.core import lifecycle
from motcua.core.calendar import DurationKind
from motcua.core.components import is_required
from motcua.core.errors import DomainError
from motcua.core.feedback import Status as FeedbackStatus
from motcua.core.fees import CASE_KEYS
from motcua.core.identity import mask_citizen_id
from motcua.core.lifecycle import TRANSITIONS, Action, EventKind, State
from motcua.core.localtime import local
from motcua.core.periods import month_bounds
from motcua.documents import slips
from motcua.documents.register import proposed_number
from motcua.documents.results import result_document_type
from motcua.dossiers import queries
from motcua.dossiers.models import Channel, Dossier, PersonalDataAccess
from motcua.dossiers.privacy import (
    contact_data,
    has_contact_data,
    may_contact,
    record_access,
    reveal_id_number,
)
from motcua.dossiers.queries import access_dossier
from motcua.dvcqg.queries import dossier_sync_state
from motcua.feedback import queries as feedback_queries
from motcua.pagination import KnownCountPaginator
from motcua.payments.actions import request_at_reception
from motcua.payments.views import fee_panel
from motcua.queue.actions import current_ticket
from motcua.queue.queries import waiting_by_counter
from motcua.tabular import write_table
from motcua.units.access import (
    MANAGER_ROLES,
    attempt,
    client_address,
    is_admin,
    is_official,
    report_form_errors,
    staff_required,
)
from motcua.units.queries import desk_for_intake, work_calendar_for_desk
from motcua.workflow import actions, results
from motcua.workflow.forms import ActionForm, IntakeForm, PassphraseForm, SealForm
from motcua.workflow.queries import (
    TABS,
    WorkFilters,
    next_actions,
    next_step,
    tab_counts,
    worklist,
)


@staff_required
def intake_start(request):
    """Step 1: find the procedure (diacritics ignored)."""
    desk_for_intake(request.user)
    text = request.GET.get("q", "").strip()
    results = search_procedures(text)[:30] if text else []
    template = "dossiers/_procedure_choices.html" if request.htmx else "dossiers/intake_start.html"
    return render(request, template, {"q": text, "results": results})


INTAKE_OUTCOMES = {
    "receive": Action.RECEIVE,
    "supplement": Action.REQUEST_COMPLETION,
    "refuse": Action.REFUSE_RECEPTION,
    "draft": None,
}
INTAKE_DONE = {
    Action.RECEIVE: "Đã tiếp nhận hồ sơ",
    None: "Đã lưu nháp hồ sơ",
    Action.REQUEST_COMPLETION: "Đã lập phiếu yêu cầu bổ sung; hồ sơ được giữ nháp",
    Action.REFUSE_RECEPTION: "Đã lập phiếu từ chối tiếp nhận",
}


@staff_required
def intake(request, code: str):
    """Step 2: the applicant, the components, the outcome (receive, supplement, refuse)."""
    desk = desk_for_intake(request.user)
    procedure = get_object_or_404(
        Procedure.objects.select_related("current_version"), code=code, is_active=True
    )
    version = procedure.current_version
    form = IntakeForm(request.POST or None, components=version.components)
    calendar = work_calendar_for_desk(desk)
    preview = calendar.due_at(
        timezone.localtime(), version.duration, DurationKind(version.duration_unit)
    )
    if request.method == "POST" and form.is_valid():
        v = form.cleaned_data
        data = actions.IntakeData(
            procedure_code=procedure.code,
            channel=v["channel"],
            applicant=actions.applicant_from(v),
            components=v["components"],
            copies=v["copies"],
            result_delivery=v["result_delivery"],
            received_from=v["received_from"],
            forms=form.chosen_forms(),
        )
        outcome = INTAKE_OUTCOMES.get(request.POST.get("outcome", "receive"))
        try:
            dossier = actions.intake_dossier(request.user, desk, data, outcome, v["note"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"{INTAKE_DONE[outcome]}.")
            if outcome == Action.RECEIVE:  # a fee collected at reception is asked at once
                # the intake form's fee boxes (dossiers/intake.html: fee_pages, fee_copies …)
                fee_case = {k: request.POST.get(f"fee_{k}", "") for k in CASE_KEYS}
                attempt(request, lambda: request_at_reception(request.user, dossier, fee_case))
            return redirect("dossiers:detail", pk=dossier.pk)
    return render(
        request,
        "dossiers/intake.html",
        {
            "procedure": procedure,
            "version": version,
            "form": form,
            "preview": preview,
            "desk": desk,
        },
    )


def last_draft_details(dossier: Dossier) -> dict:
    """What the specialist typed for the current draft from the template (to edit it)."""
    event = (
        dossier.events.filter(action=EventKind.ATTACH_RESULT).order_by("-seq").only("data").first()
    )
    if event is None or event.data.get("how") != "template":
        return {}
    return event.data.get("details", {})


def dossier_title(dossier: Dossier) -> str:
    """The page's title: the code once received, else what the dossier waits for."""
    if dossier.code:
        return f"Hồ sơ {dossier.code}"
    if dossier.state == State.AWAITING_RECEPTION:
        return "Hồ sơ nộp trực tuyến — chờ tiếp nhận"
    return "Hồ sơ chưa tiếp nhận (nháp)"


def applicant_facts(dossier: Dossier, revealed: str = "", contact: bool = True) -> list[dict]:
    """The applicant's details for calling or writing to them (label, value, link); the ID
    number masked unless just revealed; phone, e-mail, address and birth date masked, with no
    link, when the viewer may not contact them (``privacy.may_contact``)."""
    person = dossier.applicant_kind == "person"
    id_number = dossier.applicant_id_number
    born = dossier.applicant_birth_date
    if not contact:
        return masked_facts(dossier, person)
    facts = [
        {"label": "Họ và tên" if person else "Tổ chức", "value": dossier.applicant_name},
        {
            "label": "Số định danh" if person else "Mã số thuế",
            "value": revealed
            or (mask_citizen_id(id_number) if id_number and person else id_number),
            "id": True,
        },
        {"label": "Ngày sinh", "value": f"{born:%d/%m/%Y}" if born else ""},
        {"label": "Giới tính", "value": {"nam": "Nam", "nu": "Nữ"}.get(dossier.applicant_sex, "")},
        {
            "label": "Điện thoại",
            "value": dossier.applicant_phone,
            "link": f"tel:{dossier.applicant_phone}",
        },
        {
            "label": "Thư điện tử",
            "value": dossier.applicant_email,
            "link": f"mailto:{dossier.applicant_email}",
        },
        {"label": "Địa chỉ", "value": dossier.applicant_address},
        {"label": "Người đại diện", "value": dossier.representative},
    ]
    return [fact for fact in facts if fact["value"]]


def masked_facts(dossier: Dossier, person: bool) -> list[dict]:
    d = dossier
    born = d.applicant_birth_date
    id_number = d.applicant_id_number
    phone, email, address = contact_data(d, full=False)
    facts = [
        {"label": "Họ và tên" if person else "Tổ chức", "value": d.applicant_name},
        {
            "label": "Số định danh" if person else "Mã số thuế",
            "value": mask_citizen_id(id_number) if id_number and person else id_number,
        },
        {"label": "Năm sinh", "value": f"{born:%Y}" if born else ""},
        {"label": "Điện thoại", "value": phone},
        {"label": "Thư điện tử", "value": email},
        {"label": "Địa chỉ", "value": address},
    ]
    return [fact for fact in facts if fact["value"]]


@staff_required
@require_POST
def reveal_id(request, pk):
    """Xem số định danh đầy đủ: shown on the page once, the showing logged."""
    dossier = access_dossier(request.user, pk)
    number = reveal_id_number(request.user, dossier, client_address(request))
    return detail(request, pk, revealed=number)


@staff_required
def detail(request, pk, revealed: str = ""):
    dossier = access_dossier(request.user, pk)
    roles = request.user.role_codes()
    forward = next_step(dossier.state)
    allowed = next_actions(dossier.state, roles)
    # The step that moves the dossier forward first (the big button), the others after it.
    ordered_actions = sorted(allowed, key=lambda a: 0 if forward and a == forward[0] else 1)
    available = [
        {
            "code": a.value,
            "label": TRANSITIONS[a].label,
            "note_required": TRANSITIONS[a].note_required,
            "note_label": TRANSITIONS[a].note_label,
            "main": bool(forward) and a == forward[0],
        }
        for a in ordered_actions
    ]
    # The result is not returned before the fee is paid (workflow.actions): the step waits.
    fee_due = bool(dossier.fee_amount) and dossier.fee_paid_at is None
    if fee_due:
        available = [a for a in available if a["code"] != Action.RETURN_RESULT]
    codes = {a["code"] for a in available}
    result_files = list(dossier.files.filter(role="result").order_by("uploaded_at"))
    current = result_files[-1] if result_files else None
    result_step = current.stage if current else ""
    slip_links = available_slips(dossier)
    contact = may_contact(request.user, dossier)
    if contact and has_contact_data(dossier):
        record_access(
            request.user,
            PersonalDataAccess.What.CONTACT,
            dossier=dossier,
            address=client_address(request),
            detail="trang hồ sơ",
        )
    return render(
        request,
        "dossiers/detail.html",
        {
            "dossier": dossier,
            "title": dossier_title(dossier),
            "applicant": applicant_facts(dossier, revealed, contact),
            "id_masked": dossier.applicant_kind == "person"
            and bool(dossier.applicant_id_number)
            and not revealed,
            "may_reveal": request.user.unit_id == dossier.unit_id and is_official(request.user),
            "papers": [
                {"name": c["name"], "required": is_required(c), "condition": c.get("condition")}
                for c in dossier.procedure_version.components
            ],
            "events": dossier.events.order_by("seq"),
            "sync": dossier_sync_state(dossier.pk),
            "fee_panel": fee_panel(request, dossier),
            "fee_due": fee_due and dossier.state == State.DONE,
            "available": available,
            "main_action": any(a["main"] for a in available),
            "other_actions": any(not a["main"] for a in available),
            "form": ActionForm(),
            "slip_links": slip_links,
            # just received at the desk: the slip to hand over comes first
            "print_receipt": dossier.state == State.RECEIVED
            and any(slug == "tiep-nhan" for slug, _ in slip_links),
            "missing": actions.missing_components(dossier) if dossier.state == State.DRAFT else [],
            "result_files": result_files,
            "result_step": result_step,
            "can_draft": dossier.state in (State.IN_REVIEW, State.AWAITING_APPROVAL)
            and bool(roles & {lifecycle.SPECIALIST, lifecycle.HEAD, lifecycle.DEPUTY}),
            "can_sign": "approve" in codes and result_step == "draft",
            "can_seal": "issue" in codes and result_step == "signed",
            "current_result": current,
            "result_system": dossier.procedure_version.result_system,
            "draft_values": last_draft_details(dossier),
            "proposed_number": proposed_number(
                dossier, result_document_type(dossier), timezone.localdate()
            )
            if "issue" in codes and result_step == "signed"
            else "",
        },
    )


SLIP_ACTIONS = {
    "tiep-nhan": ("Giấy tiếp nhận và hẹn trả kết quả", "receive"),
    "yeu-cau-bo-sung": ("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", "request_completion"),
    "bo-sung": ("Phiếu yêu cầu bổ sung hồ sơ", "request_supplement"),
    "tu-choi": ("Phiếu từ chối tiếp nhận giải quyết hồ sơ", "refuse_reception"),
    "tu-choi-giai-quyet": ("Phiếu từ chối giải quyết hồ sơ", "refuse"),
    "xin-loi": ("Văn bản xin lỗi và đề nghị gia hạn", "apologize"),
    "dung": ("Thông báo dừng giải quyết hồ sơ", "stop"),
}


def available_slips(dossier: Dossier) -> list[tuple[str, str]]:
    done = set(dossier.events.values_list("action", flat=True))
    links = [(slug, label) for slug, (label, action) in SLIP_ACTIONS.items() if action in done]
    if dossier.received_at:
        links.append(("kiem-soat", "Phiếu kiểm soát quá trình giải quyết"))
    return links


@staff_required
def slip(request, pk, form: str):
    dossier = access_dossier(request.user, pk)
    if form == "kiem-soat" and dossier.received_at:
        pdf = slips.control_slip_pdf(dossier)
    elif form in SLIP_ACTIONS:
        event = slips.last_event(dossier, SLIP_ACTIONS[form][1])
        if event is None:
            raise Http404
        builders = {
            "receive": lambda: slips.receipt_slip_pdf(dossier),
            "request_completion": lambda: slips.supplement_request_pdf(dossier, event),
            "request_supplement": lambda: slips.supplement_request_pdf(dossier, event),
            "refuse_reception": lambda: slips.refusal_pdf(dossier, event),
            "refuse": lambda: slips.refusal_pdf(dossier, event),
            "apologize": lambda: slips.apology_pdf(dossier, event),
            "stop": lambda: slips.stop_notice_pdf(dossier, event),
        }
        pdf = builders[event.action]()
    else:
        raise Http404
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.code or dossier.pk}-{form}.pdf"'
    return response


@staff_required
@require_POST
def act(request, pk, name: str):
    dossier = access_dossier(request.user, pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect("dossiers:detail", pk=pk)
    v = form.cleaned_data
    components = request.POST.getlist("components") or None
    step = actions.ActionInput(
        note=v["note"],
        new_due_at=v["new_due_at"],
        collected_by=v["collected_by"],
        transferred_to=v["transferred_to"],
        components=components,
    )
    label = lifecycle.EVENT_LABELS.get(name, name)
    attempt(
        request,
        lambda: actions.perform(dossier.pk, request.user, name, step),
        f"Đã thực hiện: {label}.",
    )
    return redirect("dossiers:detail", pk=pk)


def feedback_waiting(user, today) -> dict:
    """The feedback the worklist points to: the unit's overdue ones, and the official's own
    open ones (assigned to them, or waiting to be assigned for the head and deputy)."""
    theirs = feedback_queries.feedback_of_units([user.unit_id])
    open_ = theirs.filter(status__in=[FeedbackStatus.RECEIVED, FeedbackStatus.HANDLING])
    mine = open_.filter(assignee=user)
    if user.has_role(*MANAGER_ROLES):
        mine = open_.filter(Q(assignee=user) | Q(status=FeedbackStatus.RECEIVED))
    return {
        "overdue": feedback_queries.overdue(theirs, today).count(),
        "mine": mine.count(),
    }


def read_work_filters(request) -> WorkFilters:
    """The worklist's search box and filters from the query string (wrong values ignored)."""
    get = request.GET
    field = get.get("linh_vuc", "")
    state = get.get("trang_thai", "")
    channel = get.get("kenh", "")
    return WorkFilters(
        text=get.get("q", "").strip()[:100],
        field=int(field) if field.isdigit() else None,
        procedure=get.get("thu_tuc", "").strip()[:20],
        state=state if state in State._value2member_map_ else "",
        channel=channel if channel in Channel.values else "",
    )


def work_row(d: Dossier, roles: frozenset[str], detail_url: str) -> dict:
    """One line of the worklist, formatted here (no template filters per row)."""
    due = local(d.due_at) if d.due_at else None
    return {
        "url": detail_url.replace(PLACEHOLDER, str(d.pk)),
        "code": d.code or "",
        "procedure": d.procedure_version.name,
        "applicant": d.applicant_name,
        "state": lifecycle.STATE_LABELS[State(d.state)],
        "due": f"{due:%H:%M %d/%m/%Y}" if due else "",
        "urgency": {0: "overdue", 1: "today"}.get(d.urgency, ""),
        "todo": todo_text(d.state, roles),
        "submitted": f"{local(d.submitted_at):%H:%M %d/%m/%Y}" if d.submitted_at else "",
    }


PLACEHOLDER = "00000000-0000-0000-0000-000000000000"
WHO = {
    lifecycle.CITIZEN: "công dân",
    lifecycle.SPECIALIST: "công chức chuyên môn",
    lifecycle.LEADER: "lãnh đạo",
    lifecycle.CLERK: "văn thư",
}


def todo_text(state: str, roles: frozenset[str]) -> str:
    """ "Nhận xử lý" when the step is the user's; else who it waits for."""
    step = next_step(state)
    if step is None:
        return ""
    action, allowed = step
    if roles & allowed:
        return TRANSITIONS[action].label
    if state in (State.AWAITING_SUPPLEMENT, State.DONE):
        return "Chờ công dân"
    who = next(
        (WHO[r] for r in (lifecycle.LEADER, lifecycle.CLERK, lifecycle.SPECIALIST) if r in allowed),
        "",
    )
    return f"Chờ {who}" if who else ""


def landing_for(user) -> str:
    """Where a member of staff without a to-do list starts: the overseer on their province's
    figures, an administrator on the admin."""
    if user.has_role("overseer") and user.unit_id:
        return f"{reverse('reports:dashboard')}?don_vi={user.unit_id}"
    if is_admin(user) and not user.unit_id:
        return reverse("admin:index")
    return reverse("reports:dashboard")


@staff_required
def my_work(request):
    """Việc của tôi: the user's next steps, overdue first in red, due today next; the other
    tabs for what waits for someone else or for the citizen; search and filters."""
    user = request.user
    if not is_official(user):
        return redirect(landing_for(user))
    tab = request.GET.get("tab", "mine")
    tab = tab if tab in TABS else "mine"
    filters = read_work_filters(request)
    now = timezone.now()
    counts = tab_counts(user, filters)
    qs = worklist(user, tab, filters, now=now)
    # The tab's count is known already: the paginator need not count again.
    page = KnownCountPaginator(qs, 50, None if filters.searching else counts[tab]).get_page(
        request.GET.get("trang")
    )
    roles = user.role_codes()
    detail_url = reverse("dossiers:detail", args=[PLACEHOLDER])
    rows = [work_row(d, roles, detail_url) for d in page.object_list]
    query = {k: v for k, v in request.GET.items() if k not in ("trang",) and v}
    return render(
        request,
        "dossiers/worklist.html",
        {
            "tab": tab,
            "tabs": [(key, label, counts[key]) for key, label in TABS.items()],
            "filters": filters,
            "page": page,
            "rows": rows,
            "query": urlencode({k: v for k, v in query.items() if k != "tab"}),
            "pager_query": urlencode(query),
            "fields": Field.objects.filter(procedures__is_active=True).distinct().order_by("name"),
            "states": [
                (s.value, lifecycle.STATE_LABELS[s])
                for s in State
                if s not in (State.DRAFT, *lifecycle.TERMINAL)
            ],
            "channels": Channel.choices,
            "overdue": sum(1 for r in rows if r["urgency"] == "overdue"),
            "can_receive": bool(roles & lifecycle.DESK),
            "feedback": feedback_waiting(user, timezone.localdate()),
            "queue": {
                "current": current_ticket(user),
                "waiting": sum(waiting_by_counter(user.unit_id, timezone.localdate()).values()),
            },
        },
    )


@staff_required
def log_book(request):
    """Sổ theo dõi hồ sơ (Mẫu 07, TT 03/2025): a month at a time; XLSX export."""
    start, end = month_bounds(request.GET.get("thang", ""), timezone.localdate())
    qs = queries.log_book(request.user, start, end).select_related("procedure_version")
    if request.GET.get("xuat") == "xlsx":
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
            full = [0]

            def rows():
                for i, d in enumerate(qs.iterator(), start=1):
                    contact = may_contact(request.user, d)
                    full[0] += contact
                    yield queries.log_book_row(i, d, contact)

            write_table(
                handle.name, queries.LOG_BOOK_COLUMNS, rows(), sheet_title="Sổ theo dõi hồ sơ"
            )
            data = open(handle.name, "rb").read()
        if full[0]:
            record_access(
                request.user,
                PersonalDataAccess.What.EXPORT,
                address=client_address(request),
                detail=f"Sổ theo dõi tháng {start:%m/%Y} (XLSX), {full[0]} hồ sơ",
            )
        response = HttpResponse(
            data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="so-theo-doi-{start:%Y-%m}.xlsx"'
        return response
    page = Paginator(qs, 100).get_page(request.GET.get("trang"))
    offset = (page.number - 1) * 100
    contacts = [may_contact(request.user, d) for d in page.object_list]
    rows = [
        queries.log_book_row(offset + i, d, contact)
        for i, (d, contact) in enumerate(zip(page.object_list, contacts, strict=True), start=1)
    ]
    if any(contacts):
        record_access(
            request.user,
            PersonalDataAccess.What.LIST,
            address=client_address(request),
            detail=f"Sổ theo dõi tháng {start:%m/%Y}, trang {page.number}, {sum(contacts)} hồ sơ",
        )
    return render(
        request,
        "dossiers/log_book.html",
        {
            "columns": queries.LOG_BOOK_COLUMNS,
            "rows": rows,
            "page": page,
            "month": f"{start:%Y-%m}",
            "month_label": f"{start:%m/%Y}",
        },
    )


# --- the result steps ------------------------------------------------------------------------


@staff_required
@require_POST
def draft_result(request, pk):
    """Lập dự thảo kết quả: from the template, or an uploaded PDF/photo."""
    dossier = access_dossier(request.user, pk)
    upload = request.FILES.get("file") if request.POST.get("upload") else None
    if request.POST.get("upload") and upload is None:
        messages.error(request, "Hãy chọn tệp dự thảo (PDF hoặc ảnh chụp) trước khi tải lên.")
        return redirect("dossiers:detail", pk=pk)
    details = {name: value[:4000] for name, value in request.POST.items()}
    metadata = {
        name: request.POST.get(name, "")[:600] for name in ("document_number", "document_date")
    }
    attempt(
        request,
        lambda: results.attach_result(
            dossier.pk, request.user, upload=upload, details=details, metadata=metadata
        ),
        "Đã lưu văn bản kết quả." if upload else "Đã lập dự thảo kết quả.",
    )
    return redirect("dossiers:detail", pk=pk)


def signing_step(request, pk, form_class, step, done: str):
    """Validate the form, run ``step(dossier_id, user, cleaned_data)``, report, go back."""
    dossier = access_dossier(request.user, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect("dossiers:detail", pk=pk)
    attempt(request, lambda: step(dossier.pk, request.user, form.cleaned_data), done)
    return redirect("dossiers:detail", pk=pk)


@staff_required
@require_POST
def sign_result(request, pk):
    """Ký duyệt: the leader signs the draft with their certificate and approves."""
    return signing_step(
        request,
        pk,
        PassphraseForm,
        lambda dossier_id, user, v: results.sign_and_approve(
            dossier_id, user, v["passphrase"], v["note"], v["previewed"]
        ),
        "Đã ký số và phê duyệt kết quả.",
    )


@staff_required
@require_POST
def seal_result(request, pk):
    """Cấp số, đóng dấu số và ban hành."""
    return signing_step(
        request,
        pk,
        SealForm,
        lambda dossier_id, user, v: results.seal_and_issue(
            dossier_id, user, v["passphrase"], v["number"], v["reason"]
        ),
        "Đã cấp số, đóng dấu số và ban hành kết quả.",
    )
