"""The narrative parts of the drafted report: a page where the unit's staff write them."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from motcua.accounts.access import (
    OFFICIAL_ROLES,
    READ_ONLY,
    can_manage_unit,
    check_view_unit,
)
from motcua.reports import drafting
from motcua.units.models import Unit
from motcua.units.views import staff_required

MAX_SECTION = 20_000


class DraftForm(forms.Form):
    """One textarea per narrative section, labelled as in the report."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in drafting.SECTION_LABELS.items():
            rows = 3 if key in ("recipient", "basis", "recipients") else 10
            self.fields[key] = forms.CharField(
                label=label,
                required=False,
                max_length=MAX_SECTION,
                widget=forms.Textarea(attrs={"rows": rows}),
            )


def may_write(user, unit: Unit) -> bool:
    """The unit's own officials draft its report (the office official usually does), and its
    head or deputy; a province overseer only reads it."""
    own = user.unit_id == unit.code and user.has_role(*OFFICIAL_ROLES)
    return own or can_manage_unit(user, unit)


@staff_required
def edit_draft(request, code: str):
    """/thong-ke/loi-van/<code>/: who may see the unit's figures reads it; its officials write."""
    unit = get_object_or_404(Unit.objects.select_related("province"), code=code)
    check_view_unit(request.user, unit)
    may_edit = may_write(request.user, unit)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(READ_ONLY)
        form = DraftForm(request.POST)
        if form.is_valid():
            drafting.save_sections(unit, form.cleaned_data, request.user)
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
