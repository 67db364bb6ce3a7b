"""Intake through the API under gunicorn, against a bare Django view that inserts one row
(a benchmark, not a test).

    .venv/bin/python bench/bench_intake.py                       # SQLite (a fresh file)
    .venv/bin/python bench/bench_intake.py --db postgres         # PostgreSQL (a fresh database)
    options: --workers 4 --seconds 15 --concurrency 16,50

Each intake is POST /api/v1/dossiers/ with token auth: validation, the dossier received with
its code from the day's sequence, its appointment, its one ledger event, its statistics cell
and the citizen's notifications, in one transaction. The baseline is POST /bench/bare-insert/
(parse the body, insert one row) under the same server and middleware. Printed: requests/s,
latency, failures, CPU per request (gunicorn workers + the database's backends, read from
/proc), the ratio, SQL statements per intake, and a check that every acknowledged intake is
stored once with its own code.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

from load import load, machine_load, postgres_backend_cpu, start_server

BODY = {
    "channel": "online_assisted",
    "applicant_name": "Nguyễn Văn Đo",
    "applicant_id_number": "019085001234",
    "applicant_phone": "0912345678",
    "applicant_email": "do.nguyen@example.vn",
}


def prepare(db: str) -> tuple[dict, str]:
    """A fresh database with the demo desk (no dossiers); return (server env, db name)."""
    env: dict[str, str] = {}
    name = ""
    if db == "postgres":
        name = "motcua_bench_intake"
        for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
            subprocess.run(
                ["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-c", sql], check=True
            )
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    env["MOTCUA_DATA_DIR"] = tempfile.mkdtemp(prefix="motcua-bench-intake-")
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loadsite.settings")
    os.environ["MOTCUA_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    import django

    django.setup()
    from django.core.management import call_command
    from loadsite.urls import create_table

    from motcua.demo.load import load_demo

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)  # served with DEBUG off
    load_demo(with_dossiers=False)
    create_table()
    return env, name


def statements_per_intake(body: dict, token: str) -> tuple[int, list[str]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    for _ in range(3):
        assert (
            client.post("/api/v1/dossiers/", body, content_type="application/json").status_code
            == 201
        )
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/v1/dossiers/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    return len(queries), [q["sql"][:90] for q in queries.captured_queries]


def lock_held(body: dict, token: str, times: int = 300) -> tuple[float, float]:
    """Median milliseconds an intake and a bare insert hold the rows every intake of the desk
    must wait for, in process, one at a time: from the transaction's first lock (SQLite's
    ``BEGIN IMMEDIATE``, the file's one writer; PostgreSQL's day sequence upsert, the desk's
    row of the day) to the end of the commit. Intakes of a desk cannot pass this gate faster
    than 1000 / held per second, however many cores there are."""
    from django.db import connection
    from django.test import Client
    from loadsite.urls import TABLE

    held: list[float] = []
    since: list[float] = []

    def watch(execute, sql, params, many, context):
        if not since and (sql.startswith("BEGIN") or "dailysequence" in sql or TABLE in sql):
            since.append(time.perf_counter())
        result = execute(sql, params, many, context)
        if TABLE in sql:  # autocommit: the statement is its own transaction
            held.append(time.perf_counter() - since.pop())
        return result

    commit = connection.commit

    def timed_commit():
        commit()
        if since:
            held.append(time.perf_counter() - since.pop())

    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    medians = []
    connection.commit = timed_commit
    try:
        for path in ("/api/v1/dossiers/", "/bench/bare-insert/"):
            held.clear()
            with connection.execute_wrapper(watch):
                for _ in range(times):
                    response = client.post(path, body, content_type="application/json")
                    assert response.status_code == 201, response.content
            medians.append(sorted(held)[len(held) // 2] * 1000)
    finally:
        del connection.commit
    return medians[0], medians[1]


def warm(server, path: str, payload: str, headers: dict, times: int) -> None:
    """A few requests, one at a time, until every worker has answered one."""
    import urllib.request

    for _ in range(times):
        request = urllib.request.Request(
            server.url + path,
            data=payload.encode(),
            headers={"Content-Type": "application/json", **headers},
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            assert response.status == 201, response.read()[:500]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--concurrency", default="16,50")
    args = parser.parse_args()

    env, dbname = prepare(args.db)
    from django.db import connection
    from rest_framework.authtoken.models import Token

    from motcua.accounts.models import User
    from motcua.catalog.models import Procedure
    from motcua.dossiers.models import Dossier

    user = User.objects.get(username="tuphap2")
    token = Token.objects.get_or_create(user=user)[0].key
    procedure = Procedure.objects.filter(current_version__duration__gt=0).order_by("code").first()
    body = {
        **BODY,
        "procedure": procedure.code,
        "components": [c["name"] for c in procedure.current_version.components],
    }
    count, sqls = statements_per_intake(body, token)
    print(f"{connection.vendor}: {count} SQL statements per intake:")
    for sql in sqls:
        print("   ", sql)
    ours_held, bare_held = lock_held(body, token)
    print(
        f"lock held per request, in process: intake {ours_held:.2f} ms (at most "
        f"{1000 / ours_held:.0f} intakes/s of one desk), bare insert {bare_held:.2f} ms "
        f"(at most {1000 / bare_held:.0f}/s)"
    )
    connection.close()
    before = Dossier.objects.count()

    db_cpu = postgres_backend_cpu(dbname) if args.db == "postgres" else (lambda: 0.0)
    server = start_server(env, args.workers)
    headers = {"Authorization": f"Token {token}"}
    payload = json.dumps(body, ensure_ascii=False)
    runs = []
    try:
        # Warm every worker (imports, first queries, the calendar's tables).
        warm(server, "/api/v1/dossiers/", payload, headers, args.workers * 4)
        warm(server, "/bench/bare-insert/", payload, {}, args.workers * 4)
        stored_before = Dossier.objects.count()
        intakes = 0
        for concurrency in (int(c) for c in args.concurrency.split(",")):
            bare = load(
                server,
                "/bench/bare-insert/",
                label="bare one-row insert view",
                concurrency=concurrency,
                seconds=args.seconds,
                method="POST",
                body=payload,
                db_cpu=db_cpu,
            )
            ours = load(
                server,
                "/api/v1/dossiers/",
                label="intake API (receive)",
                concurrency=concurrency,
                seconds=args.seconds,
                method="POST",
                body=payload,
                headers=headers,
                db_cpu=db_cpu,
            )
            intakes += ours.requests - ours.failures
            runs += [bare, ours]
            print(bare.line())
            print(ours.line())
            print(
                f"    ratio CPU/request intake ÷ bare: {ours.cpu_ms / bare.cpu_ms:.2f}; "
                f"throughput {ours.rps / bare.rps:.2f} of the bare view"
            )
    finally:
        server.stop()
    stored = Dossier.objects.count() - stored_before
    codes = Dossier.objects.values("code").distinct().count()
    in_flight = sum(run.concurrency for run in runs)  # answered after wrk stopped counting
    print(
        f"stored {stored} dossiers for {intakes} acknowledged intakes (at most {in_flight} "
        f"more were in flight when a run ended); "
        f"{Dossier.objects.count() - codes} duplicate codes; {machine_load()}"
    )
    assert intakes <= stored <= intakes + in_flight, "an acknowledged intake is missing"
    assert codes == Dossier.objects.count() >= before


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(__file__))
    main()
