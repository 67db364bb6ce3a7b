"""Public pages: home, the procedure catalogue, one procedure."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from motcua.catalog.models import Procedure
from motcua.catalog.queries import fields_with_counts, search_procedures


def home(request):
    fields = fields_with_counts()
    return render(
        request,
        "portal/home.html",
        {"fields": fields, "procedure_total": sum(f.total for f in fields)},
    )


def catalogue(request):
    text = request.GET.get("q", "").strip()
    field_slug = request.GET.get("linh-vuc", "").strip()
    online_only = request.GET.get("truc-tuyen") == "1"
    results = search_procedures(text, field_slug, online_only)
    page = Paginator(results, 30).get_page(request.GET.get("trang"))
    context = {
        "page": page,
        "q": text,
        "field_slug": field_slug,
        "online_only": online_only,
        "fields": fields_with_counts(),
    }
    template = "portal/_results.html" if request.htmx else "portal/catalogue.html"
    return render(request, template, context)


def procedure_detail(request, code: str):
    procedure = get_object_or_404(
        Procedure.objects.select_related("current_version__field"), code=code, is_active=True
    )
    version = procedure.current_version
    minutes_total = None
    if version.duration > 0 and version.duration_unit != "days":
        per_unit = 480 if version.duration_unit == "working_days" else 60
        minutes_total = float(version.duration) * per_unit
    steps = [
        {
            **step,
            "hours": round(minutes_total * step["share"] / 100 / 60, 1) if minutes_total else None,
        }
        for step in version.process
    ]
    return render(
        request,
        "portal/procedure.html",
        {"procedure": procedure, "version": version, "steps": steps},
    )
