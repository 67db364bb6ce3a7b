"""Fees in the statistics cells and the 766 payment indicators (3.5a, 3.5b, 3.6), end to end:
a fee asked, paid in cash, by bank transfer, on the portal's platform, refunded — each a
ledger event that moves the dossier's cell in the same transaction.

Worked by hand: Bình Thành receives three dossiers of 2.001035 (chứng thực hợp đồng, 50.000
đồng) and one of 1.001193 (khai sinh, free). Cash pays the first, a bank transfer the second,
the portal's platform the third: 3 fee dossiers, 2 paid online → 3.6 = 2 / 3 = 66,67 %,
66,67 × 6 ÷ 100 = 4,0002 → 4,00 points. The catalogue has two commune procedures with a fee
(2.000815, 2.001035); one had an online payment in the period → 3.5b = 1 / 2 = 50 %,
50 × 2 ÷ 80 = 1,25 points. 3.5a stays N/A: the portal computes it.
"""

from __future__ import annotations

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.utils import timezone

from motcua.core import statistics as st
from motcua.core.fees import Case
from motcua.core.indicators import PORTAL_COMPUTES, ZERO
from motcua.dossiers.models import Dossier, FeePaidVia
from motcua.payments import actions
from motcua.payments.models import Payment, PaymentRequest
from motcua.reports import cells
from motcua.reports.indicators import indicators_for
from motcua.reports.models import StatCell, StatMonthCell
from motcua.reports.queries import Scope, positions_from_dossiers, report
from tests import dossier_states
from tests.dossier_states import act, dossier_in, draft

COMMUNE = Scope(("05605",))


def this_year() -> tuple[date, date]:
    return st.period("year", timezone.localdate().year)


def cohort():
    return report(COMMUNE, *this_year(), "cohort")


def transfer(staff, dossier: Dossier, reference: str, via: str = FeePaidVia.BANK):
    message = PaymentRequest.objects.filter(dossier=dossier).latest("requested_at").message
    return actions.record_transfer(
        staff.binh_thanh.code,
        dossier.pk,
        amount=50000,
        reference=reference,
        content=f"CK {message}",
        paid_at=timezone.now(),
        via=via,
    )


def free_dossier(staff, monkeypatch) -> Dossier:
    """A received dossier of 1.001193 (khai sinh: no fee), with that procedure's papers."""
    monkeypatch.setattr(
        dossier_states, "COMPONENTS", ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]
    )
    dossier = act(draft(staff, procedure="1.001193"), staff.specialist, "receive")
    monkeypatch.undo()
    return dossier


def assert_cells_exact():
    assert cells.verify() == []
    call_command("stats", "verify")  # raises CommandError on any difference


@pytest.fixture
def paid(fees, monkeypatch):
    """The three fee dossiers paid in cash, by transfer, on the portal; a free one."""
    free = free_dossier(fees, monkeypatch)
    cash, bank, portal = (dossier_in("in_review", fees) for _ in range(3))
    for dossier in (cash, bank, portal):
        actions.request_payment(fees.specialist, dossier.pk, Case())
    actions.record_cash(fees.specialist, cash.pk)
    transfer(fees, bank, "FT001")
    transfer(fees, portal, "DVC001", via=FeePaidVia.PORTAL)
    fees.dossiers = {"free": free, "cash": cash, "bank": bank, "portal": portal}
    return fees


def test_cells_move_with_the_request_each_payment_and_the_refund(fees, monkeypatch):
    free = free_dossier(fees, monkeypatch)
    dossiers = [dossier_in("in_review", fees) for _ in range(3)]
    got = cohort()
    # the fee dossiers count from their receipt, whether or not a fee was asked yet
    assert (got.received, got.fee_dossiers, got.fee_dossiers_paid_online) == (4, 3, 0)
    assert_cells_exact()
    for dossier in dossiers:
        actions.request_payment(fees.specialist, dossier.pk, Case())
    assert (cohort().fee_dossiers, cohort().fee_dossiers_paid_online) == (3, 0)
    actions.record_cash(fees.specialist, dossiers[0].pk)
    assert cohort().fee_dossiers_paid_online == 0  # cash is not an online payment
    transfer(fees, dossiers[1], "FT001")
    assert cohort().fee_dossiers_paid_online == 1
    transfer(fees, dossiers[2], "DVC001", via=FeePaidVia.PORTAL)
    assert cohort().fee_dossiers_paid_online == 2
    assert_cells_exact()
    # a second transfer for the cash-paid dossier is flagged: it stays paid in cash
    flagged = transfer(fees, dossiers[0], "FT002")
    assert flagged.receipt is None
    assert cohort().fee_dossiers_paid_online == 2
    # the bank payment refunded: no longer paid (online or otherwise)
    payment = Payment.objects.get(dossier=dossiers[1], status="counted")
    actions.refund(fees.specialist, payment.pk, "Hồ sơ được miễn phí (hộ nghèo)")
    got = cohort()
    assert (got.fee_dossiers, got.fee_dossiers_paid_online) == (3, 1)
    assert_cells_exact()
    # the free dossier is never a fee dossier, whatever happens to it
    free.refresh_from_db()
    assert cells.cell_of(cells.facts_of(free))[1].fee_dossiers == 0


def test_the_month_cells_the_plain_group_by_and_a_rebuild_agree(paid):
    start, end = this_year()
    from_raw = st.figures("cohort", positions_from_dossiers(COMMUNE, start, end), start, end)
    assert from_raw == cohort()
    assert (from_raw.fee_dossiers, from_raw.fee_dossiers_paid_online) == (3, 2)
    # the months of the year hold the same sums as the day cells
    months = StatMonthCell.objects.filter(unit_id="05605")
    assert sum(m.fee_dossiers for m in months) == 3
    assert sum(m.paid_online for m in months) == 2
    stored = cells.stored_cells(["05605"])
    cells.rebuild(["05605"])
    assert cells.stored_cells(["05605"]) == stored
    assert_cells_exact()


def test_indicators_3_5_and_3_6_by_hand(paid):
    got = indicators_for(COMMUNE, *this_year())
    six = got.get("3.6")
    assert (six.numerator, six.denominator) == (2, 3)
    assert (six.value, six.points) == (Decimal("66.67"), Decimal("4.00"))
    five_b = got.get("3.5b")
    assert (five_b.numerator, five_b.denominator) == (1, 2)
    assert (five_b.value, five_b.points) == (Decimal(50), Decimal("1.25"))
    assert got.get("3.5a").na == PORTAL_COMPUTES and got.get("3.5a").points is None
    group = next(g for g in got.groups if g.group == "TTTT")
    assert (group.points, group.available) == (Decimal("5.25"), Decimal(8))


def test_a_period_without_payments_or_fee_dossiers(paid):
    last_year = st.period("year", timezone.localdate().year - 1)
    got = indicators_for(COMMUNE, *last_year)
    # nothing received: 3.6 has no denominator; no online payment: 3.5b is a real 0
    assert got.get("3.6").na == ZERO
    assert (got.get("3.5b").value, got.get("3.5b").points) == (Decimal(0), Decimal(0))


def test_a_refunded_online_payment_leaves_3_5b_and_3_6(paid):
    payment = Payment.objects.get(dossier=paid.dossiers["bank"], status="counted")
    actions.refund(paid.specialist, payment.pk, "Nộp nhầm")
    portal = Payment.objects.get(dossier=paid.dossiers["portal"], status="counted")
    actions.refund(paid.specialist, portal.pk, "Nộp nhầm")
    got = indicators_for(COMMUNE, *this_year())
    assert (got.get("3.6").numerator, got.get("3.6").denominator) == (0, 3)
    assert got.get("3.5b").numerator == 0


def test_another_commune_and_the_province(paid):
    neighbour = indicators_for(Scope(("05611",)), *this_year())
    assert neighbour.get("3.6").na == ZERO
    province = report(Scope(("19", "05605", "05611")), *this_year(), "cohort")
    assert (province.fee_dossiers, province.fee_dossiers_paid_online) == (3, 2)


def test_the_migration_counts_the_dossiers_already_received(paid):
    """0003 on a database whose cells and contributions predate the fee counts."""
    stored = cells.stored_cells()
    months = cells.stored_cells(months=True)
    texts = dict(Dossier.objects.values_list("pk", "stat_cell"))
    migration = importlib.import_module("motcua.reports.migrations.0003_fee_counts")
    StatCell.objects.update(fee_dossiers=0, paid_online=0)
    StatMonthCell.objects.update(fee_dossiers=0, paid_online=0)
    migration.forget_fees(django_apps, None)
    assert all("fee" not in t for t in Dossier.objects.values_list("stat_cell", flat=True))
    assert len(cells.verify()) > 0
    migration.count_fees(django_apps, None)
    migration.count_fees(django_apps, None)  # twice: nothing counted twice
    assert cells.stored_cells() == stored
    assert cells.stored_cells(months=True) == months
    assert dict(Dossier.objects.values_list("pk", "stat_cell")) == texts
    assert_cells_exact()
    # the next event of a counted dossier moves nothing it should not
    act(paid.dossiers["bank"], paid.specialist, "submit_for_approval")
    assert_cells_exact()


def test_the_longest_cell_a_dossier_can_be_counted_in_fits_its_column():
    """Every count set and the widest key: the stored form must fit Dossier.stat_cell (on
    PostgreSQL a longer value is refused; it was 200 characters before the fee counts)."""
    from datetime import date

    from motcua.core.statistics import COUNT_FIELDS, CellKey, Counts
    from motcua.dossiers.models import Dossier
    from motcua.reports.cells import encode

    key = CellKey("05605", 10**9, date(2026, 12, 31), date(2026, 12, 31), date(2026, 12, 31))
    widest = encode(key, Counts(**dict.fromkeys(COUNT_FIELDS, 1)))
    assert len(widest) <= Dossier._meta.get_field("stat_cell").max_length
