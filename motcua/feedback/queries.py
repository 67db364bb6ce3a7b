"""Reads of feedback: its rules and its clock, the desk's lists, the public answers and the
period's figures (766 5.1-5.3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q, QuerySet

from motcua.core import feedback as rules
from motcua.core.feedback import Clock, Outcome, Rules, Status, Steps
from motcua.core.localtime import local_day
from motcua.feedback.models import Feedback, FeedbackRules
from motcua.units.models import Unit
from motcua.units.queries import calendar_for_unit


def rules_for(unit: Unit) -> Rules:
    """The province's working days for each step, 766's where it set none."""
    province = unit.province_id or unit.code
    row = FeedbackRules.objects.filter(province_id=province).first()
    if row is None:
        return rules.RULES_766
    return Rules(row.refuse_days, row.ask_days, row.handle_days, row.publish_days)


def _day(moment: datetime | None) -> date | None:
    return local_day(moment) if moment is not None else None


def steps_of(fb: Feedback) -> Steps:
    return Steps(
        status=Status(fb.status),
        refuse_by=fb.refuse_by,
        ask_by=fb.ask_by,
        handle_by=fb.handle_by,
        refused_on=_day(fb.refused_at),
        asked_on=_day(fb.first_asked_at),
        answered_on=_day(fb.answered_at),
        publish_by=fb.publish_by,
        published_on=_day(fb.published_at),
    )


@dataclass(frozen=True)
class Countdown:
    clock: Clock
    left: int | None  # working days; None when no deadline runs
    text: str
    urgent: bool  # the last day, or past it
    late: bool


def countdown(fb: Feedback, today: date) -> Countdown:
    """The deadline that now runs and how many working days are left to it."""
    clock = rules.current_clock(Status(fb.status), fb.handle_by, fb.publish_by)
    if clock.due is None:
        return Countdown(clock, None, "", False, not rules.on_time(steps_of(fb), today))
    calendar = calendar_for_unit(fb.unit_id)
    left = rules.working_days_left(today, clock.due, calendar.is_working_day)
    return Countdown(clock, left, rules.countdown_text(left), left <= 0, left < 0)


def outcome(fb: Feedback, today: date) -> Outcome:
    return Outcome(
        classified=fb.classified_at is not None,
        on_time=rules.on_time(steps_of(fb), today),
        unsatisfied=fb.satisfied is False,
        repeated=fb.reopened > 0,
    )


def feedback_of_units(unit_codes) -> QuerySet[Feedback]:
    return Feedback.objects.filter(unit_id__in=list(unit_codes))


def received_between(unit_codes, lo: datetime, hi: datetime) -> QuerySet[Feedback]:
    return feedback_of_units(unit_codes).filter(received_at__gte=lo, received_at__lt=hi)


def figures(feedbacks: QuerySet[Feedback], today: date) -> rules.Figures:
    """5.1-5.3's counts for the feedback received in a period (one query, a row each: a
    commune gets tens a year, a province a few thousand)."""
    return rules.figures(outcome(fb, today) for fb in feedbacks.only(*FIGURE_FIELDS))


FIGURE_FIELDS = (
    "status",
    "refuse_by",
    "ask_by",
    "handle_by",
    "publish_by",
    "refused_at",
    "first_asked_at",
    "answered_at",
    "published_at",
    "classified_at",
    "satisfied",
    "reopened",
)


def overdue(feedbacks: QuerySet[Feedback], today: date) -> QuerySet[Feedback]:
    """Open feedback past its handling day, and answers past their publishing day."""
    return feedbacks.filter(
        Q(status__in=[Status.RECEIVED, Status.HANDLING], handle_by__lt=today)
        | Q(status=Status.ANSWERED, publish_by__lt=today)
    )


def due_soon(feedbacks: QuerySet[Feedback], today: date, until: date) -> QuerySet[Feedback]:
    return feedbacks.filter(
        Q(status__in=[Status.RECEIVED, Status.HANDLING], handle_by__gte=today, handle_by__lte=until)
        | Q(status=Status.ANSWERED, publish_by__gte=today, publish_by__lte=until)
    )


def published(unit_codes) -> QuerySet[Feedback]:
    return feedback_of_units(unit_codes).filter(status=Status.PUBLISHED).order_by("-published_at")


def by_token(token: str) -> Feedback | None:
    if not isinstance(token, str) or not 20 <= len(token) <= 43:
        return None
    return Feedback.objects.select_related("unit").filter(token=token).first()
