"""Intake API requests per second (a benchmark, not a test).

    .venv/bin/python bench/bench_intake.py [N]                       # SQLite
    DATABASE_URL=postgres://… .venv/bin/python bench/bench_intake.py  # PostgreSQL

Each request is POST /api/v1/dossiers/ with token auth: validation, the dossier, its code from
the daily sequence, the due moment, the audit event and the notification outbox, in one
transaction. Measured in-process with Django's test client (server time, no network).
"""

from __future__ import annotations

import sys
import time

from _setup import demo_database


def main(n: int) -> None:
    desk = demo_database()
    from django.db import connection
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from motcua.accounts.models import User
    from motcua.catalog.models import Procedure

    user = User.objects.get(username="tuphap2")
    token, _ = Token.objects.get_or_create(user=user)
    procedure = Procedure.objects.filter(current_version__duration__gt=0).first()
    body = {
        "procedure": procedure.code,
        "channel": "online_assisted",
        "applicant_name": "Nguyễn Văn Đo",
        "applicant_id_number": "019085001234",
        "applicant_phone": "0912345678",
        "components": [c["name"] for c in procedure.current_version.components],
    }
    client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    client.post("/api/v1/dossiers/", body, content_type="application/json")  # warm up
    began = time.perf_counter()
    for _ in range(n):
        response = client.post("/api/v1/dossiers/", body, content_type="application/json")
        assert response.status_code == 201, response.content
    elapsed = time.perf_counter() - began
    print(
        f"{connection.vendor}: {n} intakes in {elapsed:.2f} s = {n / elapsed:.0f} requests/s "
        f"({1000 * elapsed / n:.1f} ms each) at {desk.name}"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
