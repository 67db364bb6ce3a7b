"""The fee engine against a naive one, in the same run (a benchmark, not a test; it asserts
only that both give the same amounts).

    .venv/bin/python bench/bench_fees.py

(a)  ``motcua.core.fees.quote`` — the amount with its lines — over 50,000 random cases of the
     certified-copy rule of TT 226/2016/TT-BTC (2.000 đ/page for pages 1–2, 1.000 đ from page
     3, at most 200.000 đ a copy), 1–400 pages, 1–10 copies, a quarter online at 50 %, a tenth
     exempt;
(b)  the baseline: the amount alone, counted page by page for each copy, as a first version
     would write it (no lines, no checks);
(c)  ``quote`` on the per-case rule (signature certification, 10.000 đ) for scale.
CPU time (time.process_time), median of 5 runs; the machine is shared, so the load is printed.
"""

from __future__ import annotations

import os
import random
import time

from _setup import median

from motcua.core.fees import (
    Basis,
    Case,
    Channel,
    Exemption,
    FeeKind,
    FeeRule,
    Tier,
    quote,
)

N = 50_000
RUNS = 5

COPY = FeeRule(
    basis=Basis.PER_PAGE,
    kind=FeeKind.FEE,
    name="Phí chứng thực bản sao từ bản chính",
    tiers=(Tier(1, 2, 2000), Tier(3, None, 1000)),
    cap_per_copy=200_000,
    online_percent=50,
    exemptions=(Exemption("ho_ngheo", "", 100),),
)
SIGNATURE = FeeRule(basis=Basis.PER_CASE, kind=FeeKind.FEE, price=10_000)


def naive(pages: int, copies: int, online: bool, exempt: bool) -> int:
    total = 0
    for _ in range(copies):
        one = 0
        for page in range(1, pages + 1):
            one += 2000 if page <= 2 else 1000
        total += min(one, 200_000)
    if online:
        total = (total * 50 + 50) // 100
    return 0 if exempt else total


def cases(seed: int = 7) -> list[tuple[int, int, bool, bool]]:
    rng = random.Random(seed)
    return [
        (rng.randint(1, 400), rng.randint(1, 10), rng.random() < 0.25, rng.random() < 0.1)
        for _ in range(N)
    ]


def timed(fn) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def main() -> None:
    data = cases()
    ours = [
        Case(
            pages=p,
            copies=c,
            channel=Channel.ONLINE if online else Channel.DESK,
            exemption="ho_ngheo" if exempt else "",
        )
        for p, c, online, exempt in data
    ]
    assert [quote(COPY, case).amount for case in ours] == [naive(*d) for d in data]
    engine = median([timed(lambda: [quote(COPY, case) for case in ours]) for _ in range(RUNS)])
    base = median([timed(lambda: [naive(*d) for d in data]) for _ in range(RUNS)])
    flat = median([timed(lambda: [quote(SIGNATURE, case) for case in ours]) for _ in range(RUNS)])
    print(f"load average: {os.getloadavg()[0]:.2f} (2 cores shared)")
    print(f"cases: {N:_} (certified copies, 1–400 pages, 1–10 copies)".replace("_", "."))
    for label, seconds in (
        ("quote() with its lines, per-page rule", engine),
        ("baseline: page-by-page amount only  ", base),
        ("quote() with its lines, per-case rule", flat),
    ):
        rate = N / seconds
        print(f"  {label}  {seconds * 1e6 / N:7.2f} µs  {rate:12_.0f}/s".replace("_", "."))
    print(f"ratio baseline ÷ ours (per-page): {base / engine:.1f}×")


if __name__ == "__main__":
    main()
