"""The desk's feedback pages (/ho-so/phan-anh/…): the list with each one's countdown, a
feedback received at the desk, one feedback with its steps. Thin: each step is one function of
``motcua.workflow.feedback``; a refusal of a rule comes back as a message on the page."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from motcua.accounts.models import User
from motcua.accounts.throttle import client_address
from motcua.core import feedback as rules
from motcua.core.feedback import ABOUT_LABELS, ABOUT_SHORT, SOURCE_LABELS, About, Status
from motcua.core.localtime import local
from motcua.feedback import queries
from motcua.feedback.models import Feedback
from motcua.units.access import (
    MANAGER_ROLES,
    OFFICIAL_ROLES,
    attempt,
    is_admin,
    is_official,
    staff_required,
    visible_units,
)
from motcua.units.models import Unit
from motcua.workflow import feedback as steps
from motcua.workflow.forms import feedback_data

TABS = {
    "mo": ("Cần xử lý", [Status.RECEIVED, Status.HANDLING]),
    "cho-cong-khai": ("Chờ công khai", [Status.ANSWERED]),
    "cho-bo-sung": ("Chờ người gửi bổ sung", [Status.ASKING]),
    "da-xong": ("Đã xong", [Status.PUBLISHED, Status.REFUSED]),
}


def visible_feedback(user):
    return queries.feedback_of_units(visible_units(user).values_list("code", flat=True))


def get_feedback(user, pk) -> Feedback:
    fb = visible_feedback(user).select_related("unit", "procedure", "assignee").filter(pk=pk)
    fb = fb.first()
    if fb is None:
        raise Http404("Không tìm thấy phản ánh.")
    return fb


def row(fb: Feedback, today) -> dict:
    c = queries.countdown(fb, today)
    return {
        "fb": fb,
        "received": f"{local(fb.received_at):%d/%m/%Y}",
        "about": ABOUT_LABELS[About(fb.about)],
        "about_short": ABOUT_SHORT[About(fb.about)],
        "countdown": c,
        "due": f"{c.clock.due:%d/%m/%Y}" if c.clock.due else "",
        "urgency": "overdue" if c.late and c.left is not None else ("today" if c.urgent else ""),
    }


@staff_required
def feedback_list(request):
    """Phản ánh, kiến nghị: the open ones first by their deadline, each with its countdown."""
    tab = request.GET.get("tab", "mo")
    tab = tab if tab in TABS else "mo"
    today = timezone.localdate()
    mine = visible_feedback(request.user)
    by_status = dict(mine.order_by().values_list("status").annotate(n=Count("pk")))
    counts = {
        key: sum(by_status.get(s, 0) for s in statuses) for key, (_, statuses) in TABS.items()
    }
    qs = mine.filter(status__in=TABS[tab][1]).select_related("unit", "assignee")
    order = "-received_at" if tab == "da-xong" else "handle_by"
    rows = [row(fb, today) for fb in qs.order_by(order, "received_at")[:200]]
    return render(
        request,
        "dossiers/feedback_list.html",
        {
            "tab": tab,
            "tabs": [(key, label, counts[key]) for key, (label, _) in TABS.items()],
            "rows": rows,
            "overdue": queries.overdue(mine, today).count(),
            "rules": queries.rules_for(request.user.unit)
            if request.user.unit_id
            else rules.RULES_766,
            "default_rules": rules.RULES_766,
            "can_receive": is_official(request.user),
        },
    )


@staff_required
def feedback_new(request):
    """A feedback said or handed in at the desk, entered by the official."""
    user = request.user
    if not is_official(user):
        raise Http404("Chỉ cán bộ của xã mới nhập phản ánh.")
    values = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        unit = Unit.objects.get(code=user.unit_id)
        done = {}

        def receive():
            done["fb"] = steps.receive_feedback(
                unit,
                feedback_data(request.POST),
                "desk",
                official=user,
                files=request.FILES.getlist("tep"),
            )

        if attempt(request, receive):
            fb = done["fb"]
            messages.success(
                request, f"Đã tiếp nhận phản ánh {fb.code}. Hạn trả lời: {fb.handle_by:%d/%m/%Y}."
            )
            return redirect("dossiers:feedback_detail", pk=fb.pk)
    return render(
        request,
        "dossiers/feedback_new.html",
        {"values": values, "abouts": list(ABOUT_LABELS.items())},
    )


@staff_required
def feedback_detail(request, pk):
    user = request.user
    fb = get_feedback(user, pk)
    today = timezone.localdate()
    own = is_admin(user) or (user.unit_id == fb.unit_id and user.has_role(*OFFICIAL_ROLES))
    manager = own and (is_admin(user) or user.has_role(*MANAGER_ROLES))
    handler = own and (manager or fb.assignee_id == user.pk)
    status = Status(fb.status)
    return render(
        request,
        "dossiers/feedback_detail.html",
        {
            "fb": fb,
            "r": row(fb, today),
            "source": SOURCE_LABELS[rules.Source(fb.source)],
            "contact": steps.sender_contact(user, fb, client_address(request), "Phản ánh"),
            "events": fb.events.all(),
            "files": fb.files.defer("data"),
            "abouts": list(ABOUT_LABELS.items()),
            "officials": User.objects.filter(
                unit_id=fb.unit_id, is_active=True, staff_roles__role__in=list(OFFICIAL_ROLES)
            )
            .distinct()
            .order_by("full_name")
            if manager
            else [],
            "can": {
                "classify": manager and status in (Status.RECEIVED, Status.HANDLING),
                "refuse": manager and status in (Status.RECEIVED, Status.HANDLING),
                "ask": handler and status in (Status.RECEIVED, Status.HANDLING),
                "answer": handler and status in (Status.RECEIVED, Status.HANDLING),
                "publish": manager and status == Status.ANSWERED,
                "supplement": own and status == Status.ASKING,
            },
            "rules": {
                "refuse": f"{fb.refuse_by:%d/%m/%Y}",
                "ask": f"{fb.ask_by:%d/%m/%Y}",
                "handle": f"{fb.handle_by:%d/%m/%Y}",
                "publish": f"{fb.publish_by:%d/%m/%Y}" if fb.publish_by else "",
            },
            "soon": today + timedelta(days=3),
        },
    )


STEP_DONE = {
    "phan-loai": "Đã phân loại và giao xử lý.",
    "tu-choi": "Đã từ chối tiếp nhận; người gửi được báo lý do.",
    "yeu-cau-bo-sung": "Đã gửi yêu cầu bổ sung cho người gửi.",
    "bo-sung": "Đã ghi nhận thông tin bổ sung; thời hạn trả lời được tính lại.",
    "tra-loi": "Đã gửi câu trả lời cho người gửi.",
    "cong-khai": "Đã công khai câu trả lời.",
}


@staff_required
@require_POST
def feedback_step(request, pk, name: str):
    user = request.user
    fb = get_feedback(user, pk)
    post = request.POST
    files = request.FILES.getlist("tep")
    run = {
        "phan-loai": lambda: steps.classify_feedback(
            user,
            fb.pk,
            post.get("ve", ""),
            post.get("giao_cho") or None,
            post.get("thu_tuc", ""),
            post.get("can_bo") or None,
        ),
        "tu-choi": lambda: steps.refuse_feedback(user, fb.pk, post.get("ly_do", "")),
        "yeu-cau-bo-sung": lambda: steps.ask_for_more(user, fb.pk, post.get("noi_dung", "")),
        "bo-sung": lambda: steps.supplement_feedback(
            fb.pk, post.get("noi_dung", ""), files, official=user
        ),
        "tra-loi": lambda: steps.answer_feedback(user, fb.pk, post.get("noi_dung", ""), files),
        "cong-khai": lambda: steps.publish_feedback(
            user, fb.pk, post.get("cau_hoi", ""), post.get("tra_loi", "")
        ),
    }.get(name)
    if run is None:
        raise Http404("Không có bước này.")
    attempt(request, run, STEP_DONE[name])
    return redirect("dossiers:feedback_detail", pk=fb.pk)


@staff_required
def feedback_file(request, pk, file_id):
    fb = get_feedback(request.user, pk)
    f = fb.files.filter(pk=file_id).first()
    if f is None:
        raise Http404("Không tìm thấy tệp.")
    response = HttpResponse(bytes(f.data), content_type=f.mime_type)
    response["Content-Disposition"] = f'attachment; filename="tep-{f.pk}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
