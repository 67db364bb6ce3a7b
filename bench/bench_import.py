"""Import rate of past dossiers (a benchmark, not a test).

    MOTCUA_DATA_DIR=/tmp/bench-import .venv/bin/python bench/bench_import.py [ROWS]

Creates a throw-away database in MOTCUA_DATA_DIR (SQLite unless DATABASE_URL is set), loads
the demo catalogue and desk, writes ROWS (default 100,000) synthetic past dossiers to a CSV and
times `motcua import-dossiers`.
"""

from __future__ import annotations

import csv
import os
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
os.environ.setdefault("MOTCUA_DATA_DIR", tempfile.mkdtemp(prefix="motcua-bench-"))


def main(rows: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from motcua.catalog.models import Procedure
    from motcua.demo.load import load_demo
    from motcua.dossiers.importing import import_dossiers_file
    from motcua.dossiers.models import Dossier

    call_command("migrate", verbosity=0)
    desk = load_demo(with_dossiers=False)
    codes = list(Procedure.objects.values_list("code", flat=True))
    rng = random.Random(7)
    path = Path(os.environ["MOTCUA_DATA_DIR"]) / "bench-import.csv"
    start = datetime(2025, 1, 1, 7, 30)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(
            [
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
        )
        for i in range(rows):
            received = start + timedelta(minutes=rng.randrange(600 * 24 * 60))
            resolved = received + timedelta(hours=rng.randrange(1, 200))
            out.writerow(
                [
                    f"BENCH-{i:07d}",
                    rng.choice(codes),
                    desk.unit_id,
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
    began = time.perf_counter()
    result = import_dossiers_file(path, progress=True)
    elapsed = time.perf_counter() - began
    assert Dossier.objects.count() >= rows
    engine = django.db.connection.vendor
    print(
        f"{engine}: {result.created:,} dossiers imported in {elapsed:.1f} s "
        f"= {result.created / elapsed:,.0f} rows per second"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
