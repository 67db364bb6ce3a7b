"""Pages: reconciliation with the national portal (đối chiếu với Cổng DVCQG) for one unit."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from motcua.core import reconcile as rc
from motcua.core.errors import AccessError
from motcua.core.reconcile import ReconcileFileError
from motcua.integrations import actions, queries
from motcua.integrations.forms import UploadForm
from motcua.integrations.models import ReconciliationImport
from motcua.tabular import write_table
from motcua.units.access import check_view_unit, staff_required, visible_units
from motcua.units.models import Unit

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _saved(upload, folder: str) -> Path:
    """An uploaded file on disk, keeping its suffix (the table reader goes by it)."""
    path = Path(folder) / f"{len(list(Path(folder).iterdir()))}{Path(upload.name).suffix.lower()}"
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return path


@staff_required
def mine(request):
    """/doi-chieu/: the user's own unit."""
    if request.user.unit_id and visible_units(request.user).filter(code=request.user.unit_id):
        return redirect("integrations:unit", code=request.user.unit_id)
    raise AccessError(
        "Tài khoản không gắn với đơn vị nào: hãy mở trang đối chiếu của một xã.", "role_required"
    )


@staff_required
def unit_page(request, code: str):
    """Imports of a unit, and the form for a new one."""
    unit = get_object_or_404(Unit, code=code)
    check_view_unit(request.user, unit)
    form = UploadForm(request.POST or None, request.FILES or None)
    file_errors: list[str] = []
    if request.method == "POST":
        actions.check_import_reconciliation(request.user, unit)
        if form.is_valid():
            data = form.cleaned_data
            with tempfile.TemporaryDirectory() as folder:
                dossiers = _saved(data["dossiers"], folder)
                indicators = _saved(data["indicators"], folder) if data["indicators"] else None
                try:
                    imp = actions.import_reconciliation(
                        request.user,
                        unit,
                        data["start"],
                        data["end"],
                        dossiers,
                        indicators,
                        dossiers_name=data["dossiers"].name,
                        indicators_name=data["indicators"].name if indicators else "",
                    )
                except ReconcileFileError as exc:
                    file_errors = [str(e) for e in exc.errors[:200]]
                    messages.error(request, str(exc).split("\n", 1)[0])
                except ValueError as exc:
                    messages.error(request, str(exc))
                else:
                    messages.success(request, f"Đã nhập {imp.row_count} hồ sơ của Cổng DVCQG.")
                    return redirect("integrations:detail", code=unit.code, pk=imp.pk)
    elif not form.is_bound:
        today = date.today()
        form.initial = {"start": date(today.year, 1, 1), "end": today}
    return render(
        request,
        "integrations/unit.html",
        {
            "unit": unit,
            "form": form,
            "file_errors": file_errors,
            "imports": queries.imports_for(request.user, unit.code)[:50],
            "can_import": _can_import(request.user, unit),
        },
        status=400 if file_errors or form.errors else 200,
    )


def _can_import(user, unit: Unit) -> bool:
    try:
        actions.check_import_reconciliation(user, unit)
    except AccessError:
        return False
    return True


def _visible_import(request, code: str, pk) -> ReconciliationImport:
    unit = get_object_or_404(Unit, code=code)
    check_view_unit(request.user, unit)
    return get_object_or_404(
        ReconciliationImport.objects.select_related("unit", "uploaded_by"), pk=pk, unit=unit
    )


@staff_required
def detail(request, code: str, pk):
    """The differences: summary by reason, indicators, and the differing dossiers."""
    imp = _visible_import(request, code, pk)
    rec = queries.reconciliation(imp)
    chosen = request.GET.get("ly_do", "")
    differences = rec.differences
    if chosen not in {r.value for r in rc.Reason}:
        chosen = ""
    if chosen:
        differences = [d for d in differences if rc.Reason(chosen) in d.reasons]
    page = Paginator(differences, 200).get_page(request.GET.get("trang"))
    offset = (page.number - 1) * 200
    rows = [
        {"diff": d, "cells": queries.difference_row(offset + i, d)}
        for i, d in enumerate(page.object_list, start=1)
    ]
    return render(
        request,
        "integrations/detail.html",
        {
            "imp": imp,
            "unit": imp.unit,
            "rec": rec,
            "indicators": [(i, queries.indicator_row(i)) for i in rec.indicators],
            "columns": queries.DIFFERENCE_COLUMNS,
            "rows": rows,
            "page": page,
            "chosen": chosen,
            "chosen_label": rc.REASON_LABELS.get(chosen, ""),
            "total": sum(rec.by_reason.values()),
        },
    )


@staff_required
def export(request, code: str, pk, fmt: str):
    """The differences as XLSX (with the summary and indicators) or CSV."""
    if fmt not in CONTENT_TYPES:
        return HttpResponse("Chỉ xuất được xlsx hoặc csv.", status=404)
    imp = _visible_import(request, code, pk)
    rec = queries.reconciliation(imp)
    name = f"doi-chieu-dvcqg-{imp.unit_id}-{imp.period_start:%Y%m%d}-{imp.period_end:%Y%m%d}"
    return _download(fmt, name, lambda path: queries.export(rec, path))


def _download(fmt: str, name: str, write) -> HttpResponse:
    """The file ``write(path)`` makes (CSV or XLSX, by ``fmt``), sent as ``name.fmt``."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"tep.{fmt}"
        write(path)
        data = path.read_bytes()
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


SAMPLES = {
    "ho-so": (rc.SAMPLE_DOSSIER_HEADERS, rc.SAMPLE_DOSSIER_ROWS),
    "chi-so": (rc.SAMPLE_INDICATOR_HEADERS, rc.SAMPLE_INDICATOR_ROWS),
}


@staff_required
def sample(request, kind: str, fmt: str):
    """An example of the file the form reads (its headers and a few rows), to fill in."""
    if kind not in SAMPLES or fmt not in CONTENT_TYPES:
        return HttpResponse("Không có tệp mẫu này.", status=404)
    headers, rows = SAMPLES[kind]

    def write(path):
        write_table(path, headers, rows, sheet_title="Mẫu")

    return _download(fmt, f"mau-tep-{kind}-dvcqg", write)
