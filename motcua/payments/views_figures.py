"""/thu-phi/so-lieu/: the fees collected and refunded in a period (thin: the filters are the
dashboard's own, :func:`motcua.reports.views.read_filters`, so the same units may be seen;
the sums are :func:`motcua.payments.figures.money_figures`), and its XLSX file.

A page of its own, not a part of the dashboard: the dashboard (reports, floor 4) may not read
payments (floor 6); it links here by the URL's name only (docs/architecture.md)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.http import HttpResponse
from django.shortcuts import render

from motcua.dossiers.models import FeePaidVia
from motcua.payments.figures import BREAKDOWNS, money_figures, monthly_by_via
from motcua.reports.charts import stacked_bars
from motcua.reports.views import month_label, read_filters
from motcua.tabular import write_table
from motcua.units.access import staff_required, visible_units
from motcua.units.models import Unit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONTHS_SHOWN = 12
# The chart's colours are the channels' (reports.charts.COLOURS): at the desk, or online.
CHART_KEYS = {FeePaidVia.CASH: "direct", FeePaidVia.BANK: "online", FeePaidVia.PORTAL: "post"}
CHART_LEGEND = {"direct": "Tiền mặt", "online": "Chuyển khoản", "post": "Cổng DVCQG"}
HEADERS = [
    "Theo",
    "Tên",
    "Số khoản thu",
    "Đã thu (đồng)",
    "Số khoản hoàn trả",
    "Hoàn trả (đồng)",
    "Thực thu (đồng)",
]


@staff_required
def figures(request):
    """Key sums, the monthly chart by payment channel and the tables by field, procedure,
    channel and month."""
    f = read_filters(request)
    money = money_figures(f.scope, f.start, f.end)
    months = monthly_by_via(f.scope, f.start, f.end)[-MONTHS_SHOWN:]
    # in thousands of đồng: the axis's labels stay short enough for its margin
    chart = stacked_bars(
        "Phí, lệ phí đã thu theo tháng và hình thức nộp (nghìn đồng)",
        [
            (
                month_label(first),
                {CHART_KEYS[v]: round(n / 1000) for v, n in by_via.items() if v in CHART_KEYS},
            )
            for first, by_via in months
        ],
        CHART_LEGEND,
    )
    return render(
        request,
        "payments/figures.html",
        {
            "f": f,
            "money": money,
            "chart": chart,
            "tables": [(BREAKDOWNS[kind], rows) for kind, rows in money.by.items()],
            "units": visible_units(request.user).filter(desk__isnull=False).order_by("name")[:200]
            if f.unit.level == Unit.Level.PROVINCE or request.user.unit_id != f.unit.code
            else [],
        },
    )


@staff_required
def figures_xlsx(request):
    """The same tables as one sheet: a row per value of each breakdown, then the total."""
    f = read_filters(request)
    money = money_figures(f.scope, f.start, f.end)
    rows = [
        [BREAKDOWNS[kind], label, m.payments, m.collected, m.refunds, m.refunded, m.net]
        for kind, table in money.by.items()
        for label, m in table
    ]
    t = money.total
    rows.append(["Tổng cộng", f.unit.name, t.payments, t.collected, t.refunds, t.refunded, t.net])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "so-lieu.xlsx"
        write_table(path, HEADERS, rows, sheet_title="Phí, lệ phí đã thu")
        data = path.read_bytes()
    response = HttpResponse(data, content_type=XLSX)
    name = f"phi-le-phi-{f.unit.code}-{f.start:%Y%m%d}-{f.end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
