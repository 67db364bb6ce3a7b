"""A pusher killed with SIGKILL in the middle of a push: the next one sends every pending step,
each applied once, in order; only a call in flight at the kill (at most one per lane) is
delivered a second time. The pusher is the real command (`motcua dvcqg push`) in its own
process, on this test's database, against the FAKE portal slowed down so the kill lands
mid-way."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection

from motcua.dvcqg.models import OutboxRow
from motcua.dvcqg.push import push
from motcua.workflow import actions
from tests.dossiers.conftest import intake
from tests.dvcqg.test_push import calls_of, expected

pytestmark = pytest.mark.django_db(transaction=True)

DOSSIERS = 6
LANES = 4  # calls in flight at once, each dossier's in one lane


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "localhost"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{db['USER']}{password}@{host}{port}/{db['NAME']}"


def test_a_killed_pusher_loses_nothing_and_the_next_applies_each_step_once(
    staff, fake_portal, settings
):
    settings.MOTCUA_DVCQG_URL = ""  # the desk works with the connector off: the outbox fills
    codes = []
    for _ in range(DOSSIERS):
        d = actions.receive_dossier(staff.specialist, staff.binh_thanh.desk, intake())
        d = actions.perform(d.pk, staff.specialist, "start_review")
        d = actions.perform(d.pk, staff.specialist, "submit_for_approval")
        codes.append(d.code)
    total = OutboxRow.objects.count()
    assert total == DOSSIERS * 6
    fake_portal.control("delay", seconds=0.1)
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "MOTCUA_DVCQG_URL": fake_portal.url,
        "MOTCUA_DVCQG_USERNAME": settings.MOTCUA_DVCQG_USERNAME,
        "MOTCUA_DVCQG_PASSWORD": settings.MOTCUA_DVCQG_PASSWORD,
        "MOTCUA_DVCQG_DSTCODE": settings.MOTCUA_DVCQG_DSTCODE,
        "MOTCUA_DVCQG_LEASE_SECONDS": "1",
        "MOTCUA_DVCQG_LANES": str(LANES),
    }
    pusher = subprocess.Popen(
        [sys.executable, "-m", "motcua", "dvcqg", "push"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while len(fake_portal.snapshot()["calls"]) < total // 3:
        assert pusher.poll() is None, pusher.stderr.read().decode()
        assert time.monotonic() < deadline, "the pusher did not start"
        time.sleep(0.02)
    os.kill(pusher.pid, signal.SIGKILL)
    pusher.wait()
    assert pusher.returncode == -signal.SIGKILL
    sent_before = OutboxRow.objects.filter(status="sent").count()
    assert 0 < sent_before < total  # killed in the middle

    time.sleep(1.2)  # the dead pusher's lease lapses
    fake_portal.control("delay", seconds=0)
    settings.MOTCUA_DVCQG_URL = fake_portal.url
    settings.MOTCUA_DVCQG_LEASE_SECONDS = 1
    result = push(force=True)
    assert result.drained
    assert result.sent == total - sent_before

    snap = fake_portal.snapshot()
    for code in codes:
        assert calls_of(snap, code) in (
            expected("2", "4", "4"),
            # its one call in flight at the kill, delivered again (the same upsert or step)
            *_with_one_repeat(expected("2", "4", "4")),
        )
        assert [s["TrangThai"] for s in snap["steps"][code]] == ["2", "4", "4"]
    delivered = len(snap["calls"])
    assert total <= delivered <= total + LANES
    assert snap["duplicates"] <= LANES
    assert not OutboxRow.objects.exclude(status="sent").exists()


def _with_one_repeat(calls: list) -> list[list]:
    return [calls[: i + 1] + calls[i:] for i in range(len(calls))]
