"""The dossier code (mã hồ sơ) of a unit's day: allocated once, never reused."""

from __future__ import annotations

from datetime import date

from motcua.core.codes import format_dossier_code
from motcua.counters import take_next
from motcua.dossiers.models import DailySequence


def next_sequence(unit_code: str, day: date) -> int:
    """The next dossier number of a unit on a day: one atomic upsert, safe under concurrency."""
    return take_next(DailySequence._meta.db_table, ("unit_code", "day"), (unit_code, day))


def allocate_code(electronic_code: str, day: date) -> str:
    """``H15.50.05.13-261008-0975``: the unit's code, the day received, the day's number."""
    return format_dossier_code(electronic_code, day, next_sequence(electronic_code, day))
