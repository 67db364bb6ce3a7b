"""The 766 indicator set of a unit (or a province's communes) for a period: gather the inputs.

Thin on purpose: the dossier counts are the cohort figures of :func:`report` (one definition of
every figure), the procedure counts come from the catalogue, the dossiers the national portal
accepted from the sync records (:mod:`motcua.reports.sync`), and the arithmetic is in
:mod:`motcua.core.indicators`. Data this system does not hold (sync with DVCQG while the
connector is off and nothing was synced, the portal's list of procedures integrated for
payment (3.5a), the portal's personal data store, population data) stays None: those
indicators are N/A, not 0. 5.1-5.3 count the feedback received in the period
(:mod:`motcua.reports.feedback`); 5.4 counts the dossiers with a feedback about them or rated
"not satisfied" (levels 1 and 2), once the period's dossiers have any rating or feedback.

Fees (766 3.5b, 3.6): the dossier counts are the cells' (``fee_dossiers``, ``paid_online``:
dossiers received in the period, of procedures whose version charges, paid online by now);
3.5b's procedures with an online payment come from one grouped query on the dossiers whose
fee was paid online *in* the period (``fee_paid_at``): the procedure is not a cell dimension.
"""

from __future__ import annotations

from datetime import date

from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.core.indicators import IndicatorInputs, IndicatorSet, Level, indicator_set
from motcua.core.ratings import DISLIKE
from motcua.dossiers.models import ONLINE_PAYMENT, Channel, Rating
from motcua.feedback.models import Feedback
from motcua.reports.feedback import FeedbackFigures, feedback_figures
from motcua.reports.queries import Scope, local_bounds, report, scoped_dossiers
from motcua.reports.sync import synced_count
from motcua.units.models import Unit

ONLINE_CHANNELS = (Channel.ONLINE, Channel.ONLINE_ASSISTED)


def indicators_for(
    scope: Scope, start: date, end: date, feedback: FeedbackFigures | None = None
) -> IndicatorSet:
    """The 766 indicators of ``scope`` for [start, end] (dossiers received in the period);
    ``feedback``: the period's feedback figures when the caller has them already."""
    f = report(scope, start, end, "cohort")
    procedures = Procedure.objects.filter(
        is_active=True, current_version__level=ProcedureVersion.Level.COMMUNE
    )
    if scope.field_id is not None:
        procedures = procedures.filter(current_version__field_id=scope.field_id)
    if scope.procedure_code is not None:
        procedures = procedures.filter(code=scope.procedure_code)
    online = procedures.exclude(current_version__online_level=ProcedureVersion.OnlineLevel.NONE)
    lo, hi = local_bounds(start, end)
    used = (
        scoped_dossiers(scope)
        .filter(received_at__gte=lo, received_at__lt=hi, channel__in=ONLINE_CHANNELS)
        .filter(procedure__in=online)
        .values("procedure")
        .distinct()
        .count()
    )
    charging = procedures.filter(current_version__fee__gt=0)
    paid_online = (
        scoped_dossiers(scope)
        .filter(fee_paid_at__gte=lo, fee_paid_at__lt=hi, fee_paid_via__in=list(ONLINE_PAYMENT))
        .filter(procedure__in=charging)
        .values("procedure")
        .distinct()
        .count()
    )
    head = Unit.objects.filter(code=scope.unit_codes[0]).values_list("level", flat=True).first()
    cohort = scoped_dossiers(scope).filter(received_at__gte=lo, received_at__lt=hi)
    rated = Rating.objects.filter(dossier__in=cohort)
    about = Feedback.objects.filter(dossier__in=cohort)
    # 766 5.4: a dossier with a feedback about it, or a rating of level 1 or 2 on any channel
    # (a "dislike"); N/A while the cohort has neither (the unit does not rate yet, not "nobody
    # unhappy")
    complained = None
    if rated.exists() or about.exists():
        disliked = set(rated.filter(level__in=list(DISLIKE)).values_list("dossier", flat=True))
        complained = len(disliked | set(about.values_list("dossier", flat=True)))
    feedback = (feedback or feedback_figures(scope, start, end)).figures
    return indicator_set(
        IndicatorInputs(
            level=Level.PROVINCE if head == Unit.Level.PROVINCE else Level.COMMUNE,
            received=f.received,
            received_online=f.received_online,
            synced=synced_count(scope, start, end),
            resolved_early=f.resolved_early,
            resolved_on_time=f.resolved_on_time,
            resolved_late=f.resolved_late,
            in_progress_within_time=f.in_progress_within_time,
            in_progress_overdue=f.in_progress_overdue,
            digitisable=f.digitisable_dossiers,
            digitised=f.digitised_dossiers,
            results_due=f.resolved,
            electronic_results=f.results_digitised,
            reused=f.reused_dossiers,
            procedures=procedures.count(),
            procedures_online=online.count(),
            procedures_online_used=used,
            fee_procedures=charging.count(),
            fee_procedures_paid_online=paid_online,
            fee_dossiers=f.fee_dossiers,
            fee_dossiers_paid_online=f.fee_dossiers_paid_online,
            complained=complained,
            pakn=feedback.total,
            pakn_classified=feedback.classified,
            pakn_on_time=feedback.on_time,
            pakn_satisfied=feedback.satisfied,
        )
    )
