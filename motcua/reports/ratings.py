"""Satisfaction ratings of a scope and period, for the dashboard and the exports: the whole,
and by official (who handled the dossier), by field and by procedure. The counting rules are
``motcua.core.ratings.summarise``; this only groups the ratings of the dossiers received in the
period (the same cohort as the dossier figures)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from motcua.core.ratings import Answer, Summary, summarise
from motcua.dossiers.models import Rating
from motcua.reports.queries import Scope, local_bounds, scoped_dossiers


@dataclass(frozen=True)
class RatingFigures:
    total: Summary
    by_official: list[tuple[str, Summary]]
    by_field: list[tuple[str, Summary]]
    by_procedure: list[tuple[str, Summary]]


def rating_figures(scope: Scope, start: date, end: date) -> RatingFigures:
    lo, hi = local_bounds(start, end)
    cohort = scoped_dossiers(scope).filter(received_at__gte=lo, received_at__lt=hi)
    rows = Rating.objects.filter(dossier__in=cohort).values_list(
        "level",
        "criteria",
        "dossier__assigned_to__full_name",
        "dossier__procedure_version__field__name",
        "dossier__procedure_version__name",
    )
    groups: dict[int, dict[str, list[Answer]]] = {i: defaultdict(list) for i in range(3)}
    answers = []
    for level, criteria, official, field, procedure in rows:
        answer = Answer(level, criteria or {})
        answers.append(answer)
        for i, name in enumerate((official or "(chưa phân công)", field or "", procedure)):
            groups[i][name].append(answer)

    def ranked(i: int) -> list[tuple[str, Summary]]:
        summaries = [(name, summarise(items)) for name, items in groups[i].items()]
        return sorted(summaries, key=lambda pair: (-pair[1].count, pair[0]))

    return RatingFigures(summarise(answers), ranked(0), ranked(1), ranked(2))
