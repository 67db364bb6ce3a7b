"""``motcua backup DIR`` and ``motcua restore SNAPSHOT`` (the commands of this app): the
database, the files and the keys, taken consistently while the system runs, and a restore
that proves itself (docs/operations.md).

A snapshot is a folder ``DIR/motcua-<yyyymmdd-hhmmss>/``:

- ``database.sqlite3`` (SQLite's online backup API: one consistent copy of what was committed)
  or ``database.dump`` (``pg_dump -Fc``: one consistent snapshot of PostgreSQL);
- ``media/``: the dossiers' files, copied after the database, so every file a row of the copy
  names is there (a file is written before its row commits, and never changed after);
- ``keys/``: the audit key and Django's secret (mode 0600), ``checkpoints/``;
- ``MANIFEST.json``: every file's size and SHA-256, and the counts of dossiers and events.

``motcua restore`` checks the manifest, puts everything into ``MOTCUA_DATA_DIR`` (and, on
PostgreSQL, into the empty database of ``DATABASE_URL``), then runs the audit log's verify and
the statistics' verify on what it restored: exit 0 only when both pass.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection

from motcua.documents.checkpoints import read_checkpoints
from motcua.dossiers.integrity import verify_log
from motcua.dossiers.ledger import audit_key
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.reports import cells

MANIFEST = "MANIFEST.json"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def private_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    target.chmod(0o600)


# -- backup -----------------------------------------------------------------------------------


def backup(destination: Path) -> Path:
    snapshot = destination / f"motcua-{datetime.now():%Y%m%d-%H%M%S}"
    snapshot.mkdir(parents=True)
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        source = sqlite3.connect(str(database["NAME"]))
        target = sqlite3.connect(str(snapshot / "database.sqlite3"))
        with target:
            source.backup(target)
        source.close()
        target.close()
    else:
        subprocess.run(
            [
                "pg_dump",
                "-Fc",
                "--no-owner",
                "-f",
                str(snapshot / "database.dump"),
                pg_url(database),
            ],
            check=True,
        )
    counts = {"dossiers": Dossier.objects.count(), "events": DossierEvent.objects.count()}
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        shutil.copytree(media, snapshot / "media")
    for key in (Path(settings.MOTCUA_AUDIT_KEY_FILE), Path(settings.DATA_DIR) / "secret.key"):
        if key.exists():
            private_copy(key, snapshot / "keys" / key.name)
    checkpoints = Path(settings.MOTCUA_AUDIT_CHECKPOINT_DIR)
    if checkpoints.exists():
        shutil.copytree(checkpoints, snapshot / "checkpoints")
    files = {
        str(p.relative_to(snapshot)): {"size": p.stat().st_size, "sha256": sha256(p)}
        for p in sorted(snapshot.rglob("*"))
        if p.is_file()
    }
    manifest = {
        "made_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "database": connection.vendor,
        **counts,
        "files": files,
    }
    (snapshot / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    return snapshot


def pg_url(database: dict) -> str:
    user = database.get("USER") or ""
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    host = database.get("HOST") or ""
    port = f":{database['PORT']}" if database.get("PORT") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgresql://{auth}{host}{port}/{database['NAME']}"


# -- restore ----------------------------------------------------------------------------------


def check_manifest(snapshot: Path) -> dict:
    manifest = json.loads((snapshot / MANIFEST).read_text())
    for name, expected in manifest["files"].items():
        path = snapshot / name
        if not path.exists() or sha256(path) != expected["sha256"]:
            raise RestoreError(f"Bản sao lưu bị thiếu hoặc hỏng tệp: {name}")
    return manifest


class RestoreError(Exception):
    """A snapshot that cannot be restored here, said in Vietnamese."""


def restore(snapshot: Path) -> tuple[bool, list[str]]:
    """Restore ``snapshot`` into this installation's data directory and database, which must be
    empty, then verify it (:func:`verify_restored`). The keys are put in place before anything
    reads them, and the database before the first query."""
    manifest = check_manifest(snapshot)
    data_dir = Path(settings.DATA_DIR)
    database = connection.settings_dict
    if manifest["database"] != connection.vendor:
        raise RestoreError(
            f"Bản sao lưu là {manifest['database']}, hệ thống đang dùng {connection.vendor}."
        )
    if connection.vendor == "sqlite":
        target = Path(database["NAME"])
        if target.exists() and target.stat().st_size:
            raise RestoreError(f"Đã có cơ sở dữ liệu {target}: khôi phục vào một thư mục trống.")
        connection.close()
        shutil.copyfile(snapshot / "database.sqlite3", target)
    else:
        subprocess.run(
            [
                *("pg_restore", "--no-owner", "--exit-on-error"),
                *("-d", pg_url(database), str(snapshot / "database.dump")),
            ],
            check=True,
        )
    if (snapshot / "media").exists():
        shutil.copytree(snapshot / "media", data_dir / "media", dirs_exist_ok=True)
    for key in (snapshot / "keys").glob("*") if (snapshot / "keys").exists() else []:
        private_copy(key, data_dir / key.name)
    if (snapshot / "checkpoints").exists():
        shutil.copytree(snapshot / "checkpoints", data_dir / "checkpoints", dirs_exist_ok=True)
    return verify_restored(manifest)


def verify_restored(manifest: dict) -> tuple[bool, list[str]]:
    """What ``motcua audit verify`` and ``motcua stats verify`` say of the restored data, and
    whether the counts are the manifest's: ``(all sound, lines to print)``."""
    key = audit_key()
    good, bad = read_checkpoints(key)
    events, findings = verify_log(key, good)
    findings += bad
    mismatches = cells.verify()
    dossiers = Dossier.objects.count()
    ok = (
        not findings
        and not mismatches
        and dossiers == manifest["dossiers"]
        and DossierEvent.objects.count() == manifest["events"]
    )
    lines = [finding.message for finding in findings[:50]]
    lines.append(
        f"Đã khôi phục {dossiers} hồ sơ, {events} sự kiện (bản sao lưu ghi {manifest['dossiers']}"
        f" hồ sơ, {manifest['events']} sự kiện). Nhật ký: "
        f"{'nguyên vẹn' if not findings else f'{len(findings)} phát hiện'}; {len(good)} điểm "
        f"kiểm tra đã đối chiếu. Số liệu thống kê: "
        f"{'khớp với hồ sơ gốc' if not mismatches else f'{len(mismatches)} ô lệch'}."
    )
    return ok, lines
