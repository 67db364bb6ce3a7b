"""Staff pages for a unit's desk: staff list, office hours, calendar overrides."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from motcua.accounts.access import (
    can_manage_unit,
    check_manage_unit,
    check_view_unit,
    is_staff_member,
    visible_units,
)
from motcua.units.models import CalendarOverride, Desk, Unit


class CalendarOverrideForm(forms.ModelForm):
    class Meta:
        model = CalendarOverride
        fields = ["date", "is_working_day", "note"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean_date(self):
        value = self.cleaned_data["date"]
        if not 2000 <= value.year <= 2100:
            raise forms.ValidationError("Ngày phải nằm trong khoảng năm 2000 đến 2100.")
        return value


def staff_required(view):
    @login_required
    def wrapped(request, *args, **kwargs):
        if not is_staff_member(request.user):
            raise PermissionDenied("Trang này chỉ dành cho cán bộ, công chức.")
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@staff_required
def my_desk(request):
    """/bo-phan/: the user's own desk, or the list of desks an overseer follows."""
    units = visible_units(request.user).filter(desk__isnull=False).select_related("desk")
    if request.user.unit_id and units.filter(code=request.user.unit_id).exists():
        return redirect("units:desk", code=request.user.unit_id)
    return render(request, "units/desk_list.html", {"units": units.order_by("name")[:500]})


@staff_required
def desk_page(request, code: str):
    unit = get_object_or_404(Unit.objects.select_related("province"), code=code)
    check_view_unit(request.user, unit)
    desk = get_object_or_404(Desk, unit=unit)
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
        },
    )


@staff_required
@require_POST
def add_calendar_override(request, code: str):
    unit = get_object_or_404(Unit, code=code)
    check_manage_unit(request.user, unit)
    desk = get_object_or_404(Desk, unit=unit)
    form = CalendarOverrideForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                override = form.save(commit=False)
                override.desk = desk
                override.save()
        except IntegrityError:
            messages.error(request, "Ngày này đã có điều chỉnh; hãy xoá điều chỉnh cũ trước.")
        else:
            messages.success(request, f"Đã lưu điều chỉnh lịch ngày {override.date:%d/%m/%Y}.")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("units:desk", code=code)
