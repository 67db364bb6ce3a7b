"""Secrets kept in files of the data directory, each made once, readable by its owner only
(mode 0600): the audit log's key (docs/audit.md) and Django's secret key (docs/security.md)."""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path


class KeyFileError(Exception):
    """A key file that cannot be used (wrong size, or readable by others)."""


def read_or_create(path: Path, size: int = 32) -> bytes:
    """The ``size`` random bytes kept in ``path``, written there (0600) the first time.

    Two processes starting at once both end with the same key: the file is created with
    O_EXCL and the loser reads the winner's. A file that others may read is refused, since
    whoever reads it can seal a forged history.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return read(path, size)
    with os.fdopen(fd, "wb") as f:
        key = secrets.token_bytes(size)
        f.write(key)
        f.flush()
        os.fsync(f.fileno())
    return key


def read(path: Path, size: int = 32) -> bytes:
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise KeyFileError(
            f"Tệp khoá {path} có thể bị người khác đọc (quyền {stat.S_IMODE(mode):o}); "
            f"hãy chạy: chmod 600 {path}"
        )
    key = path.read_bytes()
    if len(key) != size:
        raise KeyFileError(f"Tệp khoá {path} không đúng kích thước ({len(key)} byte, cần {size}).")
    return key
