"""Per-process caches of the configuration every intake reads: a unit's desk, its working
calendar, the catalogue's procedures, the fields exempt from digitisation.

Invalidation, across processes: any save or delete of a cached model (through an action, the
admin, a fixture) increments the one-row :class:`~motcua.units.models.ConfigGeneration` in the
writer's transaction (signals wired in ``units.apps``); a process reads that number once per
request (and at most once a second elsewhere; an API request reads it with its token:
``units.tokens``) and empties its cache when it moved. Within the writing process the cache is
emptied at once, after the commit. A cache miss reads the database, so a value never cached
is never stale.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import connection, transaction

from motcua.units.models import ConfigGeneration

T = TypeVar("T")
MAX_AGE = 1.0  # seconds a generation read outside a request stays trusted

_values: dict[tuple, object] = {}
_filled_at: list[int | None] = [None]  # the generation the values belong to
_seen = threading.local()  # .generation, .read_at: this thread's latest reading
_lock = threading.Lock()


def _table() -> str:
    return ConfigGeneration._meta.db_table


def generation_sql() -> str:
    """The sub-query that reads the generation, for a request's first statement to carry it
    (the API token's look-up does: motcua.units.tokens.TokenAuthentication), then :func:`saw`."""
    return f"SELECT value FROM {_table()} WHERE id = 1"


def saw(generation: int | None) -> None:
    """This request has read the committed generation (``None``: no row yet, 0)."""
    _seen.generation = generation or 0
    _seen.read_at = time.monotonic()


def current_generation() -> int:
    """The committed generation, read at most once per request (or per second)."""
    read_at = getattr(_seen, "read_at", None)
    if read_at is not None and time.monotonic() - read_at < MAX_AGE:
        return _seen.generation
    with connection.cursor() as cursor:
        cursor.execute(generation_sql())
        row = cursor.fetchone()
    saw(row[0] if row else 0)
    return _seen.generation


def cached(key: tuple, load: Callable[[], T]) -> T:
    """The value cached under ``key`` for the current generation, loaded on a miss."""
    generation = current_generation()
    with _lock:
        if _filled_at[0] != generation:
            _values.clear()
            _filled_at[0] = generation
        if key in _values:
            return _values[key]  # type: ignore[return-value]
    value = load()
    with _lock:
        if _filled_at[0] == generation:
            _values[key] = value
    return value


def forget() -> None:
    """Empty this process's cache and its reading of the generation."""
    with _lock:
        _values.clear()
        _filled_at[0] = None
    _seen.read_at = None


def new_request(**_kwargs) -> None:
    """At the start of each request: read the generation afresh (request_started)."""
    _seen.read_at = None


def configuration_changed(**_kwargs) -> None:
    """A cached model was written: count it in the writer's transaction, forget after commit."""
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {_table()} SET value = value + 1 WHERE id = 1")
        if cursor.rowcount == 0:
            cursor.execute(f"INSERT INTO {_table()} (id, value) VALUES (1, 1)")
    forget()
    transaction.on_commit(forget)
