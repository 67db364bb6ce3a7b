"""``motcua backup`` while the data is there, ``motcua restore`` into an empty installation in
another process, which then verifies the audit log and the statistics on what it restored
(issue 13, item 1). SQLite and PostgreSQL alike (the suite's own database)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db import connection

from motcua.documents.backup import MANIFEST
from motcua.workflow import actions
from tests.dossiers.conftest import intake

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]  # processes: slow


def receive(world):
    draft = actions.create_draft(world.specialist, world.binh_thanh.desk, intake())
    return actions.perform(draft.pk, world.specialist, "receive")


def restore(env, snapshot):
    return subprocess.run(
        [sys.executable, "-m", "motcua", "restore", str(snapshot)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_backup_restores_into_an_empty_installation_and_verifies(
    staff, tmp_path, empty_installation, capsys
):
    done = [receive(staff) for _ in range(3)]
    actions.perform(done[0].pk, staff.specialist, "start_review")
    call_command("backup", str(tmp_path / "sao-luu"))
    assert "3 hồ sơ, 7 sự kiện" in capsys.readouterr().out
    [snapshot] = (tmp_path / "sao-luu").iterdir()
    manifest = json.loads((snapshot / MANIFEST).read_text())
    assert manifest["dossiers"] == 3 and manifest["events"] == 7
    assert (snapshot / "keys" / "audit.key").stat().st_mode & 0o077 == 0
    answer = restore(empty_installation, snapshot)
    assert answer.returncode == 0, answer.stdout + answer.stderr
    assert "Đã khôi phục 3 hồ sơ, 7 sự kiện" in answer.stdout
    assert "Nhật ký: nguyên vẹn" in answer.stdout and "khớp với hồ sơ gốc" in answer.stdout
    # a second restore into the same place is refused (SQLite: the file is there)
    if connection.vendor == "sqlite":
        again = restore(empty_installation, snapshot)
        assert again.returncode != 0 and "thư mục trống" in again.stderr


def test_a_damaged_snapshot_is_refused_before_anything_is_restored(
    staff, tmp_path, empty_installation
):
    receive(staff)
    call_command("backup", str(tmp_path / "sao-luu"))
    [snapshot] = (tmp_path / "sao-luu").iterdir()
    database = next(snapshot.glob("database.*"))
    data = bytearray(database.read_bytes())
    data[len(data) // 2] ^= 0xFF
    database.write_bytes(bytes(data))
    answer = restore(empty_installation, snapshot)
    assert answer.returncode != 0 and "hỏng tệp: database." in answer.stderr
    assert not (tmp_path / "installation" / "motcua.sqlite3").exists()
