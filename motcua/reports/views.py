"""Thống kê: the dashboard, the drill-down lists behind each number, report downloads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from motcua.catalog.models import Field
from motcua.core import statistics as st
from motcua.core.errors import AccessError, ReportError
from motcua.core.identity import mask_citizen_id
from motcua.core.periods import PeriodError, check_period, parse_day
from motcua.core.ratings import LEVELS
from motcua.dossiers.models import Dossier
from motcua.dossiers.queries import overdue
from motcua.queue.queries import period_times
from motcua.reports import exports, queries, sync
from motcua.reports.charts import stacked_bars
from motcua.reports.feedback import feedback_figures
from motcua.reports.indicators import indicators_for
from motcua.reports.queries import Scope, local_bounds
from motcua.reports.ratings import rating_figures
from motcua.units.access import report_error, staff_required, visible_units
from motcua.units.models import Unit

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
}
FIGURE_LABELS = {
    "received": "Tiếp nhận",
    "received_online": "Tiếp nhận trực tuyến",
    "received_online_assisted": "Trực tuyến do công chức hỗ trợ nộp",
    "received_direct": "Tiếp nhận trực tiếp",
    "received_post": "Qua bưu chính công ích",
    "carried_over": "Kỳ trước chuyển qua",
    "resolved": "Đã giải quyết",
    "resolved_early": "Giải quyết trước hạn",
    "resolved_on_time": "Giải quyết đúng hạn",
    "resolved_late": "Giải quyết quá hạn",
    "in_progress": "Đang giải quyết",
    "in_progress_within_time": "Đang giải quyết trong hạn",
    "in_progress_overdue": "Đang giải quyết quá hạn",
    "digitised_dossiers": "Hồ sơ đã số hoá",
    "reused_dossiers": "Hồ sơ tái sử dụng dữ liệu số hoá",
}
UNSYNCED = "chua_dong_bo"  # the drill-down of 766 indicator 1.4's missing dossiers
BEHIND_LABELS = FIGURE_LABELS | {UNSYNCED: "Hồ sơ chưa đồng bộ lên Cổng DVCQG"}
SYNC_DAYS_SHOWN = 62


@dataclass
class Filters:
    """What the dashboard is asked about, read from the query string and checked."""

    unit: Unit
    start: date
    end: date
    kind: str
    field: Field | None
    procedure_code: str | None

    @property
    def scope(self) -> Scope:
        return Scope(
            queries.units_of(self.unit.code),
            field_id=self.field.pk if self.field else None,
            procedure_code=self.procedure_code,
        )

    def query(self, **extra) -> str:
        params = {
            "don_vi": self.unit.code,
            "tu": self.start.isoformat(),
            "den": self.end.isoformat(),
        }
        if self.field:
            params["linh_vuc"] = str(self.field.pk)
        if self.procedure_code:
            params["thu_tuc"] = self.procedure_code
        params.update(extra)
        return urlencode(params)


def typed_day(request, name: str, default: date) -> date:
    """A day from the query string (dd/mm/yyyy or YYYY-MM-DD); a wrong one is said, and the
    default used."""
    text = (request.GET.get(name) or "").strip()
    if not text:
        return default
    try:
        return check_period(parse_day(text), parse_day(text))[0]
    except PeriodError as exc:
        report_error(request, exc)
        return default


def read_filters(request) -> Filters:
    """The unit (one the user may see), the period, the field or procedure."""
    units = visible_units(request.user)
    code = request.GET.get("don_vi") or request.user.unit_id
    unit = units.filter(code=code).first() if code else None
    if unit is None:
        unit = units.filter(desk__isnull=False).order_by("code").first()
    if unit is None:
        raise AccessError("Bạn không theo dõi đơn vị nào.", "role_required")
    today = timezone.localdate()
    kind = request.GET.get("ky", "")
    if kind in st.PERIOD_KINDS:
        year_text, number_text = request.GET.get("nam", ""), request.GET.get("so", "")
        year = int(year_text) if year_text.isdigit() else today.year
        default_number = today.month if kind == "month" else (today.month - 1) // 3 + 1
        number = int(number_text) if number_text.isdigit() else default_number
        try:
            start, end = check_period(*st.period(kind, year, number))
        except ValueError:
            start, end = st.period("year", today.year)
    else:
        start = typed_day(request, "tu", date(today.year, 1, 1))
        end = typed_day(request, "den", today)
        try:
            check_period(start, end)
        except PeriodError as exc:
            report_error(request, exc)
            start, end = end, start
    field_id = request.GET.get("linh_vuc") or ""
    field = Field.objects.filter(pk=int(field_id)).first() if field_id.isdigit() else None
    procedure = (request.GET.get("thu_tuc") or "").strip()[:20] or None
    return Filters(unit, start, end, kind, field, procedure)


def overdue_by_field(unit_codes, now) -> list[tuple[str, int]]:
    """(field, count) of the dossiers overdue at this moment — the one rule of the worklist
    and the API (dossiers.queries.overdue): in progress, not waiting for the applicant, not
    transferred out, the due moment passed (a dossier due later today is not overdue yet)."""
    rows = (
        overdue(Dossier.objects.filter(unit_id__in=unit_codes), now)
        .values("procedure_version__field__name")
        .annotate(n=Count("pk"))
        .order_by("procedure_version__field__name")
    )
    return [(row["procedure_version__field__name"], row["n"]) for row in rows]


def month_label(start: date) -> str:
    return f"{start:%m/%Y}"


@staff_required
def dashboard(request):
    """/thong-ke/: key figures, charts, the official form's table, downloads."""
    f = read_filters(request)
    scope = f.scope
    cohort = queries.report(scope, f.start, f.end, "cohort")
    flow = queries.report(scope, f.start, f.end, "flow")
    series = [] if scope.needs_dossiers else queries.monthly(scope, f.start, f.end)[-12:]
    received_chart = stacked_bars(
        "Hồ sơ tiếp nhận theo tháng và kênh",
        [
            (
                month_label(first),
                {
                    "online": got.received_online,
                    "online_assisted": got.received_online_assisted,
                    "direct": got.received_direct,
                    "post": got.received_post,
                },
            )
            for first, got, _ in series
        ],
        {
            "online": "Trực tuyến (tự nộp)",
            "online_assisted": "Trực tuyến (hỗ trợ)",
            "direct": "Trực tiếp",
            "post": "Bưu chính",
        },
    )
    timeliness_chart = stacked_bars(
        "Hồ sơ giải quyết xong trong tháng",
        [
            (month_label(first), {"early": r.early, "on_time": r.on_time, "late": r.late})
            for first, _, r in series
        ],
        {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn"},
    )
    today = timezone.localdate()
    by_field = (
        queries.report_by_field(scope, f.start, f.end, "flow") if not scope.needs_dossiers else []
    )
    overdue_now = overdue_by_field(scope.unit_codes, timezone.now())
    communes = []
    if f.unit.level == Unit.Level.PROVINCE and not scope.needs_dossiers:
        per_unit = queries.report_by(scope, f.start, f.end, "cohort", "unit_id")
        names = dict(Unit.objects.filter(code__in=list(per_unit)).values_list("code", "name"))
        communes = sorted(
            ((code, names.get(code, code), fig) for code, fig in per_unit.items()),
            key=lambda row: row[1],
        )
    feedback = feedback_figures(scope, f.start, f.end)
    indicators = None if scope.needs_dossiers else indicators_for(scope, f.start, f.end, feedback)
    ratings = rating_figures(scope, f.start, f.end)
    queue = period_times(scope.unit_codes, *local_bounds(f.start, f.end))
    return render(
        request,
        "reports/dashboard.html",
        {
            "f": f,
            "cohort": cohort,
            "flow": flow,
            "received_chart": received_chart,
            "timeliness_chart": timeliness_chart,
            "by_field": by_field,
            "overdue_now": overdue_now,
            "communes": communes,
            "indicators": indicators,
            "ratings": ratings,
            "feedback": feedback,
            "queue": queue,
            "rating_share": None
            if ratings.total.satisfied_share is None
            else ratings.total.satisfied_share * 100,
            "rating_levels": [
                (level, label, ratings.total.by_level[level])
                for level, label in sorted(LEVELS.items(), reverse=True)
            ],
            "rating_tables": [
                ("Theo cán bộ giải quyết", ratings.by_official[:10]),
                ("Theo lĩnh vực", ratings.by_field[:10]),
                ("Theo thủ tục", ratings.by_procedure[:10]),
            ],
            **sync_context(f, indicators),
            "units": visible_units(request.user).filter(desk__isnull=False).order_by("name")[:200]
            if f.unit.level == Unit.Level.PROVINCE or request.user.unit_id != f.unit.code
            else [],
            "fields": Field.objects.order_by("name"),
            "period_kinds": st.PERIOD_KINDS,
            "today": today,
        },
    )


def sync_context(f: Filters, indicators) -> dict:
    """766 indicator 1.4 by day and unit (the latest days first) and the link to the dossiers
    the portal has not accepted — when there is sync data (1.4 is not N/A for lack of it)."""
    if indicators is None or indicators.get("1.4").numerator is None:
        return {"sync_days": None}
    one = indicators.get("1.4")
    days = sync.sync_rate_by_day(f.scope, f.start, f.end)
    names = dict(
        Unit.objects.filter(code__in={d.unit_id for d in days}).values_list("code", "name")
    )
    rows = sorted(
        ((d, names.get(d.unit_id, d.unit_id)) for d in days),
        key=lambda row: (-row[0].day.toordinal(), row[1]),
    )
    return {
        "sync_days": rows[:SYNC_DAYS_SHOWN],
        "sync_days_total": len(days),
        "sync_many_units": len(f.scope.unit_codes) > 1,
        "unsynced": max(one.denominator - one.numerator, 0),
        "unsynced_query": f.query(chi_so=UNSYNCED),
    }


@staff_required
def dossiers_behind(request):
    """/thong-ke/ho-so/: the dossiers behind one number of the dashboard (drill-down)."""
    f = read_filters(request)
    view = request.GET.get("cach") if request.GET.get("cach") in st.VIEWS else "cohort"
    figure = request.GET.get("chi_so", "received")
    if figure not in BEHIND_LABELS:
        figure = "received"
    if figure == UNSYNCED:
        view, qs = "cohort", sync.unsynced_dossiers(f.scope, f.start, f.end)
    else:
        qs = queries.dossiers_behind(f.scope, f.start, f.end, view, figure)
    qs = qs.select_related("procedure", "assigned_to").order_by("received_at")
    page = Paginator(qs, 50).get_page(request.GET.get("trang"))
    rows = [(d, mask_citizen_id(d.applicant_id_number)) for d in page.object_list]
    return render(
        request,
        "reports/dossiers.html",
        {
            "f": f,
            "view": view,
            "figure": figure,
            "label": BEHIND_LABELS[figure],
            "page": page,
            "rows": rows,
            "back": f.query(),
            "pager": f.query(cach=view, chi_so=figure),
        },
    )


@staff_required
def download(request, fmt: str):
    """/thong-ke/tai/<fmt>/: the official form (XLSX, CSV) or the drafted report (DOCX, PDF)."""
    if fmt not in CONTENT_TYPES:
        raise ReportError("Định dạng không được hỗ trợ.")
    f = read_filters(request)
    view = request.GET.get("cach") if request.GET.get("cach") in st.VIEWS else "flow"
    data = exports.render(fmt, f.unit.code, f.scope, f.start, f.end, view)
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    name = f"bao-cao-{f.unit.code}-{f.start:%Y%m%d}-{f.end:%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
