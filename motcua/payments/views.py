"""The fee on a dossier's page (thin: each POST runs one action of
:mod:`motcua.payments.actions` through ``attempt`` and goes back to the dossier), the payment
slip with its VietQR code, and the receipts' PDFs for the desk and for the citizen."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from motcua.core import fees
from motcua.core.fees import BASIS_LABELS, EXEMPTION_LABELS, parse_case
from motcua.core.formatting import money_vi
from motcua.core.receipts import amount_in_words
from motcua.documents.pdf import qr_svg, render_pdf
from motcua.documents.slips import base_context
from motcua.dossiers.queries import access_dossier
from motcua.payments import actions
from motcua.payments.models import Receipt
from motcua.payments.queries import FeeState, fee_state
from motcua.units.access import attempt, staff_required


def fee_panel(request, dossier) -> str:
    """The fee's part of the dossier page (HTML), for the desk's officials."""
    state = fee_state(dossier)
    return render_to_string(
        "payments/_dossier_fee.html",
        {
            "dossier": dossier,
            "fee": state,
            "may_act": actions.may_handle_fees(request.user, dossier.unit),
            "requestable": dossier.state in actions.REQUEST_STATES,
            "exemptions": [
                (e.category, EXEMPTION_LABELS[e.category]) for e in state.rule.exemptions
            ],
            "basis_label": BASIS_LABELS[state.rule.basis],
            # the amount of the default case (one page, one copy, at the channel it came by)
            "quoted": quote_for_channel(dossier, state.rule),
        },
        request=request,
    )


def quote_for_channel(dossier, rule: fees.FeeRule) -> int:
    online = dossier.channel in ("online", "online_assisted")
    case = fees.Case(channel=fees.Channel.ONLINE if online else fees.Channel.DESK)
    return fees.quote(rule, case).amount


def _values(post) -> dict:
    return {k: post.get(k, "") for k in ("pages", "copies", "units", "channel", "exemption")}


@staff_required
@require_POST
def request_fee(request, pk):
    attempt(
        request,
        lambda: actions.request_payment(request.user, pk, parse_case(_values(request.POST))),
        "Đã gửi yêu cầu nộp phí, lệ phí.",
    )
    return redirect("dossiers:detail", pk=pk)


@staff_required
@require_POST
def cancel_fee(request, pk):
    attempt(
        request,
        lambda: actions.cancel_request(request.user, pk, request.POST.get("reason", "")),
        "Đã huỷ yêu cầu nộp phí, lệ phí.",
    )
    return redirect("dossiers:detail", pk=pk)


def _whole(text: str) -> int | None:
    digits = text.replace(".", "").replace(" ", "").strip()
    if not digits:
        return None
    if not digits.isdigit():
        raise actions.PaymentError("Số tiền khách đưa phải là số nguyên (đồng), ví dụ 50.000.")
    return int(digits)


@staff_required
@require_POST
def take_cash(request, pk):
    done = []
    tendered = request.POST.get("tendered", "")
    if attempt(
        request, lambda: done.append(actions.record_cash(request.user, pk, _whole(tendered)))
    ):
        message = "Đã thu tiền mặt và lập biên lai điện tử."
        if done[0].change:
            message += f" Tiền trả lại người nộp: {money_vi(done[0].change)}."
        messages.success(request, message)
    return redirect("dossiers:detail", pk=pk)


@staff_required
@require_POST
def refund_payment(request, pk, payment_id):
    attempt(
        request,
        lambda: actions.refund(request.user, payment_id, request.POST.get("reason", "")),
        "Đã ghi nhận hoàn trả.",
    )
    return redirect("dossiers:detail", pk=pk)


@staff_required
@require_POST
def replace_receipt(request, pk, receipt_id):
    attempt(
        request,
        lambda: actions.replace_receipt(request.user, receipt_id, request.POST.get("reason", "")),
        "Đã huỷ biên lai và lập biên lai thay thế.",
    )
    return redirect("dossiers:detail", pk=pk)


def pdf_response(pdf: bytes, name: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def receipt_response(receipt: Receipt) -> HttpResponse:
    if receipt.pdf is None:
        raise Http404("Biên lai đang chờ ký số.")
    return pdf_response(bytes(receipt.pdf), f"bien-lai-{receipt.series}-{receipt.number:08d}.pdf")


@staff_required
def receipt_pdf(request, receipt_id):
    receipt = Receipt.objects.filter(pk=receipt_id).only("dossier_id").first()
    if receipt is None:
        raise Http404
    access_dossier(request.user, receipt.dossier_id)  # scoped to the official's units
    return receipt_response(Receipt.objects.get(pk=receipt_id))


def slip_context(dossier, state: FeeState) -> dict:
    vietqr = state.vietqr
    return base_context(dossier, "Phiếu đề nghị nộp phí, lệ phí", qr=True) | {
        "fee": state,
        "request": state.request,
        "settings": state.settings,
        "vietqr": vietqr,
        "vietqr_svg": qr_svg(vietqr, scale=3) if vietqr else "",
        "amount_words": amount_in_words(state.request.amount),
    }


@staff_required
def payment_slip(request, pk):
    """Phiếu đề nghị nộp phí, lệ phí: the amount, its lines and the VietQR code to scan."""
    dossier = access_dossier(request.user, pk)
    state = fee_state(dossier)
    if not state.is_open:
        raise Http404("Hồ sơ không có yêu cầu nộp phí đang chờ.")
    pdf = render_pdf("payments/payment_slip.html", slip_context(dossier, state))
    return pdf_response(pdf, f"{dossier.code}-de-nghi-nop-phi.pdf")
