"""Phí, lệ phí đã thu: money collected and refunded by field, procedure, channel and month,
on /thu-phi/so-lieu/ and in its XLSX file, and who sees which unit's money.

Worked by hand: Bình Thành receives three dossiers of 2.001035 (50.000 đồng each). Cash pays
the first, a bank transfer the second, the portal's platform the third; a second transfer
for the first is flagged (never counted) and given back; the bank payment is refunded.
Collected: 3 payments, 150.000 đồng; refunded: 1 refund, 50.000 đồng (the flagged money given
back is not a fee refund); net 100.000 đồng. By channel: cash 50.000; bank 50.000 − 50.000 =
0; portal 50.000.
"""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from motcua.core import statistics as st
from motcua.core.fees import Case
from motcua.dossiers.models import Dossier, FeePaidVia
from motcua.payments import actions
from motcua.payments.figures import money_figures
from motcua.payments.models import Payment, PaymentRequest
from motcua.reports.queries import Scope
from tests.dossier_states import dossier_in

CONTRACT = (
    "2.001035 — Chứng thực giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất, nhà ở"
)


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


@pytest.fixture
def money(fees):
    cash, bank, portal = (dossier_in("in_review", fees) for _ in range(3))
    for dossier in (cash, bank, portal):
        actions.request_payment(fees.specialist, dossier.pk, Case())
    actions.record_cash(fees.specialist, cash.pk)
    transfer(fees, bank, "FT001")
    transfer(fees, portal, "DVC001", via=FeePaidVia.PORTAL)
    twice = transfer(fees, cash, "FT002")  # already paid in cash: flagged
    assert twice.payment.status == Payment.Status.FLAGGED
    actions.refund(fees.specialist, twice.payment.pk, "Nộp trùng, trả lại")
    counted = Payment.objects.get(dossier=bank, status=Payment.Status.COUNTED)
    actions.refund(fees.specialist, counted.pk, "Hồ sơ được miễn phí (hộ nghèo)")
    return fees


def this_year():
    return st.period("year", timezone.localdate().year)


def rows(table) -> dict[str, tuple[int, int, int, int, int]]:
    return {label: (m.payments, m.collected, m.refunds, m.refunded, m.net) for label, m in table}


def test_money_by_hand(money):
    got = money_figures(Scope(("05605",)), *this_year())
    t = got.total
    assert (t.payments, t.collected, t.refunds, t.refunded, t.net) == (3, 150000, 1, 50000, 100000)
    assert rows(got.by["via"]) == {
        "Tiền mặt tại Bộ phận Một cửa": (1, 50000, 0, 0, 50000),
        "Chuyển khoản (mã VietQR)": (1, 50000, 1, 50000, 0),
        "Nền tảng thanh toán của Cổng DVCQG": (1, 50000, 0, 0, 50000),
    }
    assert rows(got.by["field"]) == {"Chứng thực": (3, 150000, 1, 50000, 100000)}
    assert rows(got.by["procedure"]) == {CONTRACT: (3, 150000, 1, 50000, 100000)}
    assert rows(got.by["channel"]) == {"Trực tiếp": (3, 150000, 1, 50000, 100000)}
    month = f"{timezone.localdate():%m/%Y}"
    assert rows(got.by["month"]) == {month: (3, 150000, 1, 50000, 100000)}


def test_money_follows_the_day_it_moved(money):
    # a refund made tomorrow belongs to tomorrow: today keeps the payment, without the refund
    counted = Payment.objects.get(via=FeePaidVia.BANK, flag="")
    counted.refund.refunded_at += timedelta(days=1)
    counted.refund.save(update_fields=["refunded_at"])
    today = timezone.localdate()
    got = money_figures(Scope(("05605",)), today, today)
    assert (got.total.collected, got.total.refunded) == (150000, 0)
    later = money_figures(Scope(("05605",)), today + timedelta(days=1), today + timedelta(days=1))
    assert (later.total.collected, later.total.refunded, later.total.net) == (0, 50000, -50000)
    last_year = st.period("year", today.year - 1)
    assert money_figures(Scope(("05605",)), *last_year).total.payments == 0


def test_a_field_or_procedure_scope(money):
    from motcua.catalog.models import Field

    other = Field.objects.get(name="Hộ tịch")
    assert money_figures(Scope(("05605",), field_id=other.pk), *this_year()).total.payments == 0
    scoped = money_figures(Scope(("05605",), procedure_code="2.001035"), *this_year())
    assert scoped.total.net == 100000


def page(client, user, **params):
    client.force_login(user)
    return client.get(reverse("payments:figures"), params)


def test_the_page_shows_the_sums_and_the_chart(money, client):
    answer = page(client, money.specialist)
    assert answer.status_code == 200
    assert answer.context["money"].total.net == 100000
    html = answer.content.decode()
    assert "150.000" in html and "100.000" in html
    assert '<svg class="chart"' in html and "Chuyển khoản" in html


def test_another_commune_sees_only_its_own_money(money, client):
    answer = page(client, money.neighbour_specialist, don_vi="05605")
    assert answer.context["f"].unit.code == "05611"
    assert answer.context["money"].total.payments == 0
    assert "150.000" not in answer.content.decode()


def test_the_overseer_sees_its_province_and_not_another(money, client):
    answer = page(client, money.overseer, don_vi="19")
    assert answer.context["f"].unit.code == "19"
    assert answer.context["money"].total.collected == 150000
    far = page(client, money.far_overseer, don_vi="19")
    assert far.context["f"].unit.code == "27700"  # its own commune instead (read_filters)
    assert far.context["money"].total.payments == 0


def test_the_page_needs_a_log_in(client):
    answer = client.get(reverse("payments:figures"))
    assert answer.status_code == 302


def test_the_xlsx_has_every_breakdown_and_the_total(money, client):
    client.force_login(money.head)
    answer = client.get(reverse("payments:figures_xlsx"))
    assert answer.status_code == 200
    assert answer["Content-Disposition"].startswith('attachment; filename="phi-le-phi-05605-')
    sheet = load_workbook(io.BytesIO(answer.content)).active
    table = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert table[0][:4] == ["Theo", "Tên", "Số khoản thu", "Đã thu (đồng)"]
    assert table[-1] == ["Tổng cộng", "Xã Bình Thành", 3, 150000, 1, 50000, 100000]
    assert ["Hình thức nộp", "Chuyển khoản (mã VietQR)", 1, 50000, 1, 50000, 0] in table
    assert {r[0] for r in table[1:-1]} == {
        "Lĩnh vực",
        "Thủ tục hành chính",
        "Hình thức nộp",
        "Kênh nộp hồ sơ",
        "Tháng",
    }


def test_the_dashboard_links_here_by_name(money, client):
    client.force_login(money.specialist)
    html = client.get(reverse("reports:dashboard")).content.decode()
    assert reverse("payments:figures") in html
