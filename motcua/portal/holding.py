"""Files a citizen attached to a submission that failed, kept until they try again.

A failed submit must not make the citizen attach every file again (issue 10): each file that
passed its check is written under ``MOTCUA_DATA_DIR/holding/<token>/``, the token travels in a
hidden field of the form, and the next post takes the files from there. The token is random
(144 bits) and checked against a strict pattern before it touches a path. Areas older than
:data:`LIFETIME` are removed by :func:`clean_holding`: each time a new area is opened, so a
server without a scheduler still sweeps, and by the ``clean-holding`` command (for cron).
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings

LIFETIME = timedelta(hours=24)
TOKEN = re.compile(r"[A-Za-z0-9_-]{24}")


@dataclass(frozen=True)
class HeldFile:
    """A checked file waiting for its submission (tệp đã đính kèm, được giữ lại)."""

    slot: int
    name: str
    mime: str
    size: int
    path: Path

    def read(self) -> bytes:
        return self.path.read_bytes()


def root() -> Path:
    return Path(settings.DATA_DIR) / "holding"


def valid_token(token: str) -> bool:
    return bool(TOKEN.fullmatch(token or ""))


def new_token() -> str:
    """Open a new area (and sweep the expired ones, so no cron job is needed for it)."""
    clean_holding()
    return secrets.token_urlsafe(18)


def area(token: str) -> Path:
    if not valid_token(token):
        raise ValueError("invalid holding token")
    return root() / token


def hold(token: str, slot: int, name: str, data: bytes, mime: str) -> HeldFile:
    """Keep a checked file for component ``slot`` (replacing the one held there before)."""
    folder = area(token)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slot}.bin"
    path.write_bytes(data)
    meta = {"name": name[:255], "mime": mime, "size": len(data)}
    (folder / f"{slot}.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return HeldFile(slot, meta["name"], mime, len(data), path)


def held(token: str) -> dict[int, HeldFile]:
    """The files kept under ``token`` by component slot (none for an unknown or bad token)."""
    if not valid_token(token):
        return {}
    folder = area(token)
    files: dict[int, HeldFile] = {}
    if not folder.is_dir():
        return files
    for meta_path in folder.glob("*.json"):
        if not meta_path.stem.isdigit():
            continue
        slot = int(meta_path.stem)
        data_path = folder / f"{slot}.bin"
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if data_path.is_file():
            files[slot] = HeldFile(slot, meta["name"], meta["mime"], meta["size"], data_path)
    return files


def release(token: str, slot: int) -> None:
    """Forget the file held for one slot (the citizen took it off)."""
    if valid_token(token):
        for suffix in (".bin", ".json"):
            (area(token) / f"{slot}{suffix}").unlink(missing_ok=True)


def drop(token: str) -> None:
    """Remove a whole area (after the submission took its files)."""
    if valid_token(token):
        shutil.rmtree(area(token), ignore_errors=True)


def clean_holding(older_than: timedelta = LIFETIME, now: float | None = None) -> int:
    """Remove the areas last written more than ``older_than`` ago; return how many."""
    base = root()
    if not base.is_dir():
        return 0
    limit = (now if now is not None else time.time()) - older_than.total_seconds()
    removed = 0
    for folder in base.iterdir():
        if not folder.is_dir() or not valid_token(folder.name):
            continue
        newest = max((p.stat().st_mtime for p in folder.iterdir()), default=folder.stat().st_mtime)
        if newest < limit:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed
