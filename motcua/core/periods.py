"""Report periods (kỳ báo cáo): one check for pages, the API, the command line and the
reconciliation. Pure Python, no Django import.

A period is a closed range of local days [start, end]: from 01/01/2000 to 31/12/2100, the end
not before the start. Days are typed as dd/mm/yyyy at the desk and as YYYY-MM-DD in links and
the API; both are read here.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from motcua.core.errors import DomainError
from motcua.core.localtime import LOCAL_TZ

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)


class PeriodError(DomainError, ValueError):
    """A report period that cannot be used (Vietnamese message)."""

    default_code = "invalid_period"


def parse_day(text: str | date | None) -> date:
    """A day typed as dd/mm/yyyy (the desk's way) or YYYY-MM-DD (links, API)."""
    if isinstance(text, date):
        return text
    value = (text or "").strip()
    try:
        if "/" in value:
            day, month, year = (int(part) for part in value.split("/"))
            return date(year, month, day)
        return date.fromisoformat(value)
    except ValueError:
        raise PeriodError(
            f"Ngày “{value}” không hợp lệ; hãy nhập theo dạng dd/mm/yyyy (ví dụ 31/12/2025)."
        ) from None


def check_period(start: date, end: date) -> tuple[date, date]:
    """Return ``(start, end)`` if they make a report period, else :class:`PeriodError`."""
    for day in (start, end):
        if not FIRST_DAY <= day <= LAST_DAY:
            raise PeriodError(
                f"Ngày {day:%d/%m/%Y} nằm ngoài khoảng cho phép "
                f"({FIRST_DAY:%d/%m/%Y} đến {LAST_DAY:%d/%m/%Y})."
            )
    if end < start:
        raise PeriodError(
            f"Ngày kết thúc kỳ báo cáo ({end:%d/%m/%Y}) phải không trước ngày bắt đầu "
            f"({start:%d/%m/%Y})."
        )
    return start, end


def parse_period(start: str | date | None, end: str | date | None) -> tuple[date, date]:
    """Both days parsed and checked (the API's and the command line's ``from``/``to``)."""
    return check_period(parse_day(start), parse_day(end))


def local_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) in local time, for queries on moments."""
    return (
        datetime.combine(start, time(), LOCAL_TZ),
        datetime.combine(end + timedelta(days=1), time(), LOCAL_TZ),
    )


def month_bounds(text: str, today: date) -> tuple[datetime, datetime]:
    """ "2026-11" → [01/11/2026 00:00, 01/12/2026 00:00) local; empty or wrong → ``today``'s
    month (the log book's month picker)."""
    try:
        year, month = (int(x) for x in text.split("-")) if text else (today.year, today.month)
        first = date(year, month, 1)
        check_period(first, first)
    except (ValueError, PeriodError):
        first = today.replace(day=1)
    following = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return local_bounds(first, following - timedelta(days=1))
