"""The demo's fees: requests, payments by cash and bank, gap-free receipts, the ledger and the
statistics kept exact, the dossiers' fee fields in agreement with their payments."""

from __future__ import annotations

import functools
from collections import defaultdict

import pytest
from django.db.models import Count

from motcua.catalog.models import Procedure
from motcua.core import fees
from motcua.core.lifecycle import IN_PROGRESS, EventKind, State
from motcua.core.vietqr import check_account, statement_mentions, transfer_message
from motcua.demo.dossiers import generate_year
from motcua.demo.payments import ensure_payment_settings, sign_recent_receipts
from motcua.dossiers.integrity import log_problems
from motcua.dossiers.models import Dossier, DossierEvent, FeePaidVia
from motcua.payments.models import (
    Payment,
    PaymentRequest,
    PaymentSettings,
    Receipt,
    ReceiptCounter,
    Refund,
)
from motcua.reports.cells import verify

pytestmark = pytest.mark.django_db

# Thông tư 226/2016/TT-BTC Điều 4: bản sao, 2.000 đồng/trang for pages 1-2, 1.000 from page 3,
# at most 200.000 đồng a copy.
COPY_RULE = {
    "basis": "trang",
    "kind": "phi",
    "name": "Phí chứng thực",
    "tiers": [[1, 2, 2000], [3, None, 1000]],
    "cap_per_copy": 200000,
    "legal_basis": "Thông tư 226/2016/TT-BTC, Điều 4",
}


@pytest.fixture
def demo_year(staff):
    version = Procedure.objects.get(code="2.000815").current_version
    version.fee_rule = COPY_RULE
    version.save(update_fields=["fee_rule"])
    desk = staff.binh_thanh.desk
    config = ensure_payment_settings(desk)
    generate_year(desk, days=150, per_day=10, fees=config)
    return desk


def test_the_demo_collection_settings_are_usable(staff):
    desk = staff.binh_thanh.desk
    config = ensure_payment_settings(desk)
    check_account(config.bank_bin, config.account_number)  # a VietQR code can be made
    assert config.bank_bin == "970415" and config.account_name.startswith("UBND XA")
    assert config.tax_code.isdigit() and len(config.tax_code) == 10
    config.account_name = "UBND XA BINH THANH (sua)"
    config.save()
    ensure_payment_settings(desk)  # idempotent: a row the head edited is kept
    assert PaymentSettings.objects.get().account_name == "UBND XA BINH THANH (sua)"


def test_demo_fees_are_paid_by_cash_and_bank_and_counted(demo_year):
    payments = Payment.objects.filter(status=Payment.Status.COUNTED)
    by_via = dict(payments.values_list("via").annotate(n=Count("pk")))
    assert by_via[FeePaidVia.CASH] > 20 and by_via[FeePaidVia.BANK] > 20
    assert 0.45 < by_via[FeePaidVia.BANK] / sum(by_via.values()) < 0.75
    assert set(by_via) == {FeePaidVia.CASH, FeePaidVia.BANK}
    for payment in payments.filter(via=FeePaidVia.BANK).select_related("dossier"):
        assert payment.reference.startswith("FT")
        assert statement_mentions(payment.content, transfer_message(payment.dossier.code))
    for payment in payments.filter(via=FeePaidVia.CASH):
        assert payment.reference == "" and payment.tendered >= payment.amount
    # one double payment waits for the desk, another was refunded; neither has a receipt
    assert Payment.objects.filter(status=Payment.Status.FLAGGED).count() == 1
    refunded = Payment.objects.get(status=Payment.Status.REFUNDED)
    assert Refund.objects.get().payment == refunded and not refunded.receipts.exists()
    assert not Receipt.objects.exclude(payment__status=Payment.Status.COUNTED).exists()


def test_every_request_is_the_rule_applied_to_its_case(demo_year):
    requests = PaymentRequest.objects.select_related("dossier__procedure_version")
    assert requests.count() > 50
    pages = set()
    for request in requests:
        version = request.dossier.procedure_version
        case = fees.Case(
            pages=request.case["pages"],
            copies=request.case["copies"],
            channel=fees.Channel(request.case["channel"]),
        )
        quote = fees.quote(fees.rule_from_dict(version.fee_rule), case, version.name)
        assert request.amount == quote.amount > 0
        assert request.message == transfer_message(request.dossier.code)
        if version.fee_rule.get("basis") == "trang":
            pages.add(request.case["pages"])
    assert len(pages) > 2  # the per-page rule was quoted for several sizes


def test_receipts_are_numbered_without_gaps_each_year(demo_year):
    numbers = defaultdict(list)
    for series, year, number in Receipt.objects.order_by("issued_at").values_list(
        "series", "year", "number"
    ):
        assert series == f"{year % 100:02d}TAA"
        numbers[(series, year)].append(number)
    assert numbers
    for (series, year), seen in numbers.items():
        assert seen == list(range(1, len(seen) + 1))  # in the order issued, from 1, no gap
        counter = ReceiptCounter.objects.get(series=series, year=year)
        assert counter.last == len(seen)
    assert Receipt.objects.count() == Payment.objects.filter(status="counted").count()
    receipt = Receipt.objects.select_related("payment").first()
    assert receipt.content["number"] == receipt.number
    assert sum(line[3] for line in receipt.content["lines"]) == receipt.payment.amount


def test_the_dossiers_fee_fields_agree_with_their_payments(demo_year):
    counted = {p.dossier_id: p for p in Payment.objects.filter(status=Payment.Status.COUNTED)}
    charged = Dossier.objects.exclude(fee_amount=None)
    assert charged.count() > len(counted)  # some still wait for payment
    for dossier in Dossier.objects.filter(procedure_version__fee__gt=0):
        payment = counted.get(dossier.pk)
        if payment is None:
            assert dossier.fee_paid_at is None and dossier.fee_paid_via == ""
            continue
        assert dossier.state in (State.DONE, State.RETURNED)
        assert dossier.fee_amount == payment.amount == payment.request.amount
        assert dossier.fee_paid_at == payment.paid_at == payment.request.paid_at
        assert dossier.fee_paid_via == payment.via
        assert dossier.received_at < payment.paid_at < (dossier.returned_at or dossier.done_at)
    waiting = PaymentRequest.objects.filter(status=PaymentRequest.Status.OPEN)
    assert {r.dossier.state for r in waiting} <= set(IN_PROGRESS)
    for request in PaymentRequest.objects.filter(status=PaymentRequest.Status.CANCELLED):
        assert request.dossier.state not in (*IN_PROGRESS, State.DONE, State.RETURNED)
        assert request.dossier.fee_amount is None and request.closed_note


def test_the_fee_events_keep_the_ledger_and_the_statistics_exact(demo_year):
    assert log_problems() == []
    assert verify() == []
    kinds = set(DossierEvent.objects.values_list("action", flat=True))
    assert {
        EventKind.REQUEST_PAYMENT,
        EventKind.RECORD_PAYMENT,
        EventKind.FLAG_PAYMENT,
        EventKind.REFUND_PAYMENT,
    } <= kinds
    for payment in Payment.objects.filter(status=Payment.Status.COUNTED)[:50]:
        event = DossierEvent.objects.get(action="record_payment", data__payment=str(payment.pk))
        receipt = payment.receipts.get()
        assert event.data["receipt"] == f"{receipt.series} {receipt.number:08d}"
        assert event.at == payment.recorded_at == receipt.issued_at
        assert event.from_state == event.to_state  # a fee step changes no state
        actions = list(payment.dossier.events.order_by("seq").values_list("action", flat=True))
        assert (
            actions.index("receive")
            < actions.index("request_payment")
            < actions.index("record_payment")
        )
        # paid before the result is handed over (at pick-up at the latest)
        last = "return_result" if "return_result" in actions else "issue"
        assert actions.index("record_payment") < actions.index(last)


def test_the_latest_receipts_are_signed_at_load_time(demo_year):
    from motcua.demo.results import ensure_certificates
    from motcua.documents import signing
    from motcua.documents.certificates import trust_roots

    ensure_certificates(demo_year, "mat-khau-mau")
    assert sign_recent_receipts(demo_year, "mat-khau-mau", limit=2) == 2
    signed = list(Receipt.objects.exclude(pdf=None).order_by("issued_at"))
    latest = list(Receipt.objects.order_by("-issued_at")[:2])
    assert {r.pk for r in signed} == {r.pk for r in latest}
    for receipt in signed:
        reports = signing.verify_pdf(bytes(receipt.pdf), trust_roots())
        assert reports and all(r.ok and r.trusted for r in reports)
    assert Receipt.objects.filter(pdf=None).count() == Receipt.objects.count() - 2


def test_load_demo_collects_fees_and_signs_the_latest_receipts(settings, monkeypatch):
    """The wiring of ``load_demo`` on its own catalogue (real fee rules), for a month."""
    from motcua.demo import load

    settings.MOTCUA_DEMO_SIGNED_RESULTS = 0
    monkeypatch.setattr(load, "generate_year", functools.partial(load.generate_year, days=30))
    monkeypatch.setattr(
        load, "sign_recent_receipts", functools.partial(load.sign_recent_receipts, limit=1)
    )
    desk = load.load_demo("mat-khau-mau")
    assert PaymentSettings.objects.get(unit=desk.unit).receipt_form_symbol == "EBL01"
    assert Payment.objects.filter(status=Payment.Status.COUNTED).exists()
    assert Receipt.objects.exclude(pdf=None).count() == 1
    assert log_problems() == [] and verify() == []
