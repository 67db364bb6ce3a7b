"""A dossier's fee from the request to the receipt: the amount from the published rule, the
portal told "nghĩa vụ tài chính", the VietQR code, cash at the desk, a bank statement, a bank's
notice, flags, refunds, replaced receipts and who may do what.

Expected amounts come from Thông tư 226/2016/TT-BTC (chứng thực hợp đồng, giao dịch: 50.000
đồng; bản sao: 2.000 đồng/trang for pages 1–2, 1.000 đồng from page 3, at most 200.000 đồng a
copy), worked by hand below.
"""

from __future__ import annotations

import hashlib
import json

import pytest
from django.urls import reverse
from vietnam_qr_pay import QRPay

from motcua.core.fees import Case
from motcua.core.lifecycle import EventKind
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dvcqg.models import OutboxRow
from motcua.payments import actions
from motcua.payments.models import Payment, PaymentRequest, PaymentSettings, Receipt
from tests.dossier_states import act, dossier_in
from tests.fee_setup import ACCOUNT, BIN, CONTRACT_RULE, received


def test_request_takes_the_amount_of_the_rule_and_tells_the_portal(fees):
    dossier = received(fees)
    request = actions.request_payment(fees.specialist, dossier.pk, Case())
    assert request.amount == 50000
    assert request.message and len(request.message) <= 25
    dossier.refresh_from_db()
    assert dossier.fee_amount == 50000 and dossier.fee_paid_at is None
    event = DossierEvent.objects.filter(dossier=dossier).order_by("-seq").first()
    assert event.action == EventKind.REQUEST_PAYMENT and event.data["amount"] == 50000
    rows = list(OutboxRow.objects.filter(event=event).order_by("seq"))
    assert [r.service for r in rows] == ["DongBoHoSoMC", "CapNhatTienDoHoSoMC"]
    record = rows[0].payload["data"][0]
    assert record["TrangThaiHoSo"] == "6"  # Yêu cầu thực hiện nghĩa vụ tài chính
    assert record["DanhSachLePhi"][0]["Gia"] == "50000"
    assert record["DanhSachLePhi"][0]["LoaiPhiLePhi"] == "1"  # phí
    assert rows[1].payload["data"][0]["TrangThai"] == "6"


def test_a_second_request_while_one_waits_is_refused(fees):
    dossier = received(fees)
    actions.request_payment(fees.specialist, dossier.pk, Case())
    with pytest.raises(actions.PaymentError) as refused:
        actions.request_payment(fees.specialist, dossier.pk, Case())
    assert refused.value.code == "payment_request_open"
    assert PaymentRequest.objects.filter(dossier=dossier).count() == 1


def test_an_exempt_applicant_owes_nothing_and_no_request_is_made(fees):
    dossier = received(fees)
    with pytest.raises(actions.PaymentError) as refused:
        actions.request_payment(fees.specialist, dossier.pk, Case(exemption="ho_ngheo"))
    assert refused.value.code == "nothing_to_pay"
    assert not PaymentRequest.objects.exists()


def test_the_overseer_and_another_commune_cannot_ask_for_a_fee(fees):
    dossier = received(fees)
    for user in (fees.overseer, fees.neighbour_specialist):
        with pytest.raises(actions.DomainError) as refused:
            actions.request_payment(user, dossier.pk, Case())
        assert refused.value.status in (403, 404)
    assert not PaymentRequest.objects.exists()


def test_the_vietqr_code_carries_the_units_account_the_amount_and_the_message(fees, client):
    dossier = received(fees)
    actions.request_payment(fees.specialist, dossier.pk, Case())
    client.force_login(fees.specialist)
    answer = client.get(reverse("api-payment", args=[dossier.code])).json()
    assert answer["status"] == "open" and answer["amount"] == 50000
    qr = QRPay(answer["vietqr"])
    assert qr.is_valid
    assert qr.consumer.bank_bin == BIN and qr.consumer.bank_number == ACCOUNT
    assert qr.amount == "50000"
    assert qr.additional_data.purpose == answer["message"]


def test_cash_pays_the_request_issues_numbered_receipts_and_gives_change(fees):
    first, second = received(fees), received(fees)
    for dossier in (first, second):
        actions.request_payment(fees.specialist, dossier.pk, Case())
    done = actions.record_cash(fees.specialist, first.pk, tendered=100000)
    assert done.change == 50000
    assert done.receipt.number == 1 and done.receipt.series.endswith("TAB")
    assert done.receipt.content["lines"][0][3] == 50000
    again = actions.record_cash(fees.specialist, second.pk)
    assert again.receipt.number == 2
    first.refresh_from_db()
    assert first.fee_paid_via == "cash" and first.fee_paid_at is not None
    assert PaymentRequest.objects.get(dossier=first).status == "paid"


def test_too_little_cash_is_refused_and_nothing_is_recorded(fees):
    dossier = received(fees)
    actions.request_payment(fees.specialist, dossier.pk, Case())
    with pytest.raises(actions.PaymentError):
        actions.record_cash(fees.specialist, dossier.pk, tendered=20000)
    assert not Payment.objects.exists() and not Receipt.objects.exists()


def test_the_result_is_not_returned_before_the_fee_is_paid(fees):
    dossier = dossier_in("done", fees)
    actions.request_payment(fees.specialist, dossier.pk, Case())
    with pytest.raises(actions.DomainError) as refused:
        act(dossier, fees.specialist, "return_result")
    assert refused.value.code == "fee_unpaid"
    actions.record_cash(fees.specialist, dossier.pk)
    assert act(dossier, fees.specialist, "return_result").state == "returned"


def statement(*lines) -> tuple[list[str], list[list[str]]]:
    headers = ["Ngày giao dịch", "Số tham chiếu", "Số tiền ghi có", "Nội dung"]
    return headers, [list(line) for line in lines]


def test_a_statement_pays_what_it_names_flags_what_is_wrong_and_lists_the_rest(fees):
    paid, wrong = received(fees), received(fees)
    for dossier in (paid, wrong):
        actions.request_payment(fees.specialist, dossier.pk, Case())
    good = PaymentRequest.objects.get(dossier=paid).message
    bad = PaymentRequest.objects.get(dossier=wrong).message
    headers, rows = statement(
        ["01/12/2026", "FT001", "50.000", f"NGUYEN VAN AN CK {good} PHI"],
        ["01/12/2026", "FT002", "20.000", f"CK {bad}"],
        ["01/12/2026", "FT003", "75.000", "TIEN DIEN THANG 11"],
    )
    result = actions.import_statement(fees.specialist, fees.binh_thanh, "sk.csv", headers, rows)
    assert [m["reference"] for m in result.matched] == ["FT001"]
    assert [f["reference"] for f in result.flagged] == ["FT002"]
    assert "Sai số tiền" in result.flagged[0]["flag"]
    assert [u["reference"] for u in result.unmatched] == ["FT003"]
    paid.refresh_from_db()
    assert paid.fee_paid_via == "bank"
    wrong.refresh_from_db()
    assert wrong.fee_paid_at is None  # a wrong amount is never counted
    # the same statement again: nothing counted twice
    again = actions.import_statement(fees.specialist, fees.binh_thanh, "sk.csv", headers, rows)
    assert again.matched == [] and {d["reference"] for d in again.duplicates} >= {"FT001"}
    assert Payment.objects.filter(status="counted").count() == 1
    assert Receipt.objects.count() == 1


def test_a_second_payment_of_a_paid_request_is_flagged_not_counted(fees):
    dossier = received(fees)
    actions.request_payment(fees.specialist, dossier.pk, Case())
    actions.record_cash(fees.specialist, dossier.pk)
    message = PaymentRequest.objects.get(dossier=dossier).message
    headers, rows = statement(["02/12/2026", "FT010", "50.000", message])
    result = actions.import_statement(fees.specialist, fees.binh_thanh, "sk.csv", headers, rows)
    assert result.matched == [] and len(result.flagged) == 1
    assert Payment.objects.filter(status="flagged").count() == 1
    assert Receipt.objects.count() == 1


def test_a_bad_statement_is_refused_whole_with_row_numbers(fees):
    dossier = received(fees)
    actions.request_payment(fees.specialist, dossier.pk, Case())
    message = PaymentRequest.objects.get(dossier=dossier).message
    headers, rows = statement(
        ["01/12/2026", "FT001", "50.000", message], ["31/02/2026", "FT002", "abc", "x"]
    )
    with pytest.raises(actions.DomainError) as refused:
        actions.import_statement(fees.specialist, fees.binh_thanh, "sk.csv", headers, rows)
    assert "Dòng 3" in refused.value.message
    assert not Payment.objects.exists()


def test_a_refund_cancels_the_receipt_and_reopens_nothing_silently(fees):
    dossier = received(fees)
    actions.request_payment(fees.specialist, dossier.pk, Case())
    done = actions.record_cash(fees.specialist, dossier.pk)
    actions.refund(fees.specialist, done.payment.pk, "Hồ sơ được miễn phí (hộ nghèo)")
    receipt = Receipt.objects.get(pk=done.receipt.pk)
    assert receipt.status == "cancelled"
    dossier.refresh_from_db()
    assert dossier.fee_paid_at is None and dossier.fee_amount is None
    with pytest.raises(actions.PaymentError):
        actions.refund(fees.specialist, done.payment.pk, "lần nữa")


def test_a_replaced_receipt_takes_the_next_number_and_names_the_one_it_replaces(fees):
    dossier = received(fees)
    actions.request_payment(fees.specialist, dossier.pk, Case())
    done = actions.record_cash(fees.specialist, dossier.pk)
    new = actions.replace_receipt(fees.specialist, done.receipt.pk, "Sai địa chỉ người nộp")
    assert new.number == done.receipt.number + 1
    assert new.content["replaces"]["number"] == done.receipt.number
    assert Receipt.objects.get(pk=done.receipt.pk).status == "cancelled"


def test_a_bank_notice_with_the_units_key_pays_and_a_repeat_is_not_counted(fees, client):
    key = actions.new_webhook_key(fees.head, fees.binh_thanh)
    assert PaymentSettings.objects.get(unit=fees.binh_thanh).webhook_key_digest == (
        hashlib.sha256(key.encode()).hexdigest()
    )
    dossier = received(fees)
    actions.request_payment(fees.specialist, dossier.pk, Case())
    message = PaymentRequest.objects.get(dossier=dossier).message
    notice = {
        "id": 92704,
        "gateway": "VietinBank",
        "transactionDate": "2026-12-01 10:15:00",
        "accountNumber": ACCOUNT,
        "code": None,
        "content": f"CT DEN:0123 {message}",
        "transferType": "in",
        "transferAmount": 50000,
        "accumulated": 1050000,
        "subAccount": None,
        "referenceCode": "MBVCB.3278907687",
        "description": "",
    }
    url = reverse("api-bank-notice")
    wrong = client.post(
        url, json.dumps(notice), content_type="application/json", HTTP_AUTHORIZATION="Apikey x"
    )
    assert wrong.status_code == 403
    headers = {"HTTP_AUTHORIZATION": f"Apikey {key}"}
    first = client.post(url, json.dumps(notice), content_type="application/json", **headers)
    assert first.status_code == 200 and first.json()["result"] == "matched"
    repeat = client.post(url, json.dumps(notice), content_type="application/json", **headers)
    assert repeat.status_code == 200 and repeat.json()["result"] == "duplicate"
    assert Payment.objects.filter(status="counted").count() == 1


def test_api_request_and_bad_parameters(fees, client):
    dossier = received(fees)
    client.force_login(fees.specialist)
    url = reverse("api-payment-request", args=[dossier.code])
    bad = client.post(url, {"pages": "abc"}, content_type="application/json")
    assert bad.status_code == 400 and "số nguyên" in bad.json()["detail"]
    a_list = client.post(url, {"units": [], "channel": 0.0}, content_type="application/json")
    assert a_list.status_code == 400 and "units" in a_list.json()["fields"]
    not_an_object = client.post(url, "[]", content_type="application/json")
    assert not_an_object.status_code == 400 and "đối tượng JSON" in not_an_object.json()["detail"]
    multipart = client.post(url, {"pages": "2"})  # a multipart body: not for these fields
    assert multipart.status_code == 415 and multipart.json()["code"] == "unsupported_media_type"
    made = client.post(url, {}, content_type="application/json")
    assert made.status_code == 201 and made.json()["amount"] == 50000
    client.force_login(fees.overseer)
    assert client.post(url, {}, content_type="application/json").status_code in (403, 404)


@pytest.fixture(scope="module")
def pki():
    from motcua.demo import devca

    ca = devca.make_ca()
    return ca, devca.issue(ca, "UBND xã Bình Thành", "UBND")


def test_the_receipt_is_signed_with_the_units_seal_and_verifies(fees, pki, client, tmp_path):
    from motcua.documents.certificates import register_certificate, trust_roots
    from motcua.documents.signing import verify_pdf
    from tests.documents.test_signing import nss_trusting, pdfsig

    ca, seal = pki
    register_certificate(unit=fees.binh_thanh, data=seal.pkcs12("dau"), passphrase="dau")
    dossier = received(fees)
    actions.request_payment(fees.specialist, dossier.pk, Case())
    receipt = actions.record_cash(fees.specialist, dossier.pk).receipt
    with pytest.raises(actions.DomainError):  # a wrong passphrase signs nothing
        actions.sign_waiting_receipts(fees.head, fees.binh_thanh, "sai")
    assert actions.sign_waiting_receipts(fees.head, fees.binh_thanh, "dau") == 1
    receipt.refresh_from_db()
    pdf = bytes(receipt.pdf)
    reports = verify_pdf(pdf, [ca.pem(), *trust_roots()])
    assert len(reports) == 1 and reports[0].ok
    assert "Signature is Valid" in pdfsig(pdf, tmp_path, nss_trusting(ca, tmp_path))
    # the citizen downloads it from the tracking page
    got = client.get(reverse("tracking_receipt", args=[dossier.tracking_token]))
    assert got.status_code == 200 and got.content == pdf
    # and the tracking page offers it
    page = client.get(reverse("tracking_token", args=[dossier.tracking_token]))
    assert "Tải biên lai điện tử" in page.content.decode()


def test_the_national_payment_platform_reports_a_payment_once(fees, client):
    from motcua.dvcqg.models import PortalClient, token_digest

    portal = PortalClient.objects.create(name="Cổng DVCQG (thử)", token_digest=token_digest("t"))
    portal.units.add(fees.binh_thanh)
    dossier = received(fees)
    actions.request_payment(fees.specialist, dossier.pk, Case())
    body = {
        "madonvi": fees.binh_thanh.desk.electronic_code,
        "MaHoSo": dossier.code,
        "SoTien": 50000,
        "MaGiaoDich": "PG2612010001",
        "ThoiGianGD": "20261201101500",
    }
    url = reverse("api-portal-payments")
    send = lambda b: client.post(  # noqa: E731
        url, json.dumps(b), content_type="application/json", HTTP_AUTHORIZATION="Bearer t"
    )
    assert send(body).json() == {"result": "matched"}
    assert send(body).json() == {"result": "duplicate"}
    dossier.refresh_from_db()
    assert dossier.fee_paid_via == "portal"
    # the portal hears DuocThanhToanTrucTuyen 1 (paid on its platform)
    last = OutboxRow.objects.filter(dossier=dossier, service="DongBoHoSoMC").order_by("-seq")[0]
    assert last.payload["data"][0]["DuocThanhToanTrucTuyen"] == "1"
    bad = send(body | {"MaGiaoDich": "PG2", "ThoiGianGD": "2026-12-01"})
    assert bad.status_code == 400
    other = send(body | {"MaGiaoDich": "PG3", "SoTien": 20000})
    assert other.json() == {"result": "flagged"}


def test_a_fee_collected_at_reception_is_asked_with_the_intake(fees, client):
    """A certified copy (TT 226/2016: 2.000 đ for each of pages 1–2, 1.000 đ from page 3)
    whose rule collects at reception: 3 pages × 2 copies = (2.000 + 2.000 + 1.000) × 2 =
    10.000 đồng, asked as the dossier is received, from the intake form's fee boxes."""
    from motcua.catalog.models import Procedure

    version = Procedure.objects.get(code="2.000815").current_version
    version.fee_rule = {
        "basis": "trang",
        "kind": "phi",
        "tiers": [[1, 2, 2000], [3, None, 1000]],
        "cap_per_copy": 200000,
        "collect_at": "tiep_nhan",
    }
    version.fee = 2000
    version.save(update_fields=["fee_rule", "fee"])
    papers = [c["name"] for c in version.components]
    client.force_login(fees.specialist)
    response = client.post(
        "/ho-so/tiep-nhan/2.000815/",
        {
            "channel": "direct",
            "applicant_kind": "person",
            "applicant_name": "Lương Thị Hoa",
            "applicant_id_number": "019190001234",
            "components": papers,
            **{f"form_{i}": "original" for i in range(len(papers))},
            "copies": 1,
            "fee_pages": "3",
            "fee_copies": "2",
            "outcome": "receive",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    dossier = Dossier.objects.get(applicant_name="Lương Thị Hoa")
    request = PaymentRequest.objects.get(dossier=dossier)
    assert request.amount == 10000 and request.case["pages"] == 3
    # a procedure collecting at the return asks nothing at reception
    assert not PaymentRequest.objects.exclude(dossier=dossier).exists()


def test_api_intake_asks_a_fee_collected_at_reception_and_refuses_a_bad_fee_box(fees, client):
    from motcua.catalog.models import Procedure

    version = Procedure.objects.get(code="2.001035").current_version
    version.fee_rule = {**CONTRACT_RULE, "collect_at": "tiep_nhan"}
    version.save(update_fields=["fee_rule"])
    client.force_login(fees.specialist)
    body = {
        "procedure": "2.001035",
        "channel": "direct",
        "applicant_name": "Lò Văn Pấng",
        "components": ["Dự thảo hợp đồng", "Giấy tờ tùy thân"],
    }
    bad = client.post("/api/v1/dossiers/", {**body, "fee": {"copies": "hai"}}, "application/json")
    assert bad.status_code == 400 and not Dossier.objects.exists()
    made = client.post("/api/v1/dossiers/", body, content_type="application/json")
    assert made.status_code == 201
    assert PaymentRequest.objects.get(dossier__code=made.json()["code"]).amount == 50000
