"""Timeliness (tiến độ giải quyết): early / on time / late, within time / overdue.

Pure Python, no Django import. Rules from DOMAIN.md "Time" and the 766 formula (LEGAL-NOTES §5,
indicator 2.1):

- End of processing = the first ending event: done (signed and issued), refused, stopped,
  withdrawn; "returned" only where no "done" was recorded.
- Early (trước hạn): ended before the calendar day of the due moment. On time (đúng hạn): on that
  day, at or before the due moment. Late (quá hạn): after the due moment.
- A supplement requested during processing stops the clock; the due moment moves by the paused
  working time (the caller passes the moved ``due_at``).
- While the applicant has not supplemented, the dossier counts as ended, on time, at the request.
- More than one supplement request, or an apology with a new appointment, makes it late.
- In progress at a moment: within time (trong hạn) or overdue (quá hạn) by the same due moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Timeliness(StrEnum):
    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"


class Progress(StrEnum):
    WITHIN_TIME = "within_time"
    OVERDUE = "overdue"


TIMELINESS_LABELS = {
    Timeliness.EARLY: "Trước hạn",
    Timeliness.ON_TIME: "Đúng hạn",
    Timeliness.LATE: "Quá hạn",
}
PROGRESS_LABELS = {Progress.WITHIN_TIME: "Trong hạn", Progress.OVERDUE: "Quá hạn"}


@dataclass(frozen=True)
class DossierClock:
    """What timeliness needs to know of a dossier, as of one moment.

    ``due_at`` already includes any supplement pause. ``ended_at`` is the first ending event
    (or the return, where no "done" was recorded). ``pending_supplement_since`` is the time of
    a supplement request the applicant has not answered yet.
    """

    due_at: datetime | None
    ended_at: datetime | None = None
    supplement_requests: int = 0
    pending_supplement_since: datetime | None = None
    apologized: bool = False

    @property
    def counts_as_ended(self) -> bool:
        return self.ended_at is not None or self.pending_supplement_since is not None


def by_due_moment(ended_at: datetime, due_at: datetime) -> Timeliness:
    """Classify an end moment against a due moment (same time zone for both)."""
    if ended_at.date() < due_at.date():
        return Timeliness.EARLY
    if ended_at <= due_at:
        return Timeliness.ON_TIME
    return Timeliness.LATE


def resolution(clock: DossierClock) -> Timeliness | None:
    """Early / on time / late for a dossier that counts as ended; None while in progress."""
    if not clock.counts_as_ended:
        return None
    if clock.supplement_requests > 1 or clock.apologized:
        return Timeliness.LATE
    if clock.ended_at is None:  # waiting for the applicant's supplement
        return Timeliness.ON_TIME
    if clock.due_at is None:
        return Timeliness.ON_TIME
    return by_due_moment(clock.ended_at, clock.due_at)


def progress(clock: DossierClock, at: datetime) -> Progress | None:
    """Within time / overdue for a dossier still in progress at ``at``; None if it has ended."""
    if clock.counts_as_ended:
        return None
    if clock.apologized or clock.supplement_requests > 1:
        return Progress.OVERDUE
    if clock.due_at is None or at <= clock.due_at:
        return Progress.WITHIN_TIME
    return Progress.OVERDUE


def end_of_processing(
    done_at: datetime | None,
    other_end_at: datetime | None,
    returned_at: datetime | None,
) -> datetime | None:
    """The first ending event: done, refused/stopped/withdrawn; returned only without done."""
    candidates = [t for t in (done_at, other_end_at) if t is not None]
    if candidates:
        return min(candidates)
    return returned_at
