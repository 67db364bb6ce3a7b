"""Desk pages: intake, worklist (Việc của tôi), dossier page with its actions and slips."""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from motcua.catalog.models import Procedure
from motcua.catalog.queries import search_procedures
from motcua.core import lifecycle
from motcua.core.calendar import DurationKind
from motcua.core.lifecycle import TRANSITIONS, Action, State
from motcua.core.localtime import LOCAL_TZ
from motcua.documents import slips
from motcua.dossiers import actions, queries
from motcua.dossiers.forms import ActionForm, IntakeForm
from motcua.dossiers.models import Dossier
from motcua.dossiers.queries import visible_dossiers, worklist
from motcua.tabular import write_table
from motcua.units.models import Desk
from motcua.units.queries import work_calendar_for_desk
from motcua.units.views import staff_required


def user_desk(user) -> Desk:
    desk = Desk.objects.select_related("unit").filter(unit_id=user.unit_id).first()
    if desk is None or not user.has_role(*lifecycle.DESK):
        raise PermissionDenied("Chỉ cán bộ Bộ phận Một cửa của xã mới tiếp nhận hồ sơ.")
    return desk


@staff_required
def intake_start(request):
    """Step 1: find the procedure (diacritics ignored)."""
    user_desk(request.user)
    text = request.GET.get("q", "").strip()
    results = search_procedures(text)[:30] if text else []
    template = "dossiers/_procedure_choices.html" if request.htmx else "dossiers/intake_start.html"
    return render(request, template, {"q": text, "results": results})


@staff_required
def intake(request, code: str):
    """Step 2: the applicant, the components, the outcome (receive, supplement, refuse)."""
    desk = user_desk(request.user)
    procedure = get_object_or_404(
        Procedure.objects.select_related("current_version"), code=code, is_active=True
    )
    version = procedure.current_version
    names = [c["name"] for c in version.components]
    form = IntakeForm(request.POST or None, component_names=names)
    calendar = work_calendar_for_desk(desk)
    preview = calendar.due_at(
        timezone.localtime(), version.duration, DurationKind(version.duration_unit)
    )
    if request.method == "POST" and form.is_valid():
        outcome = request.POST.get("outcome", "receive")
        v = form.cleaned_data
        data = actions.IntakeData(
            procedure_code=procedure.code,
            channel=v["channel"],
            applicant=actions.applicant_from(v),
            components=v["components"],
            copies=v["copies"],
            result_delivery=v["result_delivery"],
            received_from=v["received_from"],
            has_paper=v["channel"] in ("direct", "post"),
        )
        step = {
            "receive": Action.RECEIVE,
            "supplement": Action.REQUEST_COMPLETION,
            "refuse": Action.REFUSE_RECEPTION,
        }.get(outcome)
        try:
            with transaction.atomic():
                dossier = actions.create_draft(request.user, desk, data)
                if step == Action.REQUEST_COMPLETION and not v["note"].strip():
                    missing = actions.missing_components(dossier)
                    v["note"] = "\n".join(missing)
                if step is not None:
                    actions.perform(
                        dossier.pk, request.user, step, actions.ActionInput(note=v["note"])
                    )
        except actions.DossierError as exc:
            form.add_error(None, str(exc))
        else:
            labels = {
                Action.RECEIVE: "Đã tiếp nhận hồ sơ",
                None: "Đã lưu nháp hồ sơ",
                Action.REQUEST_COMPLETION: "Đã lập phiếu yêu cầu bổ sung; hồ sơ được giữ nháp",
                Action.REFUSE_RECEPTION: "Đã lập phiếu từ chối tiếp nhận",
            }
            messages.success(request, f"{labels[step]}.")
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


def get_visible(request, pk) -> Dossier:
    dossier = visible_dossiers(request.user).filter(pk=pk).first()
    if dossier is None:
        if Dossier.objects.filter(pk=pk).exists():
            raise PermissionDenied("Bạn không có quyền xem hồ sơ của đơn vị khác.")
        raise Http404
    return dossier


@staff_required
def detail(request, pk):
    dossier = get_visible(request, pk)
    roles = request.user.role_codes()
    available = [
        {
            "code": a.value,
            "label": TRANSITIONS[a].label,
            "note_required": TRANSITIONS[a].note_required,
            "note_label": TRANSITIONS[a].note_label,
        }
        for a in lifecycle.available_actions(dossier.state, roles)
        if a != Action.SUBMIT_ONLINE
    ]
    codes = {a["code"] for a in available}
    result_files = list(dossier.files.filter(role="result").order_by("uploaded_at"))
    result_step = result_files[-1].stage if result_files else ""
    return render(
        request,
        "dossiers/detail.html",
        {
            "dossier": dossier,
            "events": dossier.events.order_by("seq"),
            "available": available,
            "form": ActionForm(),
            "slip_links": available_slips(dossier),
            "missing": actions.missing_components(dossier) if dossier.state == State.DRAFT else [],
            "result_files": result_files,
            "result_step": result_step,
            "can_draft": dossier.state in (State.IN_REVIEW, State.AWAITING_APPROVAL)
            and bool(roles & {lifecycle.SPECIALIST, lifecycle.HEAD, lifecycle.DEPUTY}),
            "can_sign": "approve" in codes and result_step == "draft",
            "can_seal": "issue" in codes and result_step == "signed",
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
    dossier = get_visible(request, pk)
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
    dossier = get_visible(request, pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("dossiers:detail", pk=pk)
    v = form.cleaned_data
    components = request.POST.getlist("components") or None
    try:
        actions.perform(
            dossier.pk,
            request.user,
            name,
            actions.ActionInput(
                note=v["note"],
                new_due_at=v["new_due_at"],
                collected_by=v["collected_by"],
                transferred_to=v["transferred_to"],
                components=components,
            ),
        )
    except actions.DossierError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Đã thực hiện: {TRANSITIONS[Action(name)].label}.")
    return redirect("dossiers:detail", pk=pk)


@staff_required
def my_work(request):
    """Việc của tôi: due soon first, overdue in red."""
    now = timezone.now()
    qs = worklist(request.user)
    page = Paginator(qs, 50).get_page(request.GET.get("trang"))
    soon = now + timedelta(days=1)
    rows = []
    for d in page.object_list:
        running = d.state in lifecycle.IN_PROGRESS and d.pending_supplement_since is None
        urgency = ""
        if running and d.due_at and d.due_at < now:
            urgency = "overdue"
        elif running and d.due_at and d.due_at < soon:
            urgency = "soon"
        rows.append((d, urgency))
    return render(request, "dossiers/worklist.html", {"page": page, "rows": rows})


def month_range(text: str):
    """ "2026-11" → (start, end) aware datetimes of that month (default: this month)."""
    today = timezone.localdate()
    try:
        year, month = (int(x) for x in text.split("-")) if text else (today.year, today.month)
        start = datetime(year, month, 1, tzinfo=LOCAL_TZ)
    except ValueError:
        year, month = today.year, today.month
        start = datetime(year, month, 1, tzinfo=LOCAL_TZ)
    end = start.replace(year=year + (month == 12), month=month % 12 + 1)
    return start, end


@staff_required
def log_book(request):
    """Sổ theo dõi hồ sơ (Mẫu 07, TT 03/2025): a month at a time; XLSX export."""
    start, end = month_range(request.GET.get("thang", ""))
    qs = queries.log_book(request.user, start, end).select_related("procedure_version")
    if request.GET.get("xuat") == "xlsx":
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
            rows = (queries.log_book_row(i, d) for i, d in enumerate(qs.iterator(), start=1))
            write_table(
                handle.name, queries.LOG_BOOK_COLUMNS, rows, sheet_title="Sổ theo dõi hồ sơ"
            )
            data = open(handle.name, "rb").read()
        response = HttpResponse(
            data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="so-theo-doi-{start:%Y-%m}.xlsx"'
        return response
    page = Paginator(qs, 100).get_page(request.GET.get("trang"))
    offset = (page.number - 1) * 100
    rows = [queries.log_book_row(offset + i, d) for i, d in enumerate(page.object_list, start=1)]
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
