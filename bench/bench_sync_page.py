"""The sync page (Đồng bộ Cổng DVCQG) with about 100,000 outbox rows, most of them waiting as
in a portal outage (a benchmark, not a test).

.venv/bin/python bench/bench_sync_page.py [ROWS]

About 20,000 dossiers of the demo desk get five calls each: the older ones sent, the newer
ones waiting (an outage of the last days), some failed and stopped; their times spread over
the last fourteen days. Then the page is read by the commune's head (one unit), by the
administrator (every unit), on its first and its last page, and one dossier's sync state.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import timedelta

from _setup import demo_database, median


def fill(total: int) -> int:
    from django.utils import timezone

    from motcua.core.dvcqg import PROGRESS, UPSERT
    from motcua.dossiers.models import Dossier, DossierSync
    from motcua.dvcqg.models import OutboxRow

    OutboxRow.objects.all().delete()
    DossierSync.objects.all().delete()
    rng = random.Random(11)
    now = timezone.now()
    dossiers = list(
        Dossier.objects.exclude(code="")
        .order_by("received_at")
        .values_list("pk", "unit_id", "code")
    )
    per = 5
    dossiers = dossiers[-(total // per) :]
    rows, syncs = [], []
    for i, (pk, unit, code) in enumerate(dossiers):
        created = now - timedelta(days=14) + timedelta(days=14) * i / len(dossiers)
        share = i / len(dossiers)
        for seq in range(1, per + 1):
            if share < 0.35:
                status = "sent"
            elif seq == 1 and rng.random() < 0.04:
                status = "failed"
            elif seq == 1 and rng.random() < 0.01:
                status = "dead"
            else:
                status = "pending"
            at = created + timedelta(minutes=seq)
            rows.append(
                OutboxRow(
                    dossier_id=pk,
                    unit_id=unit,
                    seq=seq,
                    action="receive",
                    service=UPSERT if seq == 1 else PROGRESS,
                    payload={"service": UPSERT},
                    status=status,
                    attempts=3 if status in ("failed", "dead") else 0,
                    answer='{"error_code": "-6", "message": "Thiếu trường: MaTTHC."}'
                    if status in ("failed", "dead")
                    else "",
                    created_at=at,
                    sent_at=at + timedelta(seconds=2) if status == "sent" else None,
                )
            )
        unsent = [r for r in rows[-per:] if r.status != "sent"]
        syncs.append(
            DossierSync(
                dossier_id=pk,
                unit_id=unit,
                portal_code=code,
                last_seq=per,
                pending=len(unsent),
                failing=any(r.status != "pending" for r in unsent),
            )
        )
    OutboxRow.objects.bulk_create(rows, batch_size=5000)
    DossierSync.objects.bulk_create(syncs, batch_size=5000)
    return len(rows)


def timed(client, url: str, runs: int = 15) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    return 1000 * median(times), 1000 * max(times)


def main(total: int) -> None:
    desk = demo_database()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from motcua.accounts.models import User
    from motcua.demo.dossiers import generate_year
    from motcua.dossiers.models import Dossier
    from motcua.dvcqg.models import OutboxRow
    from motcua.dvcqg.queries import dossier_sync_state

    began = time.perf_counter()
    made = generate_year(desk, days=300, per_day=(total / 5) / 200, seed=3)
    print(f"generated {made:,} dossiers in {time.perf_counter() - began:.1f} s")
    began = time.perf_counter()
    rows = fill(total)
    by_status = dict(OutboxRow.objects.order_by().values_list("status").annotate(n=Count("id")))
    print(f"{rows:,} outbox rows in {time.perf_counter() - began:.1f} s: {by_status}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # what autovacuum does after a bulk load
    head = User.objects.get(username="chutich")
    admin = User.objects.filter(is_superuser=True).first()
    for who, user in (("head (one unit)", head), ("administrator (all)", admin)):
        client = Client()
        client.force_login(user)
        first = timed(client, "/dong-bo-dvcqg/")
        last = timed(client, "/dong-bo-dvcqg/?trang=999999")
        print(
            f"{connection.vendor}: sync page, {who}: first page median {first[0]:.0f} ms "
            f"(max {first[1]:.0f}), last page median {last[0]:.0f} ms (max {last[1]:.0f})"
        )
    dossier = Dossier.objects.filter(portal_rows__status="failed").first()
    times = []
    for _ in range(50):
        start = time.perf_counter()
        dossier_sync_state(dossier.pk)
        times.append(time.perf_counter() - start)
    print(f"{connection.vendor}: one dossier's sync state: median {1000 * median(times):.2f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
