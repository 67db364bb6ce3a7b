"""The dossier code (mã hồ sơ) of a unit's day: allocated once, never reused."""

from __future__ import annotations

from datetime import date

from django.db import connection

from motcua.core.codes import format_dossier_code
from motcua.dossiers.models import DailySequence


def next_sequence(unit_code: str, day: date) -> int:
    """The next dossier number of a unit on a day: one atomic upsert, safe under concurrency."""
    table = DailySequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (unit_code, day, last) VALUES (%s, %s, 1) "
            f"ON CONFLICT (unit_code, day) DO UPDATE SET last = {table}.last + 1 "
            "RETURNING last",
            [unit_code, day],
        )
        return cursor.fetchone()[0]


def allocate_code(electronic_code: str, day: date) -> str:
    """``H15.50.05.13-261008-0975``: the unit's code, the day received, the day's number."""
    return format_dossier_code(electronic_code, day, next_sequence(electronic_code, day))
