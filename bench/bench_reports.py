"""Reports from the month + day cells vs day cells only vs a plain GROUP BY over the dossiers.

    # SQLite (a file in a temp dir unless MOTCUA_DATA_DIR is set):
    .venv/bin/python bench/bench_reports.py --communes 100 --per-commune 10000
    # PostgreSQL:
    createdb -U postgres motcua_bench
    DATABASE_URL=postgres://postgres@localhost/motcua_bench \\
        .venv/bin/python bench/bench_reports.py --communes 100 --per-commune 10000

On an empty database: generates one commune-year (``bench/synthetic.py``), times the commune's
reports, generates the other communes of the province, ANALYZEs, then times the province's and
the commune's reports again. On a database already holding the province (generated before by
``bench/synthetic.py`` with the same flags) it only times. Each report is timed three ways in
the same run: ``report`` (month cells for whole months, day cells for cut months), day cells
only (``positions_from_day_cells``, the previous implementation) and the plain GROUP BY
(``positions_from_dossiers``); all three are checked equal on every run. Periods: the year
(month-aligned: month cells only) and the year cut at both ends (15/01–14/12).
``--scope-communes K`` times a province scope of the first K communes only.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
os.environ.setdefault("MOTCUA_DATA_DIR", tempfile.mkdtemp(prefix="motcua-bench-"))
sys.path.insert(0, str(Path(__file__).parent))


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (with 7 runs, p95 is the slowest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def timed(fn, repeat: int) -> tuple[list[float], object]:
    result = fn()  # warm-up, not counted
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        result = fn()
        times.append(1000 * (time.perf_counter() - began))
    return times, result


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(label: str, units: tuple[str, ...], year: int, repeat: int, dashboard: bool):
    """Time the year's (and the cut year's) cohort and flow reports three ways,
    report_by_field, and (for a commune) the dashboard; return one row per measurement."""
    from motcua.core.statistics import figures
    from motcua.dossiers.models import Dossier
    from motcua.reports.models import StatCell, StatMonthCell
    from motcua.reports.queries import (
        Scope,
        positions_from_day_cells,
        positions_from_dossiers,
        report,
        report_by_field,
    )

    scope = Scope(units)
    start, end = date(year, 1, 1), date(year, 12, 31)
    dossiers = Dossier.objects.filter(unit_id__in=units).count()
    cells = StatCell.objects.filter(unit_id__in=units).count()
    month_cells = StatMonthCell.objects.filter(unit_id__in=units).count()
    rows = []

    def row(what: str, times: list[float], **extra) -> dict:
        out = {
            "scope": label,
            "what": what,
            "dossiers": dossiers,
            "cells": cells,
            "month_cells": month_cells,
            "median_ms": round(percentile(times, 0.5), 1),
            "p95_ms": round(percentile(times, 0.95), 1),
            **extra,
        }
        print(json.dumps(out, ensure_ascii=False), flush=True)
        rows.append(out)
        return out

    periods = (
        ("year", start, end),
        ("cut year 15/01–14/12", date(year, 1, 15), date(year, 12, 14)),
    )
    for name, a, b in periods:
        for view in ("cohort", "flow"):
            agg_times, agg = timed(lambda v=view, a=a, b=b: report(scope, a, b, v), repeat)
            day_times, day = timed(
                lambda v=view, a=a, b=b: figures(v, positions_from_day_cells(scope, a, b), a, b),
                repeat,
            )
            base_times, base = timed(
                lambda v=view, a=a, b=b: figures(v, positions_from_dossiers(scope, a, b), a, b),
                repeat,
            )
            assert agg == base == day, (view, agg, day, base)
            agg_row = row(f"{view} {name}, month + day cells", agg_times)
            row(
                f"{view} {name}, day cells only",
                day_times,
                ratio=round(percentile(day_times, 0.5) / agg_row["median_ms"], 1),
            )
            row(
                f"{view} {name}, plain GROUP BY",
                base_times,
                ratio=round(percentile(base_times, 0.5) / agg_row["median_ms"], 1),
            )
    by_field_times, _ = timed(lambda: report_by_field(scope, start, end, "flow"), repeat)
    row("report_by_field flow year", by_field_times)
    if dashboard:
        month = (date(year, 12, 1), end)

        def dashboard_queries():
            report(scope, start, end, "cohort")
            report(scope, *month, "flow")
            report_by_field(scope, start, end, "flow")

        dash_times, _ = timed(dashboard_queries, repeat)
        row("dashboard (cohort year + flow month + by field year)", dash_times)
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--province", default="01")
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--per-commune", type=int, default=10_000)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--scope-communes", type=int, default=None)
    parser.add_argument("--verify", action="store_true", help="stats verify the first commune")
    parser.add_argument("--json", type=Path, help="append the result rows to this file")
    args = parser.parse_args(argv)

    import django

    django.setup()
    import synthetic
    from django.core.management import call_command
    from django.db import connection

    from motcua.dossiers.models import Dossier
    from motcua.reports.cells import verify

    call_command("migrate", verbosity=0)
    desks = synthetic.ensure_desks(args.province, args.communes)
    codes = tuple(d.unit_id for d in desks)
    vendor = connection.vendor
    print(f"{vendor}: province {args.province}, {len(desks)} communes × {args.per_commune:,}")
    rows = []
    if not Dossier.objects.filter(unit_id__in=codes).exists():
        made = synthetic.generate(desks[:1], args.per_commune, args.year)
        print(f"generated the first commune: {made.dossiers:,} in {made.seconds:.1f} s")
        analyze()
        rows += measure("commune (alone)", codes[:1], args.year, args.repeat, dashboard=True)
        made = synthetic.generate(desks[1:], args.per_commune, args.year)
        print(
            f"generated {made.dossiers:,} more in {made.seconds:.0f} s "
            f"({made.rate:,.0f} dossiers/s)"
        )
    began = time.perf_counter()
    analyze()
    print(f"ANALYZE in {time.perf_counter() - began:.1f} s")
    if args.verify:
        assert not verify(codes[:1]), "stats verify found mismatches"
        print("stats verify of the first commune: no mismatch")
    scope = codes[: args.scope_communes] if args.scope_communes else codes
    rows += measure(f"province ({len(scope)} communes)", scope, args.year, args.repeat, False)
    rows += measure("commune (in province db)", codes[:1], args.year, args.repeat, True)
    if args.json:
        with args.json.open("a") as out:
            for r in rows:
                out.write(json.dumps({"db": vendor, **r}, ensure_ascii=False) + "\n")
    print(
        "\n| db | scope | query | dossiers | day cells | month cells | median ms | p95 ms "
        "| baseline / month + day |"
    )
    print("|---|---|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {vendor} | {r['scope']} | {r['what']} | {r['dossiers']:,} | {r['cells']:,} | "
            f"{r['month_cells']:,} | {r['median_ms']:,.1f} | {r['p95_ms']:,.1f} | "
            f"{r.get('ratio', '')} |"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
