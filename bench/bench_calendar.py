"""Due-date computations per second (a benchmark, not a test): python bench/bench_calendar.py"""

from __future__ import annotations

import random
import time
from datetime import datetime, timedelta

from motcua.core.calendar import DurationKind, WorkCalendar

N = 100_000


def main() -> None:
    rng = random.Random(2026)
    start = datetime(2024, 1, 1)
    cases = [
        (
            start + timedelta(minutes=rng.randrange(3 * 365 * 24 * 60)),
            rng.choice([0, 0.5, 1, 2, 3, 5, 7, 10, 15, 20, 30]),
            rng.choice(list(DurationKind)),
        )
        for _ in range(N)
    ]
    calendar = WorkCalendar()
    calendar.due_at(start, 1, DurationKind.WORKING_DAYS)  # load the holiday tables once
    began = time.perf_counter()
    for received, amount, kind in cases:
        calendar.due_at(received, amount, kind)
    elapsed = time.perf_counter() - began
    print(f"{N:,} due dates in {elapsed:.3f} s = {N / elapsed:,.0f} per second")


if __name__ == "__main__":
    main()
