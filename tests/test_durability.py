"""Durability under kill -9 (issue 13, item 7): intakes through the API under gunicorn while
the server is killed with SIGKILL three times and restarted; afterwards every intake the
server acknowledged is stored once with its event, and both verify commands pass. On SQLite,
or on PostgreSQL when the suite runs there (a fresh database of its own)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]  # processes: slow

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
BODY = {
    "procedure": "2.001035",
    "channel": "online_assisted",
    "applicant_name": "Lò Văn Chiến",
    "applicant_id_number": "019090001111",
    "components": ["Dự thảo hợp đồng", "Giấy tờ tùy thân"],
}
SETUP = """
from rest_framework.authtoken.models import Token
from motcua.accounts.models import Role
from motcua.catalog.actions import import_procedures_file
from tests import factories
province = factories.unit("19", "Tỉnh Thái Nguyên")
commune = factories.unit("05605", "Xã Bình Thành", province)
factories.desk(commune)
import_procedures_file("tests/fixtures/procedures_small.csv")
official = factories.user("chuyenvien", commune, Role.SPECIALIST)
print(Token.objects.create(user=official).key)
"""
COUNT = """
import json
from motcua.dossiers.models import Dossier
print(json.dumps(list(Dossier.objects.exclude(code=None).values_list("code", flat=True))))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def motcua(env, *args, code=None):
    command = [sys.executable, "-m", "motcua", *args]
    if code is not None:
        command += ["-c", code]
    return subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)


def start(env, port):
    return subprocess.Popen(
        [str(GUNICORN), "--workers", "2", "--bind", f"127.0.0.1:{port}", "motcua.wsgi"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: killed whole with SIGKILL
    )


def wait_ready(port, seconds=90):
    """Until a worker answers (gunicorn binds its socket before its workers have booted)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/thu-tuc/", timeout=5):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            time.sleep(0.2)
    raise AssertionError("the server did not start")


def test_every_acknowledged_intake_survives_three_kill_9(empty_installation):
    env = empty_installation
    assert motcua(env, "migrate", "--no-input", "-v", "0").returncode == 0
    made = motcua(env, "shell", "-v", "0", code=SETUP)
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip().splitlines()[-1]
    port = free_port()
    acknowledged: list[str] = []
    errors: list[str] = []
    stop = threading.Event()

    def client():
        body = json.dumps(BODY).encode()
        while not stop.is_set():
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/api/v1/dossiers/",
                data=body,
                headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
            )
            try:
                with urllib.request.urlopen(request, timeout=10) as answer:
                    if answer.status == 201:
                        acknowledged.append(json.load(answer)["code"])
            except urllib.error.HTTPError as error:
                errors.append(f"{error.code} {error.read()[:200]!r}")
                time.sleep(0.05)
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as error:
                errors.append(type(error).__name__)
                time.sleep(0.05)  # the server is down: try again

    clients = [threading.Thread(target=client) for _ in range(4)]
    server = start(env, port)
    wait_ready(port)
    for thread in clients:
        thread.start()
    rounds = []
    try:
        for _ in range(3):
            time.sleep(2.5)
            before = len(acknowledged)
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
            rounds.append(before)
            server = start(env, port)
            wait_ready(port)
        time.sleep(1.5)
    finally:
        stop.set()
        for thread in clients:
            thread.join(timeout=15)
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    stored = json.loads(motcua(env, "shell", "-v", "0", code=COUNT).stdout.strip().splitlines()[-1])
    print(
        f"kill -9 rounds: acknowledged before each {rounds}; {len(acknowledged)} in all, "
        f"{len(stored)} stored"
    )
    # intakes were acknowledged in every round, before each kill and after the last restart
    assert 0 < rounds[0] < rounds[1] < rounds[2] < len(acknowledged), (rounds, errors[-5:])
    assert set(acknowledged) <= set(stored)  # nothing acknowledged is lost
    assert len(set(stored)) == len(stored)  # and no code twice
    audit = motcua(env, "audit", "verify")
    assert audit.returncode == 0, audit.stderr
    stats = motcua(env, "stats", "verify")
    assert stats.returncode == 0, stats.stdout + stats.stderr
