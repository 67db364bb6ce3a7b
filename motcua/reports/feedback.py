"""Feedback figures of a scope and period, for the dashboard, the drafted report, the exports
and 766 5.1-5.3: the feedback received in the period (the cohort, like the dossiers), on time
or late by the state it is in at the period's end or today, whichever comes first (766: an
unfinished one is judged on the period's last day). The counting is ``core.feedback``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count
from django.utils import timezone

from motcua.core.feedback import ABOUT_LABELS, About, Figures, Status
from motcua.feedback import queries
from motcua.reports.queries import Scope, local_bounds


@dataclass(frozen=True)
class FeedbackFigures:
    figures: Figures
    open: int  # not yet answered or refused (waiting for the sender included)
    overdue_now: int  # of the scope, today, whatever the period
    by_about: list[tuple[str, int]]

    @property
    def on_time_share(self):
        f = self.figures
        return None if not f.total else f.on_time * 100 / f.total

    @property
    def satisfied_share(self):
        f = self.figures
        return None if not f.total else f.satisfied * 100 / f.total


def period_feedback(scope: Scope, start: date, end: date):
    lo, hi = local_bounds(start, end)
    qs = queries.received_between(scope.unit_codes, lo, hi)
    if scope.procedure_code is not None:
        qs = qs.filter(procedure__code=scope.procedure_code)
    if scope.field_id is not None:
        qs = qs.filter(procedure__current_version__field_id=scope.field_id)
    return qs


def feedback_figures(scope: Scope, start: date, end: date) -> FeedbackFigures:
    today = timezone.localdate()
    qs = period_feedback(scope, start, end)
    about = dict(qs.values_list("about").annotate(n=Count("id")))
    return FeedbackFigures(
        figures=queries.figures(qs, min(end, today)),
        open=qs.filter(status__in=[Status.RECEIVED, Status.HANDLING, Status.ASKING]).count(),
        overdue_now=queries.overdue(queries.feedback_of_units(scope.unit_codes), today).count(),
        by_about=[(ABOUT_LABELS[a], about.get(a.value, 0)) for a in About],
    )


def feedback_sentence(f: FeedbackFigures) -> str:
    """The drafted report's line on feedback."""
    n = f.figures
    if not n.total:
        return "Không có phản ánh, kiến nghị."
    share = f"{f.on_time_share:.1f}".replace(".", ",")
    return (
        f"Tiếp nhận {n.total} phản ánh, kiến nghị; xử lý đúng hạn {n.on_time} ({share} %), "
        f"quá hạn {n.late}; {n.unsatisfied} phản ánh người gửi không hài lòng với kết quả, "
        f"{n.repeated} phản ánh bị phản ánh lại; đang xử lý {f.open}."
    )
