"""Staff pages for a unit's desk: staff list, office hours, calendar overrides, and the log of
configuration changes. Thin: the writes are the actions of motcua.units.actions."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from motcua.units import actions
from motcua.units.access import (
    attempt,
    can_manage_unit,
    check_view_unit,
    report_form_errors,
    staff_required,
    visible_units,
)
from motcua.units.forms import CalendarOverrideForm, OfficeHoursForm
from motcua.units.models import Desk, Unit


@staff_required
def my_desk(request):
    """/bo-phan/: the user's own desk, or the list of desks an overseer follows."""
    units = visible_units(request.user).filter(desk__isnull=False).select_related("desk")
    if request.user.unit_id and units.filter(code=request.user.unit_id).exists():
        return redirect("units:desk", code=request.user.unit_id)
    return render(request, "units/desk_list.html", {"units": units.order_by("name")[:500]})


def visible_desk(request, code: str) -> Desk:
    unit = get_object_or_404(Unit.objects.select_related("province"), code=code)
    check_view_unit(request.user, unit)
    return get_object_or_404(Desk.objects.select_related("unit", "unit__province"), unit=unit)


@staff_required
def desk_page(request, code: str):
    desk = visible_desk(request, code)
    unit = desk.unit
    staff = unit.staff.filter(is_active=True).prefetch_related("staff_roles", "fields")
    return render(
        request,
        "units/desk.html",
        {
            "unit": unit,
            "desk": desk,
            "staff": staff,
            "overrides": desk.calendar_overrides.all(),
            "can_manage": can_manage_unit(request.user, unit),
            "form": CalendarOverrideForm(),
            "hours_form": OfficeHoursForm(initial={"office_hours": desk.office_hours}),
            "changes": unit.config_changes.select_related("actor")[:100],
        },
    )


def run(request, code: str, step, done: str):
    """Run a desk action, report its outcome, go back to the desk page."""
    attempt(request, step, done)
    return redirect("units:desk", code=code)


@staff_required
@require_POST
def add_calendar_override(request, code: str):
    desk = visible_desk(request, code)
    form = CalendarOverrideForm(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect("units:desk", code=code)
    v = form.cleaned_data
    return run(
        request,
        code,
        lambda: actions.add_calendar_override(
            request.user, desk, v["date"], v["is_working_day"], v["note"]
        ),
        f"Đã lưu điều chỉnh lịch ngày {v['date']:%d/%m/%Y}.",
    )


@staff_required
@require_POST
def remove_calendar_override(request, code: str, override_id: int):
    desk = visible_desk(request, code)
    return run(
        request,
        code,
        lambda: actions.remove_calendar_override(request.user, desk, override_id),
        "Đã xoá ngày điều chỉnh lịch.",
    )


@staff_required
@require_POST
def set_office_hours(request, code: str):
    desk = visible_desk(request, code)
    form = OfficeHoursForm(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect("units:desk", code=code)
    return run(
        request,
        code,
        lambda: actions.set_office_hours(request.user, desk, form.cleaned_data["office_hours"]),
        "Đã lưu giờ làm việc.",
    )


@staff_required
@require_POST
def set_desk_rules(request, code: str):
    desk = visible_desk(request, code)
    return run(
        request,
        code,
        lambda: actions.set_desk_rules(request.user, desk, request.POST.get("noi_quy", "")),
        "Đã lưu nội quy.",
    )
