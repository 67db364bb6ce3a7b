"""Durability under kill -9 (issue 13, item 7): intakes through the API under gunicorn while
the server is killed with SIGKILL three times and restarted; afterwards every intake the
server acknowledged is stored once with its event, and both verify commands pass. On SQLite,
or on PostgreSQL when the suite runs there (a fresh database of its own)."""

from __future__ import annotations

import http.client
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
            except (
                urllib.error.URLError,
                ConnectionError,
                TimeoutError,
                OSError,
                http.client.HTTPException,  # an answer cut off by the kill
            ) as error:
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


# --- the worker killed while it sends the citizens' messages and runs OCR --------------------

MESSAGES = 24
RECEIVE = """
from motcua.accounts.models import Role, User
from motcua.catalog.actions import import_procedures_file
from motcua.workflow import actions
from tests import factories
province = factories.unit("19", "Tỉnh Thái Nguyên")
commune = factories.unit("05605", "Xã Bình Thành", province)
desk = factories.desk(commune)
import_procedures_file("tests/fixtures/procedures_small.csv")
official = factories.user("chuyenvien", commune, Role.SPECIALIST)
for i in range({count}):
    name = ["An", "Bình", "Chi", "Dũng", "Hà", "Lan"][i % 6] + " " + ["Lò", "Vi", "Ma", "Hoàng"][i // 6]
    applicant = actions.ApplicantData(name=name, email=f"nguoi{{i}}@example.vn")
    intake = actions.IntakeData(
        procedure_code="2.001035",
        channel="direct",
        applicant=applicant,
        components=["Dự thảo hợp đồng", "Giấy tờ tùy thân"],
    )
    actions.receive_dossier(official, desk, intake)
"""
SCAN = """
from django.core.files.uploadedfile import SimpleUploadedFile
from motcua.accounts.models import User
from motcua.documents.digitisation import attach_component
from motcua.dossiers.models import Dossier
from tests.documents.test_ocr import scanned_page
official = User.objects.get(username="chuyenvien")
dossier = Dossier.objects.order_by("created_at").first()
upload = SimpleUploadedFile("hop-dong.jpg", scanned_page())
print(attach_component(dossier.pk, official, "Dự thảo hợp đồng", upload).pk)
"""
OUTCOME = """
import json
from django_tasks_db.models import DBTaskResult
from motcua.core.text import fold
from motcua.documents.models import StoredFile
from motcua.notifications.models import Notification
print(json.dumps({
    "messages": [[n.message_id, n.status, n.attempts] for n in Notification.objects.all()],
    "running": DBTaskResult.objects.running().count(),
    "ocr": [[f.ocr_state, fold(f.ocr_text)] for f in StoredFile.objects.all()],
}))
"""


class SlowMailServer:
    """An SMTP server on loopback (aiosmtpd) that takes 0.15 s per message and keeps each
    Message-ID it accepts; told to, it kills the worker in the middle of a message, before or
    after it has kept it (the worker then never hears the server's 250)."""

    def __init__(self):
        self.accepted: list[str] = []
        self.kill = None  # "before" or "after" the message is kept, once
        self.kept_at_kill: list[str] = []  # the message kept as the worker died, each time
        self.worker = None
        self.replying = None  # kept, its 250 not yet sent
        self.killed = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        import asyncio
        from email import message_from_bytes

        message_id = message_from_bytes(envelope.content)["Message-ID"]
        if self.kill == "before":
            self._kill_worker()
            return "451 dừng"
        self.accepted.append(message_id)
        if self.kill == "after":
            self.kept_at_kill.append(message_id)
            self._kill_worker()
        self.replying = message_id
        await asyncio.sleep(0.15)
        self.replying = None
        return "250 OK"

    def _kill_worker(self):
        self.kill = None
        os.killpg(self.worker.pid, signal.SIGKILL)
        self.killed.set()


def start_worker(env, log):
    return subprocess.Popen(
        [sys.executable, "-m", "motcua", "worker", "--interval", "0.2", "--no-startup-delay"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_until(condition, seconds=60, what="the condition"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def ocr_running(worker) -> bool:
    """An OCR program (ocrmypdf, tesseract) runs in the worker's process group."""
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            head, _, tail = status.read_text().rpartition(")")
            name, fields = head.split("(", 1)[1], tail.split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == worker.pid and ("tesseract" in name or "ocrmypdf" in name):
            return True
    return False


def test_nothing_lost_nothing_sent_twice_when_the_worker_is_killed(empty_installation, tmp_path):
    from aiosmtpd.controller import Controller

    from motcua.documents import ocr

    mail = SlowMailServer()
    port = free_port()
    controller = Controller(mail, hostname="127.0.0.1", port=port)
    controller.start()
    env = {**empty_installation, "MOTCUA_EMAIL_HOST": "127.0.0.1", "MOTCUA_EMAIL_PORT": str(port)}
    log = open(tmp_path / "worker.log", "w")
    worker = None
    try:
        assert motcua(env, "migrate", "--no-input", "-v", "0").returncode == 0
        made = motcua(env, "shell", "-v", "0", code=RECEIVE.format(count=MESSAGES))
        assert made.returncode == 0, made.stderr
        # three kills: as the server keeps a message (the worker never hears its 250), while
        # a message is on its way (the server does not keep it), and at a moment of no choice
        for kill in ("after", "before", None):
            worker = mail.worker = start_worker(env, log)
            count = len(mail.accepted)
            wait_until(lambda c=count: len(mail.accepted) >= c + 4, what="four messages")
            if kill:
                mail.killed.clear()
                mail.kill = kill
                assert mail.killed.wait(30)
            else:
                replying = mail.replying
                os.killpg(worker.pid, signal.SIGKILL)
                if replying:  # kept, but the worker died before the 250
                    mail.kept_at_kill.append(replying)
            worker.wait(timeout=30)
        worker = mail.worker = start_worker(env, log)
        wait_until(lambda: len(set(mail.accepted)) >= MESSAGES, what="every message")
        time.sleep(1)  # the last one marked sent
        if ocr.available():  # the OCR of a scan, killed while ocrmypdf runs
            scanned = motcua(env, "shell", "-v", "0", code=SCAN)
            assert scanned.returncode == 0, scanned.stderr
            wait_until(lambda: ocr_running(worker), seconds=90, what="OCR to start")
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=30)
            worker = mail.worker = start_worker(env, log)

            def ocr_done():
                outcome = json.loads(motcua(env, "shell", "-v", "0", code=OUTCOME).stdout)
                return all(state == "done" for state, _ in outcome["ocr"])

            wait_until(ocr_done, seconds=180, what="OCR to finish")
        outcome = json.loads(motcua(env, "shell", "-v", "0", code=OUTCOME).stdout)
    finally:
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)
        controller.stop()
        log.close()
    worker_log = (tmp_path / "worker.log").read_text()
    ids = [message_id for message_id, _, _ in outcome["messages"]]
    repeated = sorted(m for m in set(mail.accepted) if mail.accepted.count(m) > 1)
    print(
        f"worker kill -9: {len(ids)} messages, {len(mail.accepted)} accepted by the server, "
        f"{len(set(mail.accepted))} distinct Message-IDs, {len(repeated)} accepted twice "
        f"under its own id; {worker_log.count('Làm lại')} restarts took up an interrupted task"
    )
    assert len(ids) == MESSAGES
    assert all(status == "sent" for _, status, _ in outcome["messages"])  # nothing lost
    assert set(mail.accepted) == set(ids)  # every message, under its own id and no other
    # sent twice only a message the server kept as the worker died (before the worker heard the
    # 250), under the same Message-ID; the one killed "after" keeping it is among them
    assert repeated == sorted(set(mail.kept_at_kill)), (repeated, mail.kept_at_kill)
    assert all(mail.accepted.count(m) == 2 for m in repeated)
    assert outcome["running"] == 0
    assert worker_log.count("Làm lại") >= 3  # each restart took up what the kill interrupted
    if ocr.available():
        [(state, text)] = outcome["ocr"]
        assert state == "done" and "binh thanh" in text
    audit = motcua(env, "audit", "verify")
    assert audit.returncode == 0, audit.stderr
