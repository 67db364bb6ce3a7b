"""The desk's fee office, "Thu phí, lệ phí" (/thu-phi/): what it shows to whom, the overseer
reading only, another commune seeing nothing of Bình Thành, a bank statement imported through
the page, the day's receipt summary read back, the settings with their audit row, the bank
notice key shown once, the clerk signing the waiting receipts, and the menu entry.

Expected amounts: the contract fee of Thông tư 226/2016/TT-BTC, 50.000 đồng a dossier, summed
by hand below.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from datetime import date
from xml.etree import ElementTree

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from motcua.core.fees import Case
from motcua.payments import actions
from motcua.payments.models import (
    Payment,
    PaymentRequest,
    PaymentSettings,
    Receipt,
    StatementImport,
)
from motcua.units.models import ConfigChange
from tests.dossier_states import dossier_in
from tests.fee_setup import ACCOUNT, BIN

pytestmark = pytest.mark.django_db

OFFICE = "/thu-phi/"
STATEMENTS = "/thu-phi/sao-ke/"
SETTINGS = "/thu-phi/thiet-lap/"


def asked(staff):
    """A received dossier of Bình Thành with its fee asked."""
    dossier = dossier_in("in_review", staff)
    actions.request_payment(staff.specialist, dossier.pk, Case())
    return dossier


def page(client, user, url, **params):
    client.force_login(user)
    response = client.get(url, params)
    return response, response.content.decode()


def text(html: str) -> str:
    """The page's visible words, tags dropped (inline ones without a space) and spaces made
    single."""
    inline = re.sub(r"</?(?:strong|em|a|span|code)\b[^>]*>", "", html)
    return " ".join(re.sub(r"<[^>]+>", " ", inline).split())


def csv_upload(lines: list[str], name: str = "sao-ke.csv") -> SimpleUploadedFile:
    body = "Ngày giao dịch,Số tham chiếu,Số tiền ghi có,Nội dung\n" + "\n".join(lines) + "\n"
    return SimpleUploadedFile(name, body.encode("utf-8"), content_type="text/csv")


# --- who sees what --------------------------------------------------------------------------


def test_every_page_renders_for_the_specialist_in_vietnamese(fees, client):
    dossier = asked(fees)
    for url in (OFFICE, STATEMENTS, SETTINGS, SETTINGS + "thong-bao-uy-nhiem/"):
        response, html = page(client, fees.specialist, url)
        assert response.status_code == 200, url
        assert "Thu phí, lệ phí" in html and unicodedata.is_normalized("NFC", html)
    _, html = page(client, fees.specialist, OFFICE)
    words = text(html)
    assert f'href="/ho-so/{dossier.pk}/#phi-le-phi">{dossier.code}</a>' in html
    assert "Phí chứng thực hợp đồng, giao dịch 50.000" in words
    assert "Mật khẩu chứng thư số" not in html  # a specialist does not sign receipts


def test_the_overview_shows_the_days_payments_and_the_totals_by_method(fees, client):
    first, second = asked(fees), asked(fees)
    actions.record_cash(fees.specialist, first.pk, tendered=100000)
    done = actions.record_cash(fees.specialist, second.pk)
    actions.refund(fees.specialist, done.payment.pk, "Nộp nhầm hồ sơ")
    _, html = page(client, fees.specialist, OFFICE)
    words = text(html)
    assert first.code in words and second.code in words and "Tiền mặt" in words
    # cash: 2 × 50.000 = 100.000 collected, 50.000 given back, 50.000 left, in the day's
    # table and in the month's
    assert words.count("Tiền mặt 100.000 50.000 50.000 Chuyển khoản 0 0 0") == 2
    assert words.count("Cộng (đồng) 100.000 50.000 50.000") == 2
    assert f"Ngày {timezone.localdate():%d/%m/%Y}" in words
    assert f"Từ 01/{timezone.localdate():%m/%Y} đến" in words
    # another day has nothing
    _, html = page(client, fees.specialist, OFFICE, ngay="02/01/2020")
    assert text(html).count("Cộng (đồng) 0 0 0") == 2 and first.code not in html
    assert "Ngày 02/01/2020" in text(html) and 'value="02/01/2020"' in html
    # a day that does not exist is said, and today is shown
    _, html = page(client, fees.specialist, OFFICE, ngay="31/02/2026")
    assert "“31/02/2026” không phải một ngày" in html and first.code in html


def test_the_overseer_reads_a_commune_but_cannot_post_anything(fees, client):
    dossier = asked(fees)
    response, html = page(client, fees.overseer, OFFICE)
    assert response.status_code == 200 and "?don_vi=05605" in html  # chooses a commune
    response, html = page(client, fees.overseer, OFFICE, don_vi="05605")
    assert response.status_code == 200 and dossier.code in html
    _, html = page(client, fees.overseer, SETTINGS, don_vi="05605")
    assert "Bạn chỉ có quyền xem" in html and 'name="tax_code"' not in html
    before = list(PaymentSettings.objects.values())
    changes = ConfigChange.objects.count()
    posts = [
        (STATEMENTS + "?don_vi=05605", {"statement": csv_upload(["01/12/2026,FT1,50.000,x"])}),
        (SETTINGS + "?don_vi=05605", {"tax_code": "4600999999", "receipt_series": "CD"}),
        (SETTINGS + "khoa-thong-bao/?don_vi=05605", {}),
        ("/thu-phi/ky-so-bien-lai/?don_vi=05605", {"passphrase": "dau"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert list(PaymentSettings.objects.values()) == before
    assert not StatementImport.objects.exists() and ConfigChange.objects.count() == changes


def test_another_commune_sees_nothing_of_binh_thanh(fees, client):
    dossier = asked(fees)
    actions.record_cash(fees.specialist, dossier.pk)
    message = PaymentRequest.objects.get(dossier=dossier).message
    headers = ["Ngày giao dịch", "Số tham chiếu", "Số tiền ghi có", "Nội dung"]
    record = actions.import_statement(
        fees.specialist,
        fees.binh_thanh,
        "sk.csv",
        headers,
        [["01/12/2026", "FT9", "50.000", message]],
    ).record
    who = fees.neighbour_specialist
    response, html = page(client, who, OFFICE)
    assert response.status_code == 200 and "Xã Phú Đình" in html
    assert dossier.code not in html and "50.000" not in html
    for url in (STATEMENTS, SETTINGS):
        _, html = page(client, who, url)
        assert "sk.csv" not in html and ACCOUNT not in html and "4600123456" not in html
    for url in (OFFICE, STATEMENTS, SETTINGS, "/thu-phi/tong-hop-bien-lai/"):
        assert page(client, who, url, don_vi="05605")[0].status_code == 403, url
    assert page(client, who, f"{STATEMENTS}{record.pk}/")[0].status_code == 404
    assert page(client, who, f"{STATEMENTS}{record.pk}/", don_vi="05605")[0].status_code == 403


# --- bank statements ------------------------------------------------------------------------


def test_a_statement_imported_through_the_page_pays_the_request(fees, client):
    paid, wrong = asked(fees), asked(fees)
    good = PaymentRequest.objects.get(dossier=paid).message
    bad = PaymentRequest.objects.get(dossier=wrong).message
    upload = csv_upload(
        [
            f"01/12/2026,FT001,50.000,NGUYEN VAN AN CK {good}",
            f"01/12/2026,FT002,20.000,CK {bad}",
            "01/12/2026,FT003,75.000,TIEN DIEN THANG 11",
        ]
    )
    client.force_login(fees.specialist)
    response = client.post(STATEMENTS, {"statement": upload}, follow=True)
    assert response.status_code == 200
    words = text(response.content.decode())
    assert "Đã nhập sao kê “sao-ke.csv”: 1 khoản khớp và ghi thu, 1 cần kiểm tra" in words
    assert "Đã khớp và ghi thu (1) Dòng" in words and "Cần kiểm tra (1)" in words
    assert "Không khớp (1)" in words and "Đã nhập trước đây (0)" in words
    assert "2 01/12/2026 50.000 FT001" in words and "4 01/12/2026 75.000 FT003" in words
    assert "Sai số tiền" in words
    paid.refresh_from_db()
    assert paid.fee_paid_via == "bank" and Receipt.objects.filter(dossier=paid).count() == 1
    wrong.refresh_from_db()
    assert wrong.fee_paid_at is None
    # the list of imports counts them
    _, html = page(client, fees.specialist, STATEMENTS)
    assert "sao-ke.csv" in html and "1 1 1 0" in text(html)


def test_a_bad_statement_shows_its_rows_and_stores_nothing(fees, client):
    dossier = asked(fees)
    message = PaymentRequest.objects.get(dossier=dossier).message
    upload = csv_upload([f"01/12/2026,FT001,50.000,{message}", "31/02/2026,FT002,abc,x"])
    client.force_login(fees.specialist)
    response = client.post(STATEMENTS, {"statement": upload})
    assert response.status_code == 400
    words = text(response.content.decode())
    assert "Dòng 3" in words and "chưa nhập gì" in words
    assert not StatementImport.objects.exists() and not Payment.objects.exists()
    # a file that is not a table
    other = SimpleUploadedFile("anh.png", b"\x89PNG", content_type="image/png")
    response = client.post(STATEMENTS, {"statement": other})
    assert response.status_code == 400 and "không phải CSV hoặc XLSX" in response.content.decode()


# --- the day's receipt summary --------------------------------------------------------------


def test_the_days_summary_reads_back_with_the_right_numbers(fees, client):
    a, b, c = asked(fees), asked(fees), asked(fees)
    first = actions.record_cash(fees.specialist, a.pk).receipt  # number 1
    second = actions.record_cash(fees.specialist, b.pk)  # number 2
    actions.record_cash(fees.specialist, c.pk)  # number 3
    actions.refund(fees.specialist, second.payment.pk, "Hồ sơ được miễn")  # 2 cancelled
    actions.replace_receipt(fees.specialist, first.pk, "Sai tên người nộp")  # 4 replaces 1
    today = timezone.localdate()
    client.force_login(fees.specialist)
    got = client.get(
        "/thu-phi/tong-hop-bien-lai/", {"ngay": f"{today:%d/%m/%Y}", "dinh_dang": "xlsx"}
    )
    assert got.status_code == 200 and got["Content-Type"].startswith("application/vnd.openxml")
    sheet = load_workbook(io.BytesIO(got.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    heading = rows[0]
    number, status, amount = (heading.index(h) for h in ("Từ số", "Trạng thái", "Số tiền (đồng)"))
    lines = rows[1:-1]
    assert [r[number] for r in lines] == ["00000001", "00000002", "00000003", "00000004"]
    assert [r[status] for r in lines] == ["Bị thay thế", "Huỷ", "Mới", "Thay thế"]
    assert [r[amount] for r in lines] == [50000] * 4
    assert rows[-1][amount] == 100000  # receipts 3 and 4 count; 1 (replaced) and 2 (cancelled) not
    series = f"{today.year % 100:02d}TAB"
    assert lines[0][heading.index("Ký hiệu biên lai")] == series
    assert "Thay thế cho biên lai số 00000001" in lines[3][heading.index("Ghi chú")]
    assert lines[0][heading.index("Ngày lập")] == f"{today:%d/%m/%Y}"
    xml = client.get(
        "/thu-phi/tong-hop-bien-lai/", {"ngay": f"{today:%d/%m/%Y}", "dinh_dang": "xml"}
    )
    root = ElementTree.fromstring(xml.content)
    assert root.findtext("TTChung/MST") == "4600123456"
    assert root.findtext("TTChung/TgTien") == "100000" and len(root.findall("DSBLai/BLai")) == 4
    # the overview's day: 150.000 collected in cash, 50.000 refunded, 100.000 left
    _, html = page(client, fees.specialist, OFFICE)
    assert "Cộng (đồng) 150.000 50.000 100.000" in text(html)
    # a day without receipts: only the total line
    empty = client.get("/thu-phi/tong-hop-bien-lai/", {"ngay": "2020-01-02"})
    sheet = load_workbook(io.BytesIO(empty.content)).active
    assert sheet.max_row == 2 and sheet.cell(row=2, column=amount + 1).value == 0


# --- settings -------------------------------------------------------------------------------


def test_the_head_changes_the_settings_and_the_change_is_logged(fees, client):
    client.force_login(fees.head)
    values = {
        "bank_bin": "970436",
        "bank_name": "Vietcombank",
        "account_number": "0011004455667",
        "account_name": "UBND XA BINH THANH",
        "tax_code": "4600123456",
        "receipt_form_symbol": "EBL01",
        "receipt_series": "ch",
    }
    response = client.post(SETTINGS, values, follow=True)
    assert (
        response.status_code == 200
        and "Đã lưu thiết lập thu phí, lệ phí" in response.content.decode()
    )
    config = PaymentSettings.objects.get(unit=fees.binh_thanh)
    assert (config.bank_bin, config.account_number, config.receipt_series) == (
        "970436",
        "0011004455667",
        "CH",
    )
    change = ConfigChange.objects.get(kind="payment_settings")  # the one change, logged once
    assert change.before["bank_bin"] == BIN and change.after["bank_bin"] == "970436"
    assert change.actor == fees.head
    assert f"{timezone.localdate().year % 100:02d}TCH" in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "said"),
    [
        ("receipt_series", "AF", "hai chữ cái chọn trong"),  # F is not one of the 20 letters
        ("receipt_series", "ABC", "hai chữ cái chọn trong"),
        ("receipt_form_symbol", "01BLP0-001", "EBL01"),
        ("tax_code", "12345", "10 chữ số"),
        ("bank_bin", "9704", "6 chữ số"),
    ],
)
def test_a_wrong_setting_is_refused_with_its_reason_and_nothing_changes(
    fees, client, field, value, said
):
    client.force_login(fees.head)
    before = list(PaymentSettings.objects.values())
    changes = ConfigChange.objects.count()
    values = {
        "bank_bin": BIN,
        "account_number": ACCOUNT,
        "tax_code": "4600123456",
        "receipt_form_symbol": "EBL01",
        "receipt_series": "AB",
    } | {field: value}
    response = client.post(SETTINGS, values)
    assert response.status_code == 400 and said in response.content.decode()
    assert list(PaymentSettings.objects.values()) == before
    assert ConfigChange.objects.count() == changes


def test_a_specialist_reads_the_settings_and_cannot_change_them(fees, client):
    _, html = page(client, fees.specialist, SETTINGS)
    series = f"{timezone.localdate().year % 100:02d}TAB"
    assert "Bạn chỉ có quyền xem" in html and ACCOUNT in html and series in html
    assert client.post(SETTINGS, {"tax_code": "4600999999"}).status_code == 403
    assert client.post(SETTINGS + "khoa-thong-bao/").status_code == 403
    assert PaymentSettings.objects.get(unit=fees.binh_thanh).tax_code == "4600123456"


def test_the_bank_notice_key_is_shown_once_with_the_address_to_configure(fees, client):
    client.force_login(fees.head)
    response = client.post(SETTINGS + "khoa-thong-bao/")
    html = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    key = re.search(r'<code class="key">([A-Za-z0-9_-]{40,})</code>', html).group(1)
    digest = PaymentSettings.objects.get(unit=fees.binh_thanh).webhook_key_digest
    assert hashlib.sha256(key.encode()).hexdigest() == digest
    assert "http://testserver/api/v1/bank/notices/" in html and f"Apikey {key}" in html
    assert ConfigChange.objects.filter(kind="payment_settings").count() == 1
    # never again
    assert key not in client.get(SETTINGS).content.decode()


def test_the_delegation_notice_is_filled_in_from_the_agreement(fees, client):
    _, html = page(
        client,
        fees.specialist,
        SETTINGS + "thong-bao-uy-nhiem/",
        delegate="Công ty TNHH Biên lai Việt",
        start="01/08/2026",
        end="31/12/2026",
        first_number="1",
        last_number="5000",
    )
    words = text(html)
    assert "Từ ngày 01/08/2026 đến ngày 31/12/2026, Ủy ban nhân dân xã Bình Thành ủy nhiệm" in words
    assert "Công ty TNHH Biên lai Việt" in words and "ký hiệu mẫu EBL01, ký hiệu 26TAB" in words
    assert "từ số 00000001 đến số 00005000" in words
    assert "Nghị định số 254/2026/NĐ-CP" in words


# --- signing the waiting receipts -----------------------------------------------------------


@pytest.fixture(scope="module")
def seal():
    from motcua.demo import devca

    return devca.issue(devca.make_ca(), "UBND xã Bình Thành", "UBND")


def test_the_clerk_signs_the_waiting_receipts_from_the_overview(fees, client, seal):
    from motcua.documents.certificates import register_certificate

    register_certificate(unit=fees.binh_thanh, data=seal.pkcs12("dau"), passphrase="dau")
    dossier = asked(fees)
    actions.record_cash(fees.specialist, dossier.pk)
    client.force_login(fees.clerk)
    html = client.get(OFFICE).content.decode()
    assert "Ký số biên lai" in html and 'name="passphrase"' in html
    wrong = client.post("/thu-phi/ky-so-bien-lai/", {"passphrase": "sai"}, follow=True)
    assert wrong.status_code == 200 and "msg-error" in wrong.content.decode()
    assert Receipt.objects.filter(pdf__isnull=True).count() == 1
    done = client.post("/thu-phi/ky-so-bien-lai/", {"passphrase": "dau"}, follow=True)
    assert "Đã ký số 1 biên lai." in done.content.decode()
    assert Receipt.objects.filter(pdf__isnull=True).count() == 0
    # the specialist cannot sign
    client.force_login(fees.specialist)
    assert client.post("/thu-phi/ky-so-bien-lai/", {"passphrase": "dau"}).status_code == 403


# --- the menu -------------------------------------------------------------------------------


def test_the_menu_has_the_fee_office_for_the_desk_and_the_clerk_only(fees, client):
    entry = f'<a href="{reverse("payments:office")}">Thu phí, lệ phí</a>'
    for user in (fees.specialist, fees.head, fees.clerk):
        client.force_login(user)
        assert entry in client.get("/ho-so/").content.decode(), user.username
    for user in (fees.leader, fees.overseer):
        client.force_login(user)
        assert ">Thu phí, lệ phí</a>" not in client.get("/thong-ke/", follow=True).content.decode()


def test_the_overview_day_is_the_local_day(fees):
    from motcua.payments.queries import day_bounds

    start, end = day_bounds(date(2026, 12, 1))
    assert start.isoformat() == "2026-12-01T00:00:00+07:00"
    assert (end - start).total_seconds() == 86400
