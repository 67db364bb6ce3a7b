"""The national portal's outbox pushed to the FAKE portal, against a bare loop that posts the same
calls (a benchmark, not a test; it checks only that the FAKE holds every step once).

    .venv/bin/python bench/bench_portal.py                     # SQLite (a fresh file)
    .venv/bin/python bench/bench_portal.py --db postgres       # PostgreSQL (a fresh database)
    options: --dossiers 4000 --runs 3

(a) A province's day: ``--dossiers`` dossiers received at the desk through ``receive_dossier``
    (the connector off, so their rows wait in the outbox), a quarter of them also taken into
    review: two rows per move (the dossier's upsert, then its step).
(b) Ours: one pass of ``motcua.dvcqg.push.push`` — per row the HTTP call, then the row marked
    sent and its dossier's sync record moved, in one transaction.
(c) The baseline: the same request bodies posted in a loop over one kept-alive connection,
    with no database at all — the floor set by the network and the FAKE itself.
``--latency 0.05`` makes the FAKE wait 50 ms before each answer, as a portal across the
Internet would; ours then sends ``MOTCUA_DVCQG_LANES`` calls at once (``--lanes`` to change it),
the baseline one at a time.
The FAKE portal runs in its own process (``motcua dvcqg fake-portal``). Printed per run: rows,
wall time, rows/s for (b) and (c), and the ratio; the median of ``--runs`` runs (between runs
the rows are marked pending again and the FAKE is emptied). The machine is shared: the load
average is printed.
"""

from __future__ import annotations

import argparse
import cProfile
import http.client
import json
import os
import pstats
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from _setup import median


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(db: str) -> None:
    if db == "postgres":
        name = "motcua_bench_portal"
        for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
            subprocess.run(
                ["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-c", sql], check=True
            )
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["MOTCUA_DATA_DIR"] = tempfile.mkdtemp(prefix="motcua-bench-portal-")


def control(url: str, name: str, **body) -> dict:
    request = urllib.request.Request(
        f"{url}/_fake/{name}",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST" if name != "state" else "GET",
    )
    if name == "state":
        request = urllib.request.Request(f"{url}/_fake/state")
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)


def baseline(url: str, bodies: list[dict], dstcode: str, username: str, password: str) -> float:
    """Post every body once over one kept-alive connection; return the wall seconds."""
    host, port = url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.connect()
    conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    headers = {"Content-Type": "application/json; charset=utf-8", "dstcode": dstcode}
    start = time.perf_counter()
    conn.request(
        "POST",
        "/api/auth/login",
        json.dumps({"username": username, "password": password}).encode(),
        headers,
    )
    session = json.loads(conn.getresponse().read())["session"]
    for body in bodies:
        conn.request(
            "POST",
            "/api/integration/dvcqg",
            json.dumps({"session": session, **body}, ensure_ascii=False).encode(),
            headers,
        )
        answer = json.loads(conn.getresponse().read())
        assert answer["error_code"] == 0, answer
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--dossiers", type=int, default=4000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="cProfile of our first push")
    parser.add_argument(
        "--latency", type=float, default=0.0, help="seconds the FAKE waits before each answer"
    )
    parser.add_argument("--lanes", type=int, help="MOTCUA_DVCQG_LANES (default: the setting)")
    args = parser.parse_args()
    prepare(args.db)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    username, password, dstcode = "bench", "bench-gia", "BENCH.FAKE"
    fake = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "motcua",
            "dvcqg",
            "fake-portal",
            "--port",
            str(port),
            "--username",
            username,
            "--password",
            password,
            "--dstcode",
            dstcode,
        ],
        stdout=subprocess.DEVNULL,
    )
    os.environ["MOTCUA_DVCQG_URL"] = ""  # the desk's day first, with the connector off
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import F

    from motcua.accounts.models import Role, User
    from motcua.catalog.models import Procedure
    from motcua.demo.load import load_demo
    from motcua.dossiers.models import DossierSync
    from motcua.dvcqg.models import OutboxRow
    from motcua.dvcqg.push import push
    from motcua.workflow.actions import ApplicantData, IntakeData, perform, receive_dossier

    try:
        call_command("migrate", verbosity=0)
        desk = load_demo(with_dossiers=False)
        official = User.objects.get(username="tuphap1")
        assert Role.SPECIALIST in official.role_codes()
        procedure = Procedure.objects.get(code="2.000815")
        papers = [c["name"] for c in procedure.current_version.components]
        start = time.perf_counter()
        for i in range(args.dossiers):
            d = receive_dossier(
                official,
                desk,
                IntakeData(
                    procedure_code="2.000815",
                    channel="direct",
                    applicant=ApplicantData(name="Nguyễn Văn An", phone="0912345678"),
                    components=papers,
                ),
            )
            if i % 4 == 0:
                perform(d.pk, official, "start_review")
        made = time.perf_counter() - start
        rows = OutboxRow.objects.count()
        print(
            f"{args.db}: {args.dossiers} dossiers received ({made:.1f} s with their outbox), "
            f"{rows} rows to push; load {os.getloadavg()[0]:.1f}"
        )
        bodies = [b for b in OutboxRow.objects.order_by("id").values_list("payload", flat=True)]
        settings.MOTCUA_DVCQG_URL = url
        settings.MOTCUA_DVCQG_USERNAME = username
        settings.MOTCUA_DVCQG_PASSWORD = password
        settings.MOTCUA_DVCQG_DSTCODE = dstcode
        if args.lanes:
            settings.MOTCUA_DVCQG_LANES = args.lanes
        print(
            f"lanes {settings.MOTCUA_DVCQG_LANES}, the FAKE's latency {args.latency * 1000:.0f} ms"
        )
        for _ in range(50):  # the FAKE's process starting
            try:
                control(url, "reset")
                break
            except OSError:
                time.sleep(0.1)
        ours, bare = [], []
        for run in range(args.runs):
            OutboxRow.objects.update(status="pending", sent_at=None, attempts=0, answer="")
            DossierSync.objects.update(
                pending=F("last_seq"), first_synced_at=None, last_synced_at=None
            )
            control(url, "reset")
            control(url, "delay", seconds=args.latency)
            profile = cProfile.Profile() if args.profile and run == 0 else None
            t0 = time.perf_counter()
            if profile:
                profile.enable()
            result = push(force=True)
            t_ours = time.perf_counter() - t0
            if profile:
                profile.disable()
                pstats.Stats(profile).sort_stats("tottime").print_stats(25)
            assert result.drained and result.sent == rows, result
            state = control(url, "state")
            steps = sum(len(v) for v in state["steps"].values())
            assert steps == rows // 2 and state["duplicates"] == 0, (steps, state["duplicates"])
            control(url, "reset")
            control(url, "delay", seconds=args.latency)
            t_bare = baseline(url, bodies, dstcode, username, password)
            ours.append(t_ours)
            bare.append(t_bare)
            print(
                f"  run {run + 1}: ours {t_ours:.2f} s ({rows / t_ours:,.0f} rows/s), "
                f"bare loop {t_bare:.2f} s ({rows / t_bare:,.0f} rows/s), "
                f"ratio {t_ours / t_bare:.2f}×; load {os.getloadavg()[0]:.1f}"
            )
        o, b = median(ours), median(bare)
        print(
            f"median: the day's outbox ({rows} rows, {args.dossiers} dossiers) drains in "
            f"{o:.2f} s = {rows / o:,.0f} rows/s; bare loop {b:.2f} s = {rows / b:,.0f} rows/s; "
            f"ratio {o / b:.2f}× ({connection.vendor})"
        )
    finally:
        fake.terminate()
        fake.wait()


if __name__ == "__main__":
    main()
