"""The calendar's shared tables (year tables, office-hour scales, parsed amounts, clock times)
live at module level for the whole process. Every test here starts without them, so each one
computes its answers from the rules it exercises, not from a table an earlier test left behind;
mutation testing depends on it (``scripts/mutation.sh`` runs each mutant in a process forked
after the whole suite has run once, tables built)."""

from __future__ import annotations

import pytest

from motcua.core.calendar import clear_shared_tables


@pytest.fixture(autouse=True)
def _fresh_calendar_tables() -> None:
    clear_shared_tables()
