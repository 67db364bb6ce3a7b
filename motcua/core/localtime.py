"""The one local time zone: times are stored in UTC and shown in Asia/Ho_Chi_Minh (UTC+7, no
daylight saving). Every module that needs local time imports it from here."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def local(moment: datetime) -> datetime:
    """An aware moment in local time."""
    return moment.astimezone(LOCAL_TZ)


def local_day(moment: datetime) -> date:
    """The local calendar day of an aware moment."""
    return moment.astimezone(LOCAL_TZ).date()
