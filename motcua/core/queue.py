"""Queue numbers (lấy số thứ tự): pure rules.

A citizen takes a number at the kiosk for a counter (and so for its fields) — or for "any
counter" when the desk has none — printed on the 80 mm receipt printer or read on the screen. A
number is the counter's number then a three-digit sequence of the day: counter 1's seventh
ticket is 1007, "any counter"'s is 0007 shown as 7. An official's "gọi số tiếp theo" takes the
oldest waiting ticket of the counter they are on duty at (the duty roster), else of the
counters whose fields they cover, else any; a called ticket is served, or marked absent.

Figures: the waiting time (taken → called) and the service time (called → served), as medians
and the share waiting more than 15 minutes, per period.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from statistics import median

from motcua.core.errors import DomainError

LONG_WAIT = timedelta(minutes=15)


class QueueError(DomainError):
    default_code = "invalid_ticket"


class Status(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVED = "served"
    ABSENT = "absent"


STATUS_LABELS = {
    Status.WAITING: "Đang chờ",
    Status.CALLED: "Đang phục vụ",
    Status.SERVED: "Đã phục vụ",
    Status.ABSENT: "Vắng mặt khi gọi",
}


def ticket_number(counter_number: int | None, sequence: int) -> str:
    """1007 for counter 1's seventh ticket of the day; 7 for "any counter"'s."""
    if not 1 <= sequence <= 999:
        raise QueueError("Hôm nay quầy này đã phát hết số thứ tự (999).")
    return f"{counter_number}{sequence:03d}" if counter_number else str(sequence)


def minutes(delta: timedelta) -> float:
    return delta.total_seconds() / 60


@dataclass(frozen=True)
class Times:
    tickets: int = 0
    served: int = 0
    absent: int = 0
    waiting_median: float | None = None  # minutes, of the tickets called
    service_median: float | None = None  # minutes, of the tickets served
    long_waits: int = 0  # waited more than LONG_WAIT before being called

    @property
    def long_wait_share(self) -> float | None:
        called = self.served + self.absent
        return None if not called else self.long_waits * 100 / called


def times(rows: Iterable[tuple[Status, timedelta | None, timedelta | None]]) -> Times:
    """``rows``: (status, waited, served for) of each ticket of a period."""
    waits, services = [], []
    tickets = served = absent = 0
    for status, waited, service in rows:
        tickets += 1
        served += status == Status.SERVED
        absent += status == Status.ABSENT
        if waited is not None:
            waits.append(waited)
        if service is not None:
            services.append(service)
    return Times(
        tickets,
        served,
        absent,
        round(minutes(median(waits)), 1) if waits else None,
        round(minutes(median(services)), 1) if services else None,
        sum(1 for w in waits if w > LONG_WAIT),
    )
