"""The list pages under gunicorn with many dossiers, against a bare 50-row list view in the same
run (a benchmark, not a test).

    .venv/bin/python bench/bench_lists.py --communes 10 --per-commune 10000      # 100 k
    .venv/bin/python bench/bench_lists.py --communes 100 --per-commune 10000     # 1 M
    options: --db postgres|sqlite (default postgres), --name DB (default motcua_bench_lists),
             --reuse (keep a database this bench filled before), --workers 4, --seconds 10,
             --concurrency 16, --fill-only (fill the database now, time it later with --reuse),
             --think 1000 (then the same pages as people who read each one; 0: not)

The province is filled by ``bench/synthetic.py`` (a year of dossiers per commune, their
statistics cells, then ANALYZE). Timed with wrk, each at the given concurrency, one user's
session or token on every connection:

- the bare view: ``/bench/bare-list/`` (50 rows of the official's commune, one indexed query,
  a template loop: the floor of any list page under the same server and middleware);
- "Việc của tôi" ``/ho-so/`` of a specialist of the first commune who handles every field;
- its API ``/api/v1/worklist/`` (token);
- the dossier list API ``/api/v1/dossiers/`` of the province overseer (every commune), the
  first page and a page further by its cursor.

Each is timed twice: as a closed loop (every connection asks again the moment it is answered,
so the server is never idle and the latency is mostly the queue in front of its workers), then
as ``--concurrency`` people who each read a page for 0.5–1.5 s (``--think``) before asking for
the next — the desk's real use, three times as long so the p95 has some hundreds of pages —
through nginx with the shipped site (deploy/nginx-motcua.conf, TLS), as deployed: gunicorn's
sync workers are meant to sit behind a proxy that hands them whole requests (a browser's idle
keep-alive connection would otherwise hold a worker until it sends again).
Printed for each: requests/s, p50, p95 and p99 latency, CPU per request (gunicorn workers and,
on PostgreSQL, the database's backends) and its ratio to the bare view.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import urllib.request

from load import load, machine_load, postgres_backend_cpu, start_proxy, start_server


def prepare(args) -> dict:
    env = {
        "MOTCUA_DATA_DIR": tempfile.mkdtemp(prefix="motcua-bench-lists-"),
        # the server's settings here too: its static manifest, and sessions it can read
        "MOTCUA_DEBUG": "0",
        "MOTCUA_SECRET_KEY": "bench-lists-" + "x" * 50,
    }
    if args.db == "postgres":
        if not args.reuse:
            for sql in (f"DROP DATABASE IF EXISTS {args.name}", f"CREATE DATABASE {args.name}"):
                subprocess.run(
                    ["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-c", sql], check=True
                )
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.name}"
    else:
        env["MOTCUA_DATA_DIR"] = args.name if args.reuse else env["MOTCUA_DATA_DIR"]
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loadsite.settings")
    os.environ["MOTCUA_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)
    return env


def fill(args) -> list:
    from synthetic import ensure_desks, generate

    from motcua.dossiers.history import analyze
    from motcua.dossiers.models import Dossier

    desks = ensure_desks(args.province, args.communes)
    if not Dossier.objects.exists():
        done = generate(desks, args.per_commune, 2025, progress=None)
        print(f"generated {done.dossiers:,} dossiers in {done.seconds:.0f} s")
        analyze()
    return desks


def users(desk):
    from rest_framework.authtoken.models import Token

    from motcua.accounts.models import Role, StaffRole, User
    from motcua.catalog.models import Field

    specialist, _ = User.objects.get_or_create(
        username="bench_specialist", defaults={"unit": desk.unit, "full_name": "Nguyễn Văn Bình"}
    )
    StaffRole.objects.get_or_create(user=specialist, role=Role.SPECIALIST)
    specialist.fields.set(Field.objects.all())
    overseer, _ = User.objects.get_or_create(
        username="bench_overseer",
        defaults={"unit_id": desk.unit.province_id, "full_name": "Trần Thị Hà"},
    )
    StaffRole.objects.get_or_create(user=overseer, role=Role.OVERSEER)
    return (
        specialist,
        overseer,
        Token.objects.get_or_create(user=specialist)[0].key,
        (Token.objects.get_or_create(user=overseer)[0].key),
    )


def session_cookie(user) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def get(server, path: str, headers: dict) -> bytes:
    request = urllib.request.Request(server.url + path, headers=headers)
    with urllib.request.urlopen(request, timeout=120) as response:
        assert response.status == 200, response.status
        return response.read()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--name", default="motcua_bench_lists")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--province", default="01")
    parser.add_argument("--communes", type=int, default=10)
    parser.add_argument("--per-commune", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--fill-only", action="store_true", help="fill the database, time nothing")
    parser.add_argument(
        "--think",
        type=int,
        default=1000,
        help="then the same pages with each connection a person reading each page for about "
        "this many ms (0: only the closed loop)",
    )
    args = parser.parse_args()

    env = prepare(args)
    desks = fill(args)
    if args.fill_only:
        return
    from django.db import connection

    from motcua.dossiers.models import Dossier

    total = Dossier.objects.count()
    specialist, _, token, overseer_token = users(desks[0])
    cookie = {"Cookie": session_cookie(specialist)}
    connection.close()

    db_cpu = postgres_backend_cpu(args.name) if args.db == "postgres" else (lambda: 0.0)
    server = start_server(env, args.workers)
    proxy = None
    province = {"Authorization": f"Token {overseer_token}"}
    try:
        first = json.loads(get(server, "/api/v1/dossiers/", province))
        cursor_path = first["next"].split("127.0.0.1", 1)[-1].split(":", 1)[-1]
        cursor_path = cursor_path[cursor_path.index("/") :]
        for _ in range(3):  # a second page, then the page after it
            cursor_path = json.loads(get(server, cursor_path, province))["next"]
            cursor_path = cursor_path[cursor_path.index("/api/") :]
        pages = [
            ("bare 50-row list view", "/bench/bare-list/", cookie),
            ("Việc của tôi /ho-so/", "/ho-so/", cookie),
            ("worklist API", "/api/v1/worklist/", {"Authorization": f"Token {token}"}),
            ("province list API, page 1", "/api/v1/dossiers/", province),
            ("province list API, page 5", cursor_path, province),
        ]
        for _, path, headers in pages:  # every worker answers each once before timing
            for _ in range(args.workers * 3):
                get(server, path, headers)
        print(
            f"{connection.vendor}: {total:,} dossiers in {len(desks)} communes; "
            f"{args.workers} gunicorn workers, {args.concurrency} concurrent clients"
        )
        modes = [("closed loop", 0, args.seconds, server)]
        if args.think:
            proxy = start_proxy(server)
            modes.append((f"{args.concurrency} users reading", args.think, args.seconds * 3, proxy))
        for mode, think, seconds, target in modes:
            print(
                f"-- {mode}: "
                + (
                    "each connection asks again as soon as it is answered (gunicorn directly)"
                    if not think
                    else f"each user reads a page {think // 2}–{think * 3 // 2} ms, then asks "
                    "(through nginx with the shipped site, as deployed)"
                )
            )
            bare = None
            for label, path, headers in pages:
                run = load(
                    target,
                    path,
                    label=label,
                    concurrency=args.concurrency,
                    seconds=seconds,
                    headers=headers,
                    db_cpu=db_cpu,
                    think_ms=think,
                )
                bare = bare or run
                print(run.line() + f"  CPU ratio to bare {run.cpu_ms / bare.cpu_ms:.2f}")
    finally:
        if proxy is not None:
            proxy.stop()
        server.stop()
    print(machine_load())


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(__file__))
    main()
