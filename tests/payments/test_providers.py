"""A commercial e-receipt provider instead of the unit's seal: the receipts that wait are
issued by the provider (Viettel S-Invoice's protocol, spoken here by the FAKE provider on
loopback), its code and PDF are kept; an unreachable provider leaves them waiting for the next
run, a refusal leaves them waiting with the provider's words, a cancellation reaches it."""

from __future__ import annotations

import json
import urllib.request

import pytest
from django.urls import reverse

from motcua.core.fees import Case
from motcua.payments import actions
from motcua.payments.fake_provider import FakeReceiptProvider, fake_pdf
from motcua.payments.models import Receipt
from motcua.payments.providers import ProviderRefused, forget_tokens
from motcua.payments.receipts import cancel_at_provider, sign_pending
from tests.fee_setup import received

USERNAME, PASSWORD = "binhthanh-sinvoice", "mat-khau-thu"


class Fake:
    """The running FAKE provider and its control calls."""

    def __init__(self, server: FakeReceiptProvider):
        self.server = server
        self.url = server.url

    def control(self, name: str, **body) -> None:
        request = urllib.request.Request(
            f"{self.url}/_fake/{name}",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        urllib.request.urlopen(request, timeout=5).read()

    def snapshot(self) -> dict:
        with urllib.request.urlopen(f"{self.url}/_fake/state", timeout=5) as answer:
            return json.load(answer)

    def creates(self) -> list[dict]:
        return [c for c in self.snapshot()["calls"] if "/createInvoice/" in c["path"]]


@pytest.fixture
def provider(settings):
    forget_tokens()  # a freed port may come back: no token of an earlier FAKE
    server = FakeReceiptProvider(0, username=USERNAME, password=PASSWORD).start()
    settings.MOTCUA_RECEIPT_PROVIDER = "viettel"
    settings.MOTCUA_RECEIPT_PROVIDER_URL = server.url
    settings.MOTCUA_RECEIPT_PROVIDER_USERNAME = USERNAME
    settings.MOTCUA_RECEIPT_PROVIDER_PASSWORD = PASSWORD
    settings.MOTCUA_RECEIPT_PROVIDER_TEMPLATE = ""
    settings.MOTCUA_RECEIPT_PROVIDER_TIMEOUT = 5
    try:
        yield Fake(server)
    finally:
        server.stop()
        forget_tokens()


def paid(staff) -> Receipt:
    """A dossier of Bình Thành whose fee was paid in cash: its receipt, waiting."""
    dossier = received(staff)
    actions.request_payment(staff.specialist, dossier.pk, Case())
    receipt = actions.record_cash(staff.specialist, dossier.pk).receipt
    receipt.refresh_from_db()
    assert receipt.pdf is None and not receipt.provider
    return receipt


def test_the_provider_issues_waiting_receipts_its_code_and_pdf_kept(fees, provider, client):
    first, second = paid(fees), paid(fees)
    assert sign_pending(fees.binh_thanh.pk) == 2
    held = provider.snapshot()["receipts"]
    assert len(held) == 2
    for receipt in (first, second):
        receipt.refresh_from_db()
        assert receipt.provider == "viettel" and receipt.provider_error == ""
        at_provider = next(r for r in held.values() if r["invoiceNo"] == receipt.provider_code)
        assert at_provider["supplierTaxCode"] == "4600123456"
        assert at_provider["templateCode"] == "EBL01"  # the form symbol, none configured
        assert at_provider["invoiceSeries"] == receipt.series
        assert at_provider["total"] == 50000
        assert at_provider["note"] == f"Hồ sơ {receipt.dossier.code}"
        pdf = bytes(receipt.pdf)
        assert pdf.startswith(b"%PDF") and at_provider["invoiceNo"].encode() in pdf
        assert b"FAKE - BIEN LAI GIA LAP" in pdf
        assert receipt.signed_at is not None
    assert first.provider_code != second.provider_code
    # nothing waits any more, and nothing is sent twice
    assert sign_pending(fees.binh_thanh.pk) == 0
    assert len(provider.snapshot()["receipts"]) == 2
    # the citizen downloads the provider's PDF from the tracking page
    got = client.get(reverse("tracking_receipt", args=[first.dossier.tracking_token]))
    assert got.status_code == 200 and got.content == bytes(first.pdf)


def test_an_unreachable_provider_leaves_receipts_waiting_for_the_next_run(fees, provider):
    first, second = paid(fees), paid(fees)
    provider.control("fail", count=50, mode="http500")
    assert sign_pending(fees.binh_thanh.pk) == 0
    # the first failure (here the log-in) ends the run: nothing more is tried
    assert len(provider.snapshot()["calls"]) == 1
    provider.control("fail", count=2, mode="drop")
    assert sign_pending(fees.binh_thanh.pk) == 0
    for receipt in (first, second):
        receipt.refresh_from_db()
        assert receipt.pdf is None and receipt.provider_code == "" and receipt.provider_error == ""
    provider.control("fail", count=0)
    assert sign_pending(fees.binh_thanh.pk) == 2
    assert len(provider.snapshot()["receipts"]) == 2


def test_a_provider_that_is_not_there_at_all_changes_nothing(fees, provider):
    receipt = paid(fees)
    provider.server.stop()
    assert sign_pending(fees.binh_thanh.pk) == 0
    receipt.refresh_from_db()
    assert receipt.pdf is None and receipt.provider == "" and receipt.provider_error == ""


def test_a_receipt_whose_pdf_was_not_ready_is_fetched_later_not_issued_twice(fees, provider):
    receipt = paid(fees)
    provider.control("pdf-later", count=1)
    assert sign_pending(fees.binh_thanh.pk) == 0
    receipt.refresh_from_db()
    code = receipt.provider_code
    assert receipt.provider == "viettel" and code and receipt.pdf is None
    assert sign_pending(fees.binh_thanh.pk) == 1
    receipt.refresh_from_db()
    assert receipt.provider_code == code and bytes(receipt.pdf).startswith(b"%PDF")
    assert len(provider.snapshot()["receipts"]) == 1
    # the second send was refused as a repeat and the first receipt found by its uuid
    assert [c["status"] for c in provider.creates()] == [200, 400]


def test_a_refusal_keeps_the_receipt_waiting_with_the_providers_words(fees, provider):
    receipt = paid(fees)
    provider.control("fail", count=1, mode="error", message="Mẫu biên lai EBL01 chưa đăng ký")
    assert sign_pending(fees.binh_thanh.pk) == 0
    receipt.refresh_from_db()
    assert receipt.pdf is None and receipt.provider_code == ""
    assert "Mẫu biên lai EBL01 chưa đăng ký" in receipt.provider_error
    assert receipt.provider_error.startswith("Đơn vị cung cấp biên lai điện tử từ chối")
    # once the provider accepts it, the receipt is issued and the words are gone
    assert sign_pending(fees.binh_thanh.pk) == 1
    receipt.refresh_from_db()
    assert receipt.provider_error == "" and receipt.pdf is not None


def test_a_refused_log_in_stops_the_run_and_says_what_to_check(fees, provider, settings):
    first, second = paid(fees), paid(fees)
    settings.MOTCUA_RECEIPT_PROVIDER_PASSWORD = "sai"
    assert sign_pending(fees.binh_thanh.pk) == 0
    assert provider.snapshot()["logins"] == 1  # not once per receipt
    first.refresh_from_db()
    assert "từ chối đăng nhập" in first.provider_error
    assert "MOTCUA_RECEIPT_PROVIDER_USERNAME" in first.provider_error
    second.refresh_from_db()
    assert second.pdf is None


def test_an_expired_token_is_renewed(fees, provider):
    paid(fees)
    assert sign_pending(fees.binh_thanh.pk) == 1
    provider.control("expire")
    paid(fees)
    assert sign_pending(fees.binh_thanh.pk) == 1
    assert provider.snapshot()["logins"] == 2


def test_a_refund_and_a_replacement_cancel_the_receipt_at_the_provider(fees, provider):
    receipt = paid(fees)
    waiting = paid(fees)
    sign_pending(fees.binh_thanh.pk)
    receipt.refresh_from_db()
    # refunded: cancelled here, then there
    actions.refund(fees.specialist, receipt.payment_id, "Nộp nhầm hồ sơ")
    receipt.refresh_from_db()
    assert receipt.status == "cancelled"
    assert cancel_at_provider(receipt) is True
    held = provider.snapshot()["receipts"]
    there = next(r for r in held.values() if r["invoiceNo"] == receipt.provider_code)
    assert there["status"] == "cancelled" and there["cancelReason"] == "Hoàn trả: Nộp nhầm hồ sơ"
    # twice: the provider's refusal, in its words
    with pytest.raises(ProviderRefused) as refused:
        cancel_at_provider(receipt)
    assert "đã bị hủy" in refused.value.message
    # replaced: the old one cancelled there, the new one issued saying what it replaces
    waiting.refresh_from_db()
    new = actions.replace_receipt(fees.specialist, waiting.pk, "Sai địa chỉ người nộp")
    old = Receipt.objects.get(pk=waiting.pk)
    assert cancel_at_provider(old) is True
    assert sign_pending(fees.binh_thanh.pk) == 1
    new.refresh_from_db()
    held = provider.snapshot()["receipts"]
    there = next(r for r in held.values() if r["invoiceNo"] == new.provider_code)
    assert f"Thay thế cho biên lai số {old.number:08d}" in there["note"]
    assert next(r for r in held.values() if r["invoiceNo"] == old.provider_code)["status"] == (
        "cancelled"
    )


def test_a_receipt_never_issued_there_is_not_sent_nor_cancelled(fees, provider):
    receipt = paid(fees)
    actions.refund(fees.specialist, receipt.payment_id, "Hồ sơ được miễn phí")
    receipt.refresh_from_db()
    assert cancel_at_provider(receipt) is False
    assert sign_pending(fees.binh_thanh.pk) == 0
    assert provider.creates() == []


def test_without_a_provider_nothing_is_sent(fees, provider, settings):
    settings.MOTCUA_RECEIPT_PROVIDER = ""
    receipt = paid(fees)
    assert sign_pending(fees.binh_thanh.pk) == 0  # no seal certificate: it waits to be signed
    assert provider.snapshot()["logins"] == 0
    receipt.refresh_from_db()
    assert receipt.pdf is None and receipt.provider == ""


def test_the_fake_pdf_is_well_formed():
    pdf = fake_pdf(["Biên lai (thử)", "Đồng"])
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    assert b"(Bien lai \\(thu\\)) '" in pdf and b"(Dong) '" in pdf
    # the cross-reference table points at each object
    xref = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    assert pdf[xref:].startswith(b"xref")
    table = pdf[xref:].split(b"\n")[3:8]
    for n, line in enumerate(table, start=1):
        assert pdf[int(line[:10]) :].startswith(b"%d 0 obj" % n)
