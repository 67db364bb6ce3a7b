"""Month cells: reports that read them (whole months) and day cells (cut months) give the
figures of a plain SQL GROUP BY over the dossiers, for any period; the month cells stay the
sum of the day cells through bulk counting, live moves, rebuild and the migration's backfill.

The dossiers are spread over 2024-09 … 2026-04 with ends up to four months later, overdue
days, pending supplements, apologies and double supplement requests, so that cells straddle
month and year boundaries. The expected figures come from ``positions_from_dossiers`` (SQL over
the dossier rows, no cell read), never from the code under test.
"""

from __future__ import annotations

import importlib
import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as s

from motcua.catalog.models import Procedure
from motcua.core import statistics as st
from motcua.core.classify import DossierClock, resolution
from motcua.core.codes import format_dossier_code
from motcua.dossiers.models import Dossier
from motcua.reports import cells
from motcua.reports.models import StatCell, StatMonthCell
from motcua.reports.queries import (
    Scope,
    cut_months,
    monthly,
    positions_from_cells,
    positions_from_day_cells,
    positions_from_dossiers,
    report,
    report_by,
    report_by_field,
)
from motcua.rows import insert_rows

# synthetic dossiers (bench/synthetic.py) have no history: nothing to verify after
pytestmark = pytest.mark.unsealed

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
UNITS = ("05605", "05611")
FIRST, LAST = date(2024, 9, 1), date(2026, 4, 30)
PER_UNIT = 260


def _moment(rng: random.Random, day: date) -> datetime:
    return datetime.combine(day, time(7, 30), LOCAL) + timedelta(minutes=rng.randrange(600))


def _dossier(rng: random.Random, unit: str, procedure, sequence: int) -> Dossier:
    day = FIRST + timedelta(days=rng.randrange((LAST - FIRST).days + 1))
    received = _moment(rng, day)
    due = received + timedelta(days=rng.choice([0, 1, 3, 10, 30, 45]), hours=rng.randrange(9))
    version = procedure.current_version
    dossier = Dossier(
        unit_id=unit,
        procedure=procedure,
        procedure_version=version,
        code=format_dossier_code(f"T.{unit}", day, sequence),
        channel=rng.choice(["direct", "online", "online_assisted", "post"]),
        applicant_name="Nguyễn Văn An",
        received_at=received,
        due_at=due,
        original_due_at=due,
        components_digitised=rng.random() < 0.8,
        result_digitised=rng.random() < 0.8,
        reused_stored_document=rng.random() < 0.4,
        supplement_requests=rng.choice([0, 0, 0, 1, 2]),
    )
    if rng.random() < 0.1:
        dossier.apologized_at = received + timedelta(days=rng.randrange(0, 20))
    roll = rng.random()
    if roll < 0.75:  # ended, up to about four months later
        ended = received + timedelta(days=rng.choice([0, 0, 1, 2, 5, 20, 40, 70, 120]))
        dossier.ended_at = ended + timedelta(minutes=rng.randrange(1, 300))
        dossier.state = "returned"
    elif roll < 0.85:  # waiting for a supplement
        dossier.supplement_requests = max(dossier.supplement_requests, 1)
        dossier.pending_supplement_since = received + timedelta(days=rng.randrange(0, 50))
        dossier.state = "awaiting_supplement"
    else:
        dossier.state = "in_review"
    _set_timeliness(dossier)
    return dossier


def _set_timeliness(dossier: Dossier) -> None:
    """The stored timeliness the workflow would write at the end (the baseline reads it)."""
    outcome = (
        resolution(
            DossierClock(
                due_at=dossier.due_at,
                ended_at=dossier.ended_at,
                supplement_requests=dossier.supplement_requests,
                apologized=dossier.apologized_at is not None,
            )
        )
        if dossier.ended_at is not None
        else None
    )
    dossier.timeliness = outcome.value if outcome else ""


@pytest.fixture
def spread(world, catalogue):
    """Dossiers counted in bulk (``count_new_dossiers``), then some moved by live changes
    (``count_dossier``): ended, reopened, ended in another month."""
    rng = random.Random(2026)
    procedures = list(Procedure.objects.select_related("current_version").order_by("code"))
    dossiers = []
    for unit in UNITS:
        for i in range(PER_UNIT):
            dossiers.append(_dossier(rng, unit, rng.choice(procedures), i + 1))
    with transaction.atomic():
        cells.count_new_dossiers(dossiers)
        insert_rows(Dossier, dossiers)
    with transaction.atomic():
        for dossier in rng.sample(dossiers, 60):
            locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
            if locked.ended_at is None:
                locked.ended_at = locked.received_at + timedelta(days=rng.randrange(0, 90))
                locked.pending_supplement_since = None
            elif rng.random() < 0.5:
                locked.ended_at = None  # reopened
            else:
                locked.ended_at += timedelta(days=rng.randrange(1, 60))
            _set_timeliness(locked)
            locked.save()
            cells.count_dossier(locked)
    return dossiers


def expected(scope: Scope, start: date, end: date, view: str) -> st.Figures:
    return st.figures(view, positions_from_dossiers(scope, start, end), start, end)


# Named periods: month-aligned, cut at one or both ends, one day, across a year's end,
# a leap February, wider than the data, and periods before / after every dossier.
PERIODS = [
    (date(2025, 1, 1), date(2025, 12, 31)),
    (date(2025, 3, 1), date(2025, 3, 31)),
    (date(2024, 2, 1), date(2024, 2, 29)),
    (date(2025, 1, 1), date(2025, 3, 31)),
    (date(2025, 1, 15), date(2025, 12, 15)),
    (date(2025, 2, 1), date(2025, 4, 10)),
    (date(2025, 2, 10), date(2025, 4, 30)),
    (date(2025, 5, 7), date(2025, 5, 7)),
    (date(2025, 5, 31), date(2025, 5, 31)),
    (date(2025, 6, 1), date(2025, 6, 1)),
    (date(2024, 12, 31), date(2025, 1, 1)),
    (date(2024, 12, 1), date(2025, 1, 31)),
    (date(2024, 11, 20), date(2025, 2, 5)),
    (date(2025, 12, 15), date(2026, 1, 14)),
    (date(2024, 1, 1), date(2026, 12, 31)),
    (date(2023, 1, 1), date(2023, 12, 31)),
    (date(2027, 3, 3), date(2027, 3, 9)),
]


def _period_id(period) -> str:
    return "-".join(f"{d:%Y%m%d}" for d in period)


@pytest.mark.parametrize("period", PERIODS, ids=_period_id)
def test_report_equals_the_group_by_over_dossiers(spread, period):
    start, end = period
    province = Scope(UNITS)
    for view in ("cohort", "flow"):
        assert report(province, start, end, view) == expected(province, start, end, view)
        assert report(Scope(UNITS[:1]), start, end, view) == expected(
            Scope(UNITS[:1]), start, end, view
        )


def _expected_by(scopes: dict, start: date, end: date, view: str) -> dict:
    out = {key: expected(scope, start, end, view) for key, scope in scopes.items()}
    return {k: f for k, f in out.items() if f.received or f.carried_over or f.resolved}


@pytest.mark.parametrize("period", PERIODS[:14:3], ids=_period_id)
def test_report_by_field_and_commune_equal_the_group_by(spread, period):
    start, end = period
    province = Scope(UNITS)
    fields = set(Dossier.objects.values_list("procedure_version__field_id", flat=True))
    by_field = {f: Scope(UNITS, field_id=f) for f in fields}
    by_unit = {u: Scope((u,)) for u in UNITS}
    for view in ("cohort", "flow"):
        assert report_by(province, start, end, view, "field_id") == _expected_by(
            by_field, start, end, view
        )
        assert report_by(province, start, end, view, "unit_id") == _expected_by(
            by_unit, start, end, view
        )
    rows = report_by_field(province, start, end, "flow")
    assert {f.pk: fig for f, fig in rows} == _expected_by(by_field, start, end, "flow")


def _nonzero(positions: dict) -> dict:
    """Without positions summing to nothing (cells a dossier moved out of stay, at zero)."""
    return {pos: counts for pos, counts in positions.items() if not counts.is_zero()}


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    start=s.dates(date(2024, 6, 1), date(2026, 9, 30)),
    days=s.one_of(s.integers(0, 40), s.integers(0, 800)),
    field_scoped=s.booleans(),
)
def test_any_period_equals_the_group_by_over_dossiers(spread, start, days, field_scoped):
    end = start + timedelta(days=days)
    field = Dossier.objects.order_by("code").values_list("procedure_version__field_id")[0][0]
    scope = Scope(UNITS, field_id=field if field_scoped else None)
    raw = positions_from_dossiers(scope, start, end)
    assert _nonzero(positions_from_cells(scope, start, end)) == raw
    assert _nonzero(positions_from_day_cells(scope, start, end)) == raw
    for view in ("cohort", "flow"):
        assert report(scope, start, end, view) == st.figures(view, raw, start, end)


@pytest.mark.parametrize("period", PERIODS[:14:2], ids=_period_id)
def test_monthly_equals_each_months_group_by(spread, period):
    scope = Scope(UNITS)
    for first, received, resolved in monthly(scope, *period):
        last = min(st.months_of(first, period[1])[0][1], period[1])
        cohort = expected(scope, first, last, "cohort")
        flow = expected(scope, first, last, "flow")
        assert (received.received, received.received_direct, received.received_post) == (
            cohort.received,
            cohort.received_direct,
            cohort.received_post,
        )
        assert received.received_online + received.received_online_assisted == (
            cohort.received_online
        )
        assert received.digitised == cohort.digitised_dossiers
        assert (resolved.received, resolved.early, resolved.on_time, resolved.late) == (
            flow.resolved,
            flow.resolved_early,
            flow.resolved_on_time,
            flow.resolved_late,
        )


def test_cut_months_by_hand():
    assert cut_months(date(2025, 1, 1), date(2025, 12, 31)) == ()
    assert cut_months(date(2024, 2, 1), date(2024, 2, 29)) == ()
    assert cut_months(date(2024, 2, 1), date(2024, 2, 28)) == (
        (date(2024, 2, 1), date(2024, 2, 29)),
    )
    assert cut_months(date(2025, 5, 7), date(2025, 5, 7)) == (
        (date(2025, 5, 1), date(2025, 5, 31)),
    )
    assert cut_months(date(2024, 12, 31), date(2025, 1, 1)) == (
        (date(2024, 12, 1), date(2024, 12, 31)),
        (date(2025, 1, 1), date(2025, 1, 31)),
    )
    assert cut_months(date(2025, 2, 1), date(2025, 4, 10)) == (
        (date(2025, 4, 1), date(2025, 4, 30)),
    )


def _month_sums_of_day_cells() -> dict:
    """The day cells summed by (unit, field, months) in Python: what the month table holds."""
    out: dict = {}
    for row in StatCell.objects.values_list(
        "unit_id", "field_id", "received_day", "ended_day", "overdue_from", *st.COUNT_FIELDS
    ):
        unit, field, *days = row[:5]
        key = (unit, field, *(d if d.year == 9999 else d.replace(day=1) for d in days))
        sums = out.setdefault(key, [0] * len(st.COUNT_FIELDS))
        for i, value in enumerate(row[5:]):
            sums[i] += value
    return {k: v for k, v in out.items() if any(v)}


def _month_table() -> dict:
    rows = StatMonthCell.objects.values_list(
        "unit_id", "field_id", "received_month", "ended_month", "overdue_month", *st.COUNT_FIELDS
    )
    return {row[:5]: list(row[5:]) for row in rows if any(row[5:])}


def test_month_cells_are_the_sum_of_the_day_cells(spread):
    assert cells.verify() == []
    months = _month_table()
    assert months == _month_sums_of_day_cells()
    # a month cell holds many days: fewer rows than day cells
    assert len(months) < StatCell.objects.count()


def test_verify_finds_a_drifted_month_cell_and_rebuild_repairs_it(spread):
    before = _month_table()
    cell = StatMonthCell.objects.filter(received__gt=0).order_by("pk").first()
    StatMonthCell.objects.filter(pk=cell.pk).update(received=cell.received + 1)
    found = cells.verify()
    assert len(found) == 1 and found[0].month
    assert found[0].key.received_day == cell.received_month
    assert found[0].stored.received == found[0].computed.received + 1
    with pytest.raises(CommandError, match="lệch với hồ sơ gốc"):
        call_command("stats", "verify")
    assert cells.rebuild() == StatCell.objects.count()
    assert cells.verify() == []
    assert _month_table() == before


def test_rebuild_of_one_commune_leaves_the_others(spread):
    StatMonthCell.objects.filter(unit_id=UNITS[1]).update(received=0)
    cells.rebuild([UNITS[0]])
    assert all(m.key.unit == UNITS[1] for m in cells.verify())
    cells.rebuild([UNITS[1]])
    assert cells.verify() == []


class _Executor:
    connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def test_the_migration_fills_month_cells_from_existing_day_cells(spread):
    before = _month_table()
    StatMonthCell.objects.all().delete()
    # the tables as 0002 found them: no fee counts yet (0003 counts them, replayed after it)
    StatCell.objects.update(fee_dossiers=0, paid_online=0)
    fees = importlib.import_module("motcua.reports.migrations.0003_fee_counts")
    fees.forget_fees(django_apps, None)
    migration = importlib.import_module("motcua.reports.migrations.0002_month_cells")
    migration.month_cells_from_day_cells(None, _Executor())
    fees.count_fees(django_apps, None)
    assert _month_table() == before
    assert cells.verify() == []
