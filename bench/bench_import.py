"""Import of past dossiers: streaming vs holding the file (a benchmark, not a test).

    MOTCUA_DATA_DIR=/tmp/bench-import .venv/bin/python bench/bench_import.py [--rows N] [--repeat R]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench_import \\
        .venv/bin/python bench/bench_import.py --million

Prepares one database (migrate + the demo catalogue and desk; SQLite in MOTCUA_DATA_DIR, or
PostgreSQL: the bench creates and drops ``<name>_base`` and ``<name>_run`` beside the database
that DATABASE_URL names, which it never touches) and one CSV of N synthetic past dossiers
(default 100,000; ``--million``: 1,000,000). Then, R times each, alternating, it imports the same
file into a fresh copy of that database, in a child process:

- **stream**: ``motcua.dossiers.importing.import_dossiers_file`` (batches, ANALYZE after);
- **baseline**: the importer before issue 9 — every row of the file read into a list, every row
  parsed into a second list, then inserted by the same batches of ``bulk_save`` (no ANALYZE).

Each child reports its own peak RSS (VmHWM from /proc/self/status); a child that only starts
Django and connects gives the floor. Prints each run, then medians and the ratios baseline /
stream. ``BENCH_PROGRESS=1`` shows the streaming import's bar on stderr (with
``TQDM_MININTERVAL=60`` for a long run).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from _setup import median  # sets DJANGO_SETTINGS_MODULE and a throw-away MOTCUA_DATA_DIR

COLUMNS = [
    "ma_ho_so",
    "ma_tthc",
    "ma_don_vi",
    "kenh",
    "ngay_tiep_nhan",
    "han_tra_ket_qua",
    "ngay_co_ket_qua",
    "ngay_tra_ket_qua",
    "trang_thai",
    "da_so_hoa",
    "ket_qua_da_so_hoa",
]


def write_file(path: Path, rows: int, procedures: list[str], unit: str, prefix: str) -> None:
    """``rows`` returned dossiers received over 600 days, in random order of day, each with a
    real dossier code (so the daily counters are raised as in a real import)."""
    rng = random.Random(7)
    start = datetime(2024, 1, 1, 7, 30)
    numbers: dict[str, int] = {}
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(COLUMNS)
        for _ in range(rows):
            received = start + timedelta(minutes=rng.randrange(600 * 24 * 60))
            day = f"{received:%y%m%d}"
            numbers[day] = numbers.get(day, 0) + 1
            resolved = received + timedelta(hours=rng.randrange(1, 200))
            out.writerow(
                [
                    f"{prefix}-{day}-{numbers[day]:04d}",
                    rng.choice(procedures),
                    unit,
                    rng.choice(["truc_tuyen", "truc_tuyen_ho_tro", "truc_tiep"]),
                    received.isoformat(timespec="minutes"),
                    "",
                    resolved.isoformat(timespec="minutes"),
                    (resolved + timedelta(hours=20)).isoformat(timespec="minutes"),
                    "da_tra",
                    1,
                    rng.choice([0, 1]),
                ]
            )


# --- the child: one import, in a process of its own -------------------------------------


def import_all_at_once(path: Path) -> int:
    """The importer before issue 9, with today's helpers: the whole file as a list, then the
    whole list parsed, then inserted in batches in one transaction."""
    from django.db import transaction
    from django.utils import timezone

    from motcua.core.dossier_rows import DossierFileError, parse_dossier_rows
    from motcua.dossiers.history import bulk_save
    from motcua.dossiers.importing import BATCH, Targets, not_stored_yet
    from motcua.tabular import read_table

    headers, rows = read_table(path)
    parsed = parse_dossier_rows(headers, rows)
    targets = Targets()
    errors = targets.errors(parsed)
    if errors:
        raise DossierFileError(errors)
    todo = not_stored_yet(parsed)
    now = timezone.now()
    with transaction.atomic():
        for start in range(0, len(todo), BATCH):
            bulk_save(targets.build(todo[start : start + BATCH], now))
    return len(todo)


def child(mode: str, path: Path) -> None:
    import django

    django.setup()
    from django.db import connection

    import motcua.dossiers.importing as importing

    connection.ensure_connection()
    result = {"mode": mode, "created": 0, "seconds": 0.0, "analyze_seconds": 0.0}
    if mode != "floor":
        spent = []
        real_analyze = importing.analyze

        def timed_analyze(tables):
            began = time.perf_counter()
            real_analyze(tables)
            spent.append(time.perf_counter() - began)

        importing.analyze = timed_analyze
        began = time.perf_counter()
        if mode == "stream":
            # the bar on stderr only when asked (a long run: TQDM_MININTERVAL=60 keeps it short)
            shown = os.environ.get("BENCH_PROGRESS") == "1"
            created = importing.import_dossiers_file(path, progress=shown).created
        else:
            created = import_all_at_once(path)
        result.update(
            created=created, seconds=time.perf_counter() - began, analyze_seconds=sum(spent)
        )
    result["peak_mb"] = peak_rss_mb()
    print(json.dumps(result))


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM). Not ``ru_maxrss``: on Linux that keeps the
    parent's size from before ``exec``, which would hide the child's own below it."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


# --- the parent: one database prepared, copied for each run -----------------------------


class Copies:
    """A prepared database and fresh copies of it for each run (SQLite file / PG template)."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.url = os.environ.get("DATABASE_URL", "").strip()
        if self.url:
            base, _, self.name = self.url.rpartition("/")
            self.server = base
            self.admin_url = f"{base}/postgres"
            self.base = f"{self.name}_base"
            self.run = f"{self.name}_run"
            self.drop()
            self._sql(f'CREATE DATABASE "{self.base}"')
            os.environ["DATABASE_URL"] = f"{base}/{self.base}"
        else:
            self.base_dir = work / "base"
            self.base_dir.mkdir(parents=True, exist_ok=True)
            os.environ["MOTCUA_DATA_DIR"] = str(self.base_dir)

    def _sql(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)

    def fresh(self) -> dict[str, str]:
        """A copy of the prepared database; the environment for a child that uses it."""
        env = dict(os.environ)
        if self.url:
            self._sql(
                f'DROP DATABASE IF EXISTS "{self.run}"',
                f'CREATE DATABASE "{self.run}" TEMPLATE "{self.base}"',
            )
            env["DATABASE_URL"] = f"{self.server}/{self.run}"
        else:
            run_dir = self.work / "run"
            shutil.rmtree(run_dir, ignore_errors=True)
            run_dir.mkdir()
            for part in self.base_dir.glob("motcua.sqlite3*"):  # with its WAL, if any is left
                shutil.copy(part, run_dir / part.name)
            env["MOTCUA_DATA_DIR"] = str(run_dir)
        return env

    def drop(self) -> None:
        if self.url:
            self._sql(*(f'DROP DATABASE IF EXISTS "{name}"' for name in (self.run, self.base)))
        else:
            shutil.rmtree(self.work / "run", ignore_errors=True)


def run_child(mode: str, path: Path, env: dict[str, str]) -> dict:
    """Run one import in a child process; its result with its own peak RSS in MB."""
    process = subprocess.Popen(
        [sys.executable, __file__, "--child", mode, str(path)], env=env, stdout=subprocess.PIPE
    )
    output, _ = process.communicate()
    if process.returncode:
        raise SystemExit(f"the {mode} child failed ({process.returncode})")
    return json.loads(output.decode().strip().splitlines()[-1])


def main(rows: int, repeat: int) -> None:
    work = Path(os.environ["MOTCUA_DATA_DIR"])
    copies = Copies(work)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    from motcua.catalog.models import Procedure
    from motcua.demo.load import load_demo

    call_command("migrate", verbosity=0)
    desk = load_demo(with_dossiers=False)
    procedures = sorted(Procedure.objects.values_list("code", flat=True))
    engine = connection.vendor
    path = work / f"bench-import-{rows}.csv"
    began = time.perf_counter()
    write_file(path, rows, procedures, desk.unit_id, desk.electronic_code)
    print(
        f"{engine}: {rows:,} rows, {path.stat().st_size / 1e6:.0f} MB of CSV "
        f"(written in {time.perf_counter() - began:.0f} s); load: {os.getloadavg()}",
        flush=True,
    )
    connections.close_all()  # the copies need the prepared database closed

    floor = run_child("floor", path, copies.fresh())
    print(f"floor (Django started, connected): {floor['peak_mb']:.0f} MB", flush=True)
    runs: dict[str, list[dict]] = {"stream": [], "baseline": []}
    for i in range(repeat):
        for mode in ("stream", "baseline") if i % 2 == 0 else ("baseline", "stream"):
            result = run_child(mode, path, copies.fresh())
            assert result["created"] == rows, result
            runs[mode].append(result)
            print(
                f"  {mode:<8} {result['seconds']:7.1f} s  {rows / result['seconds']:7,.0f} rows/s"
                f"  peak {result['peak_mb']:6.0f} MB  (ANALYZE {result['analyze_seconds']:.1f} s)"
                f"  load {os.getloadavg()[0]:.1f}",
                flush=True,
            )
    copies.drop()

    def med(mode: str, key: str) -> float:
        return median([r[key] for r in runs[mode]])

    def above(mode: str) -> float:
        return med(mode, "peak_mb") - floor["peak_mb"]

    print(f"\n{engine}, {rows:,} rows, median of {repeat}:")
    print("| mode | rows/s | seconds | peak RSS MB | above the floor MB | ANALYZE s |")
    print("|---|---:|---:|---:|---:|---:|")
    for mode in ("stream", "baseline"):
        seconds = med(mode, "seconds")
        print(
            f"| {mode} | {rows / seconds:,.0f} | {seconds:.1f} | {med(mode, 'peak_mb'):,.0f} "
            f"| {above(mode):,.0f} | {med(mode, 'analyze_seconds'):.1f} |"
        )
    print(
        f"baseline / stream: time {med('baseline', 'seconds') / med('stream', 'seconds'):.2f}, "
        f"peak RSS {med('baseline', 'peak_mb') / med('stream', 'peak_mb'):.2f}, "
        f"above the floor {above('baseline') / above('stream'):.2f}; "
        f"floor {floor['peak_mb']:.0f} MB; load {os.getloadavg()}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("legacy_rows", nargs="?", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--million", action="store_true", help="1,000,000 rows, one run each")
    parser.add_argument("--repeat", type=int, default=None, help="runs of each mode (3; 1M: 1)")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
    else:
        rows = 1_000_000 if args.million else (args.legacy_rows or args.rows)
        main(rows, args.repeat or (1 if args.million else 3))
