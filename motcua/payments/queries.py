"""Reads of a dossier's fee for the desk's page, the tracking page and the API: the request,
its VietQR code, the payments (flagged ones too), refunds and receipts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, QuerySet, Sum

from motcua.core import fees
from motcua.core.errors import DomainError
from motcua.core.localtime import LOCAL_TZ, local_day
from motcua.core.receipts import (
    PAYMENT_LABELS,
    ReceiptRef,
    ReceiptStatus,
    ReceiptSummaryRow,
    receipt_from_dict,
)
from motcua.core.vietqr import vietqr_payload
from motcua.dossiers.models import Dossier
from motcua.payments.models import (
    Payment,
    PaymentRequest,
    PaymentSettings,
    Receipt,
    Refund,
    StatementImport,
)


@dataclass
class FeeState:
    """Where a dossier's fee stands."""

    rule: fees.FeeRule
    request: PaymentRequest | None  # the open or latest request
    settings: PaymentSettings | None
    payments: list[Payment] = field(default_factory=list)
    receipts: list[Receipt] = field(default_factory=list)

    @property
    def status(self) -> str:
        """``none`` (nothing asked), ``open``, ``paid`` or ``cancelled``."""
        return self.request.status if self.request is not None else "none"

    @property
    def is_open(self) -> bool:
        return self.request is not None and self.request.status == PaymentRequest.Status.OPEN

    @property
    def flagged(self) -> list[Payment]:
        return [p for p in self.payments if p.status == Payment.Status.FLAGGED]

    @property
    def receipt(self) -> Receipt | None:
        """The receipt in force (not cancelled), if any."""
        return next((r for r in self.receipts if r.status == Receipt.Status.ISSUED), None)

    @property
    def vietqr(self) -> str:
        """The VietQR text of the open request ("" when there is none or the unit has no
        collection account)."""
        if not self.is_open or self.settings is None or not self.settings.can_take_transfers:
            return ""
        try:
            return vietqr_payload(
                self.settings.bank_bin,
                self.settings.account_number,
                self.request.amount,
                self.request.message,
            )
        except DomainError:
            return ""


def collection_settings(unit_id: str) -> PaymentSettings | None:
    return PaymentSettings.objects.filter(unit_id=unit_id).first()


def fee_state(dossier: Dossier) -> FeeState:
    open_request = PaymentRequest.objects.filter(
        dossier=dossier, status=PaymentRequest.Status.OPEN
    ).first()
    request = open_request or (
        PaymentRequest.objects.filter(dossier=dossier).order_by("-requested_at").first()
    )
    rule = fees.rule_from_dict(dossier.procedure_version.fee_rule)
    return FeeState(
        rule=rule,
        request=request,
        settings=collection_settings(dossier.unit_id),
        payments=list(
            Payment.objects.filter(dossier=dossier)
            .select_related("recorded_by")
            .order_by("paid_at")
        ),
        receipts=list(Receipt.objects.filter(dossier=dossier).order_by("-issued_at")),
    )


def receipt_of_dossier(dossier: Dossier, receipt_id) -> Receipt | None:
    return Receipt.objects.filter(dossier=dossier, pk=receipt_id).first()


def payment_json(dossier: Dossier, state: FeeState, receipt_url=None) -> dict:
    """``GET /api/v1/dossiers/{code}/payment/``'s answer."""
    request = state.request
    receipt = state.receipt
    return {
        "amount": request.amount if request is not None else 0,
        "status": state.status,
        "lines": request.lines if request is not None else [],
        "basis": request.basis if request is not None else "",
        "message": request.message if request is not None else "",
        "vietqr": state.vietqr,
        "requested_at": request.requested_at.isoformat() if request is not None else None,
        "paid_at": request.paid_at.isoformat() if request and request.paid_at else None,
        "paid_via": dossier.fee_paid_via,
        "receipt": (
            {
                "form_symbol": receipt.form_symbol,
                "series": receipt.series,
                "number": f"{receipt.number:08d}",
                "issued_at": receipt.issued_at.isoformat(),
                "signed": receipt.pdf is not None,
                "url": receipt_url(receipt) if receipt_url else None,
            }
            if receipt is not None
            else None
        ),
        "flagged": [
            {"amount": p.amount, "reference": p.reference, "reason": p.flag} for p in state.flagged
        ],
    }


# --- the desk's fee office (/thu-phi/) ---------------------------------------------------------


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The local day ``day`` as [start, end) aware moments (Asia/Ho_Chi_Minh)."""
    start = datetime.combine(day, time(0), tzinfo=LOCAL_TZ)
    return start, start + timedelta(days=1)


def open_requests(unit_id: str, limit: int = 200) -> list[PaymentRequest]:
    """The unit's requests still waiting to be paid, the oldest first."""
    return list(
        PaymentRequest.objects.filter(unit_id=unit_id, status=PaymentRequest.Status.OPEN)
        .select_related("dossier")
        .only("id", "amount", "name", "requested_at", "dossier__id", "dossier__code")
        .order_by("requested_at")[:limit]
    )


def payments_recorded_on(unit_id: str, day: date, limit: int = 500) -> list[Payment]:
    """The payments recorded on ``day`` (local), whatever became of them, in order."""
    start, end = day_bounds(day)
    return list(
        Payment.objects.filter(unit_id=unit_id, recorded_at__gte=start, recorded_at__lt=end)
        .select_related("dossier", "recorded_by")
        .order_by("recorded_at")[:limit]
    )


def flagged_payments(unit_id: str, limit: int = 200) -> list[Payment]:
    """Payments kept aside for the desk (a second payment, a wrong amount, a closed request)."""
    return list(
        Payment.objects.filter(unit_id=unit_id, status=Payment.Status.FLAGGED)
        .select_related("dossier")
        .order_by("recorded_at")[:limit]
    )


def receipts_waiting(unit_id: str) -> QuerySet[Receipt]:
    """The unit's receipts whose signed PDF is not made yet."""
    return Receipt.objects.filter(unit_id=unit_id, pdf__isnull=True)


def _was_counted():
    # A payment was counted if it got a receipt (refunded ones included); a flagged payment
    # never has one, so its refund gives back money that was never counted.
    return Exists(Receipt.objects.filter(payment=OuterRef("pk")))


@dataclass(frozen=True)
class MethodTotal:
    """What one payment method brought in a period, in đồng."""

    via: str
    label: str
    collected: int
    refunded: int

    @property
    def net(self) -> int:
        return self.collected - self.refunded


def collection_totals(unit_id: str, start: datetime, end: datetime) -> list[MethodTotal]:
    """Money counted in [start, end) by method (cash, bank, portal), by the moment it was
    recorded (its receipt's moment), and the refunds of counted money made in the period."""
    collected = dict(
        Payment.objects.filter(unit_id=unit_id, recorded_at__gte=start, recorded_at__lt=end)
        .filter(_was_counted())
        .values("via")
        .annotate(total=Sum("amount"))
        .values_list("via", "total")
    )
    refunded = dict(
        Refund.objects.filter(unit_id=unit_id, refunded_at__gte=start, refunded_at__lt=end)
        .filter(Exists(Receipt.objects.filter(payment=OuterRef("payment_id"))))
        .values("payment__via")
        .annotate(total=Sum("amount"))
        .values_list("payment__via", "total")
    )
    return [
        MethodTotal(via.value, label, collected.get(via.value) or 0, refunded.get(via.value) or 0)
        for via, label in PAYMENT_LABELS.items()
    ]


def summary_status(receipt: Receipt) -> ReceiptStatus:
    """What Mẫu 01/TH-BLĐT says of a receipt: replaced (another took its place), a
    replacement, cancelled (a refund, without replacement), or new."""
    if getattr(receipt, "replaced_by", None) is not None:
        return ReceiptStatus.REPLACED
    if receipt.replaces_id is not None:
        return ReceiptStatus.REPLACEMENT
    if receipt.status == Receipt.Status.CANCELLED:
        return ReceiptStatus.CANCELLED
    return ReceiptStatus.NEW


def receipt_summary_rows(unit_id: str, day: date) -> list[ReceiptSummaryRow]:
    """The receipts the unit issued on ``day`` (local), as the day's summary reports them."""
    start, end = day_bounds(day)
    receipts = (
        Receipt.objects.filter(unit_id=unit_id, issued_at__gte=start, issued_at__lt=end)
        .select_related("replaces", "replaced_by")
        .defer("pdf", "replaces__pdf", "replaces__content", "replaced_by__pdf")
        .order_by("series", "number")
    )
    rows = []
    for receipt in receipts:
        data = receipt_from_dict(receipt.content)
        old = receipt.replaces
        status = summary_status(receipt)
        rows.append(
            ReceiptSummaryRow(
                form_symbol=receipt.form_symbol,
                series=receipt.series,
                number=receipt.number,
                issued_on=local_day(receipt.issued_at),
                fee_name=data.fee_name,
                fee_kind=data.fee_kind,
                amount=data.total,
                status=status,
                replaces=(
                    ReceiptRef(old.form_symbol, old.series, old.number, local_day(old.issued_at))
                    if old is not None
                    else None
                ),
                note=receipt.cancel_reason if status != ReceiptStatus.NEW else "",
            )
        )
    return rows


def statement_imports(unit_id: str, limit: int = 50) -> list[StatementImport]:
    return list(
        StatementImport.objects.filter(unit_id=unit_id)
        .select_related("imported_by")
        .order_by("-imported_at")[:limit]
    )


STATEMENT_LISTS = ("matched", "flagged", "unmatched", "duplicates")


def statement_report(record: StatementImport) -> dict[str, list[dict]]:
    """An import's four lists (matched, flagged, unmatched, seen before), each line with the
    id of the dossier it names, for a link (None when the dossier is not the unit's)."""
    report = record.report or {}
    codes = {
        line["dossier"]
        for name in STATEMENT_LISTS
        for line in report.get(name, [])
        if "dossier" in line
    }
    ids = dict(
        Dossier.objects.filter(unit_id=record.unit_id, code__in=codes).values_list("code", "id")
    )
    return {
        name: [line | {"dossier_id": ids.get(line.get("dossier"))} for line in report.get(name, [])]
        for name in STATEMENT_LISTS
    }
