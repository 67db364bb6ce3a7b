"""Files in the storage that no stored file row names (a transaction rolled back after its
file was written, a row deleted by hand): removed once they are a day old, so a file being
written now is never taken (issue 13, M7)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.core.files.storage import default_storage

from motcua.documents.models import StoredFile

ROOT = "dossiers"
GRACE = timedelta(days=1)


def walk(storage, folder: str):
    folders, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from walk(storage, f"{folder}/{sub}")


def sweep_orphan_files(now: datetime | None = None, storage=default_storage) -> int:
    """Delete the orphans older than a day; how many were deleted."""
    now = now or datetime.now(UTC)
    if not storage.exists(ROOT):
        return 0
    known = set(StoredFile.objects.values_list("content", flat=True))
    known |= set(StoredFile.objects.exclude(searchable="").values_list("searchable", flat=True))
    removed = 0
    for name in walk(storage, ROOT):
        if name in known:
            continue
        if now - storage.get_modified_time(name).astimezone(UTC) < GRACE:
            continue
        storage.delete(name)
        removed += 1
    return removed
