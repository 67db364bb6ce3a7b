"""The worklist page ("Việc của tôi") with about 100,000 dossiers (a benchmark, not a test).

.venv/bin/python bench/bench_worklist.py [DOSSIERS]
"""

from __future__ import annotations

import sys
import time

from _setup import demo_database, median


def main(total: int) -> None:
    desk = demo_database()
    from django.db import connection
    from django.test import Client

    from motcua.demo.dossiers import generate_year
    from motcua.dossiers.models import Dossier

    began = time.perf_counter()
    made = generate_year(desk, days=365, per_day=total / 250, seed=1)
    print(f"generated {made:,} dossiers in {time.perf_counter() - began:.1f} s")
    in_progress = Dossier.objects.exclude(
        state__in=["returned", "refused", "withdrawn", "stopped", "transferred"]
    ).count()
    print(f"{in_progress:,} of them not closed")
    for username in ("tuphap1", "chutich", "vanphong"):
        client = Client()
        client.force_login(
            __import__("motcua.accounts.models", fromlist=["User"]).User.objects.get(
                username=username
            )
        )
        times = []
        for _ in range(15):
            start = time.perf_counter()
            response = client.get("/ho-so/")
            times.append(time.perf_counter() - start)
            assert response.status_code == 200
        print(
            f"{connection.vendor}: worklist of {username}: median {1000 * median(times):.0f} ms, "
            f"max {1000 * max(times):.0f} ms"
        )
    client = Client()
    client.force_login(
        __import__("motcua.accounts.models", fromlist=["User"]).User.objects.get(username="tuphap1")
    )
    times = []
    for _ in range(10):
        start = time.perf_counter()
        client.get("/ho-so/so-theo-doi/")
        times.append(time.perf_counter() - start)
    print(f"{connection.vendor}: log book page (a month): median {1000 * median(times):.0f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
