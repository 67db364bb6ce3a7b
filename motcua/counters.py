"""Counters kept in one table row per key — a day's dossier numbers, a year's register numbers —
each moved by one atomic upsert, safe when two transactions count at once (the caller holds the
transaction; the row stays locked until it commits)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection


def _insert(table: str, key_columns: Sequence[str], value: str) -> str:
    columns = ", ".join(key_columns)
    placeholders = ", ".join(["%s"] * len(key_columns))
    return (
        f"INSERT INTO {table} ({columns}, last) VALUES ({placeholders}, {value}) "
        f"ON CONFLICT ({columns}) DO UPDATE SET last = "
    )


def take_next(table: str, key_columns: Sequence[str], key: Sequence) -> int:
    """The next number of ``key`` (1 for a new key), taken."""
    with connection.cursor() as cursor:
        cursor.execute(
            _insert(table, key_columns, "1") + f"{table}.last + 1 RETURNING last", list(key)
        )
        return cursor.fetchone()[0]


def keep_at_least(table: str, key_columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """For each row ``(*key, number)``: the key's counter is at least ``number`` (the next
    number taken comes after it; a counter already past it is left alone)."""
    with connection.cursor() as cursor:
        cursor.executemany(
            _insert(table, key_columns, "%s")
            + f"CASE WHEN {table}.last < excluded.last THEN excluded.last ELSE {table}.last END",
            [list(row) for row in rows],
        )
