"""The duty roster's pages (/bo-phan/lich-truc/…): the week with its shifts, adding and removing
one, copying last week, the counters; the week as an A4 page to print; and the officials'
workload (/ho-so/khoi-luong/). Thin: the rules are in ``motcua.core.roster`` and the changes in
``motcua.roster.actions``."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from motcua.accounts.models import User
from motcua.catalog.models import Field
from motcua.core import official
from motcua.core import roster as rules
from motcua.core.errors import DomainError
from motcua.core.periods import parse_day
from motcua.documents.pdf import render_pdf
from motcua.queue import actions as queue_actions
from motcua.roster import actions
from motcua.roster.queries import counters, field_names, on_duty, week
from motcua.units.access import (
    OFFICIAL_ROLES,
    attempt,
    can_manage_unit,
    report_error,
    staff_required,
)
from motcua.units.models import Unit
from motcua.units.queries import desk_of_unit
from motcua.workflow.queries import Load, workload


def own_unit(user) -> Unit:
    if not user.unit_id:
        raise Http404("Lịch trực là của một xã.")
    unit = Unit.objects.filter(code=user.unit_id, desk__isnull=False).first()
    if unit is None:
        raise Http404("Đơn vị chưa lập Bộ phận Một cửa.")
    return unit


def monday_from(request) -> date:
    text = request.GET.get("tuan", "")
    try:
        day = date.fromisoformat(text) if text else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    return rules.monday_of(day)


def members(unit: Unit):
    return (
        User.objects.filter(unit=unit, is_active=True, staff_roles__role__in=list(OFFICIAL_ROLES))
        .distinct()
        .order_by("full_name")
    )


def shift_rows(unit: Unit, monday: date) -> list:
    """The week for a template: per day, its morning and afternoon, each shift with its
    fields' names."""
    return [
        (day, label, [(cell.part, [(s, field_names(s)) for s in cell.shifts]) for cell in cells])
        for day, label, cells in week(unit.code, monday)
    ]


@staff_required
def roster_page(request):
    unit = own_unit(request.user)
    monday = monday_from(request)
    return render(
        request,
        "dossiers/roster.html",
        {
            "unit": unit,
            "monday": monday,
            "sunday": monday + timedelta(days=6),
            "previous": monday - timedelta(days=7),
            "next": monday + timedelta(days=7),
            "rows": shift_rows(unit, monday),
            "manage": can_manage_unit(request.user, unit),
            "members": members(unit),
            "counters": counters(unit.code),
            "fields": Field.objects.order_by("name"),
            "parts": list(rules.PART_LABELS.items()),
        },
    )


def week_url(monday: date) -> str:
    return f"{reverse('roster:week')}?tuan={monday.isoformat()}"


@staff_required
@require_POST
def add_shift(request):
    unit = own_unit(request.user)
    post = request.POST
    try:
        day = parse_day(post.get("ngay", ""))
    except DomainError as exc:
        report_error(request, exc)
        return redirect(week_url(monday_from(request)))
    place = post.get("noi", "")
    counter = post.get("quay", "")
    data = actions.ShiftData(
        day=day,
        part=post.get("buoi", ""),
        official_id=post.get("can_bo", ""),
        counter_id=None if counter in ("", "rieng") else counter,
        at_own_office=counter == "rieng",
        place=place,
        field_ids=post.getlist("linh_vuc"),
        stand_in_for_id=post.get("thay_cho") or None,
        note=post.get("ghi_chu", ""),
    )
    attempt(
        request,
        lambda: actions.add_shift(request.user, unit, data),
        f"Đã xếp ca trực ngày {day:%d/%m/%Y}.",
    )
    return redirect(week_url(rules.monday_of(day)))


@staff_required
@require_POST
def remove_shift(request, pk):
    unit = own_unit(request.user)
    attempt(request, lambda: actions.remove_shift(request.user, unit, pk), "Đã xoá ca trực.")
    return redirect(week_url(monday_from(request)))


@staff_required
@require_POST
def copy_week(request):
    unit = own_unit(request.user)
    monday = monday_from(request)
    done = {}

    def copy():
        done["n"] = actions.copy_week(request.user, unit, monday - timedelta(days=7), monday)

    if attempt(request, copy):
        messages.success(request, f"Đã chép {done['n']} ca trực từ tuần trước.")
    return redirect(week_url(monday))


@staff_required
@require_POST
def save_counter(request):
    unit = own_unit(request.user)
    post = request.POST
    attempt(
        request,
        lambda: actions.save_counter(
            request.user, unit, post.get("so", ""), post.get("ten", ""), post.getlist("linh_vuc")
        ),
        "Đã lưu quầy.",
    )
    return redirect(week_url(monday_from(request)))


@staff_required
def roster_pdf(request):
    """The week's roster on one A4 landscape page, to print and post (the seed's "lịch trực của
    CBCC" on the board)."""
    unit = own_unit(request.user)
    monday = monday_from(request)
    desk = desk_of_unit(unit.code)
    pdf = render_pdf(
        "dossiers/roster_print.html",
        {
            "rows": shift_rows(unit, monday),
            "monday": monday,
            "sunday": monday + timedelta(days=6),
            "desk": desk,
            "issuer": " ".join(official.issuer_lines(unit.name, unit.division_type)),
            "today": timezone.localdate(),
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="lich-truc-{monday.isoformat()}.pdf"'
    return response


@staff_required
def workload_page(request):
    """Each official's open dossiers, those due within three days, those overdue, and whether
    they are on duty now."""
    unit = own_unit(request.user)
    now = timezone.now()
    loads = workload(unit.code, now)
    duty = {s.official_id: s for s in on_duty(unit.code, now)}
    rows = [
        (m, loads.get(m.pk, Load()), duty.get(m.pk))
        for m in members(unit).prefetch_related("fields")
    ]
    rows.sort(key=lambda r: (-r[1].overdue, -r[1].open, r[0].display_name))
    return render(request, "dossiers/workload.html", {"unit": unit, "rows": rows, "now": now})


# --- queue numbers at the desk -----------------------------------------------------------------


def where_to_call(user, unit: Unit, now) -> tuple[list | None, str]:
    """The counters whose tickets the official takes, and where the TV sends the citizen: the
    counter they are on duty at (the roster), else the counters of their fields, else any."""
    mine = [s for s in on_duty(unit.code, now) if s.official_id == user.pk]
    if mine and mine[0].counter_id:
        return [mine[0].counter_id], mine[0].counter.label
    if mine and mine[0].at_own_office:
        return None, mine[0].place
    fields = set(user.fields.values_list("pk", flat=True))
    if fields:
        ids = [c.pk for c in counters(unit.code) if fields & {f.pk for f in c.fields.all()}]
        if ids:
            return ids, "Bộ phận Một cửa"
    return None, "Bộ phận Một cửa"


@staff_required
@require_POST
def call_next(request):
    """Gọi số tiếp theo: the oldest waiting number for the official's counter."""
    unit = own_unit(request.user)
    ids, to = where_to_call(request.user, unit, timezone.now())
    done = {}

    def call():
        done["t"] = queue_actions.call_next(request.user, unit, ids, to)

    if attempt(request, call):
        messages.success(request, f"Đang mời số {done['t'].number} đến {to}.")
    return redirect(reverse("dossiers:worklist"))


@staff_required
@require_POST
def finish_ticket(request):
    unit = own_unit(request.user)
    absent = request.POST.get("vang") == "1"
    attempt(
        request,
        lambda: queue_actions.finish_ticket(request.user, unit, absent),
        "Đã ghi vắng mặt." if absent else "Đã phục vụ xong.",
    )
    return redirect(reverse("dossiers:worklist"))
