"""The narrative parts of the drafted report: a page where the unit's staff write them."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from motcua.reports import drafting
from motcua.reports.actions import may_write_report, save_report_texts
from motcua.reports.forms import DraftForm
from motcua.units.access import check_view_unit, staff_required
from motcua.units.models import Unit


@staff_required
def edit_draft(request, code: str):
    """/thong-ke/loi-van/<code>/: who may see the unit's figures reads it; its officials write."""
    unit = get_object_or_404(Unit.objects.select_related("province"), code=code)
    check_view_unit(request.user, unit)
    may_edit = may_write_report(request.user, unit)
    if request.method == "POST":
        form = DraftForm(request.POST)
        if form.is_valid():
            save_report_texts(request.user, unit, form.cleaned_data)
            messages.success(request, "Đã lưu phần lời văn; báo cáo kỳ sau sẽ dùng lại.")
            return redirect("reports:draft_edit", code=unit.code)
    else:
        form = DraftForm(initial=drafting.sections_for(unit))
    if not may_edit:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "reports/document/edit.html",
        {"unit": unit, "form": form, "may_edit": may_edit},
    )
