"""Receipt numbers (NĐ 254/2026/NĐ-CP Art. 23 k2: up to 8 digits, from 1 each 1 January):
50 payments at once get 1..50 with no gap and no repeat; a payment refused half-way spends
no number; the series starts again at 1 on 1 January, Việt Nam time."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import connections

from motcua.core.fees import Case
from motcua.payments import actions
from motcua.payments.models import PaymentSettings, Receipt
from tests.fee_setup import received

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.django_db(transaction=True)
def test_fifty_payments_at_once_number_their_receipts_without_gap(fees):
    dossiers = [received(fees) for _ in range(50)]
    for dossier in dossiers:
        actions.request_payment(fees.specialist, dossier.pk, Case())

    def pay(pk) -> int:
        try:
            return actions.record_cash(fees.specialist, pk).receipt.number
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=10) as pool:
        numbers = list(pool.map(pay, [d.pk for d in dossiers]))
    assert sorted(numbers) == list(range(1, 51))
    assert Receipt.objects.count() == 50


def test_a_receipt_that_cannot_be_made_spends_no_number(fees):
    first, second = received(fees), received(fees)
    for dossier in (first, second):
        actions.request_payment(fees.specialist, dossier.pk, Case())
    PaymentSettings.objects.filter(unit=fees.binh_thanh).update(tax_code="")
    with pytest.raises(actions.DomainError):
        actions.record_cash(fees.specialist, first.pk)  # no tax code: no receipt, no payment
    PaymentSettings.objects.filter(unit=fees.binh_thanh).update(tax_code="4600123456")
    assert actions.record_cash(fees.specialist, second.pk).receipt.number == 1


def test_numbers_start_again_on_the_first_of_january_in_vietnam(fees):
    dossiers = [received(fees) for _ in range(3)]
    for dossier in dossiers:
        actions.request_payment(fees.specialist, dossier.pk, Case())
    moments = [
        datetime(2026, 12, 31, 23, 50, tzinfo=VN),
        # 31/12 17:10 UTC is already 1 January 2027 in Việt Nam
        datetime(2027, 1, 1, 0, 10, tzinfo=VN),
        datetime(2027, 1, 2, 9, 0, tzinfo=VN),
    ]
    got = []
    for dossier, moment in zip(dossiers, moments, strict=True):
        with mock.patch("motcua.payments.actions.timezone.now", return_value=moment):
            receipt = actions.record_cash(fees.specialist, dossier.pk).receipt
        got.append((receipt.year, receipt.series, receipt.number))
    assert got == [(2026, "26TAB", 1), (2027, "27TAB", 1), (2027, "27TAB", 2)]
