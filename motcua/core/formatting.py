"""Vietnamese number formatting: 3.834, 98,5 %, 50.000 đồng. Pure Python."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def number_vi(value: int | float | Decimal, decimals: int = 0) -> str:
    """3834 → "3.834"; 1234.5 with 1 decimal → "1.234,5" (half-up rounding)."""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def percent_vi(value: int | float | Decimal, decimals: int = 1) -> str:
    """98.54 → "98,5 %"."""
    return f"{number_vi(value, decimals)} %"


def money_vi(amount: int) -> str:
    """50000 → "50.000 đồng"; 0 → "Miễn phí"."""
    return "Miễn phí" if not amount else f"{number_vi(amount)} đồng"


def hours_vi(periods) -> str:
    """[(07:30, 11:30), (13:00, 17:00)] → "07:30–11:30 và 13:00–17:00" (times as HH:MM)."""
    # (not f"{t:%H:%M}": time.strftime costs milliseconds where a time zone is set)
    parts = [f"{s.hour:02d}:{s.minute:02d}–{e.hour:02d}:{e.minute:02d}" for s, e in periods]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " và " + parts[-1]
