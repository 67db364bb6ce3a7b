"""Phí, lệ phí đã thu: the money collected and refunded in a period, by field, procedure,
payment channel, the dossier's submission channel and month.

The money follows the day it moved, not the dossier's receipt: **collected** is the counted
payments by the moment paid (``Payment.paid_at``), **refunded** the refunds of those payments
by the moment refunded (``Refund.refunded_at``), **net** the difference. A payment that was
counted and later refunded stays collected on its day and is refunded on the refund's (it is
``refunded`` now, with no flag: only flagged payments carry one). Flagged payments (a second
transfer, a wrong amount) were never fee income: neither they nor the money given back for
them are counted here. Each figure is one grouped query per table (payments, refunds) on
their ``(unit, day)`` indexes, scoped like the statistics (a commune, or a province's
communes; a field, a procedure). Why this lives in payments and not in the statistics cells:
docs/statistics.md "Fees".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from motcua.core.localtime import LOCAL_TZ
from motcua.core.statistics import months_of
from motcua.dossiers.models import Channel, FeePaidVia
from motcua.payments.models import Payment, Refund
from motcua.reports.queries import Scope, local_bounds

# What a table can be broken down by: the column reached from a payment (from a refund, the
# same through its payment), and how a value is named.
BREAKDOWNS = {
    "field": "Lĩnh vực",
    "procedure": "Thủ tục hành chính",
    "via": "Hình thức nộp",
    "channel": "Kênh nộp hồ sơ",
    "month": "Tháng",
}
_COLUMNS = {
    "field": ("dossier__procedure_version__field__name",),
    "procedure": ("dossier__procedure__code", "dossier__procedure__name"),
    "via": ("via",),
    "channel": ("dossier__channel",),
}
VIA_LABELS = dict(FeePaidVia.choices)
CHANNEL_LABELS = dict(Channel.choices)

# A payment that counted as fee income when it came in (now counted, or refunded since).
WAS_COUNTED = Q(status=Payment.Status.COUNTED) | Q(status=Payment.Status.REFUNDED, flag="")


@dataclass
class Money:
    """One row: how many payments and refunds, and their sums in đồng."""

    payments: int = 0
    collected: int = 0
    refunds: int = 0
    refunded: int = 0

    @property
    def net(self) -> int:
        return self.collected - self.refunded


@dataclass
class MoneyFigures:
    """The money of one scope and period: the total and each breakdown's rows (label, money),
    ordered by label (months by date)."""

    start: date
    end: date
    total: Money = field(default_factory=Money)
    by: dict[str, list[tuple[str, Money]]] = field(default_factory=dict)


def counted_payments(scope: Scope, start: date, end: date) -> QuerySet[Payment]:
    lo, hi = local_bounds(start, end)
    return Payment.objects.filter(
        WAS_COUNTED,
        scope.dossier_filter("dossier__"),
        unit_id__in=scope.unit_codes,
        paid_at__gte=lo,
        paid_at__lt=hi,
    )


def fee_refunds(scope: Scope, start: date, end: date) -> QuerySet[Refund]:
    lo, hi = local_bounds(start, end)
    return Refund.objects.filter(
        scope.dossier_filter("payment__dossier__"),
        unit_id__in=scope.unit_codes,
        payment__flag="",
        refunded_at__gte=lo,
        refunded_at__lt=hi,
    )


def _label(kind: str, values: tuple) -> str:
    if kind == "month":
        return f"{values[0].astimezone(LOCAL_TZ):%m/%Y}" if values[0] else ""
    if kind == "via":
        return VIA_LABELS.get(values[0], values[0])
    if kind == "channel":
        return CHANNEL_LABELS.get(values[0], values[0])
    if kind == "procedure":
        return f"{values[0]} — {values[1]}"
    return values[0] or "(không rõ lĩnh vực)"


def _grouped(payments: QuerySet, refunds: QuerySet, kind: str) -> list[tuple[str, Money]]:
    if kind == "month":
        payments = payments.annotate(k0=TruncMonth("paid_at", tzinfo=LOCAL_TZ))
        refunds = refunds.annotate(k0=TruncMonth("refunded_at", tzinfo=LOCAL_TZ))
        keys = ("k0",)
    else:
        columns = _COLUMNS[kind]
        keys = tuple(f"k{i}" for i in range(len(columns)))
        payments = payments.annotate(**{k: F(c) for k, c in zip(keys, columns, strict=True)})
        refunds = refunds.annotate(
            **{k: F(f"payment__{c}") for k, c in zip(keys, columns, strict=True)}
        )
    rows: dict[tuple, Money] = {}
    for row in payments.values(*keys).annotate(n=Count("pk"), s=Sum("amount")).order_by():
        got = rows.setdefault(tuple(row[k] for k in keys), Money())
        got.payments, got.collected = row["n"], row["s"] or 0
    for row in refunds.values(*keys).annotate(n=Count("pk"), s=Sum("amount")).order_by():
        got = rows.setdefault(tuple(row[k] for k in keys), Money())
        got.refunds, got.refunded = row["n"], row["s"] or 0
    if kind == "month":
        order = sorted(rows, key=lambda k: k[0])
    else:
        order = sorted(rows, key=lambda k: _label(kind, k))
    return [(_label(kind, k), rows[k]) for k in order]


def money_figures(
    scope: Scope, start: date, end: date, breakdowns: tuple[str, ...] = tuple(BREAKDOWNS)
) -> MoneyFigures:
    """Collected, refunded and net money of ``scope`` in [start, end] (local days), in total
    and by each of ``breakdowns`` (keys of :data:`BREAKDOWNS`)."""
    if end < start:
        raise ValueError("Ngày kết thúc kỳ phải sau ngày bắt đầu.")
    payments, refunds = counted_payments(scope, start, end), fee_refunds(scope, start, end)
    out = MoneyFigures(start, end)
    paid = payments.aggregate(n=Count("pk"), s=Sum("amount"))
    back = refunds.aggregate(n=Count("pk"), s=Sum("amount"))
    out.total = Money(paid["n"], paid["s"] or 0, back["n"], back["s"] or 0)
    for kind in breakdowns:
        out.by[kind] = _grouped(payments, refunds, kind)
    return out


def monthly_by_via(scope: Scope, start: date, end: date) -> list[tuple[date, dict[str, int]]]:
    """Per calendar month of the period (its first day within the period): the money
    collected by each payment channel (``FeePaidVia``), the chart's bars."""
    rows = (
        counted_payments(scope, start, end)
        .annotate(m=TruncMonth("paid_at", tzinfo=LOCAL_TZ))
        .values("m", "via")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    got: dict[tuple[int, int], dict[str, int]] = {}
    for row in rows:
        month = row["m"].astimezone(LOCAL_TZ)
        got.setdefault((month.year, month.month), {})[row["via"]] = row["s"] or 0
    return [(first, got.get((first.year, first.month), {})) for first, _ in months_of(start, end)]
