"""Demo fees: the commune's collection settings, and the fee requests, payments, receipts and
ledger events of the demo year.

Built in memory beside the demo dossiers (:func:`motcua.demo.dossiers.generate_year`), before
they are inserted: each fee step becomes a :class:`~motcua.dossiers.history.Step` of the
dossier's history at its moment, so the hash chains are built once, valid, by
``bulk_save``, and the dossier's fee fields (and so its statistics cell: ``paid_online``) are
right when it is counted. The rows, data and events are those the live actions
(:mod:`motcua.payments.actions`) write:

- a dossier of a charging procedure (its current version's ``fee`` > 0) gets, just after
  reception, a request for what its rule asks of its case (random pages and copies; an
  online dossier of a civil-status procedure that charges nothing online asks nothing);
- done or returned: a counted payment between the request and the result — about 60 % bank
  transfers seen by the bank's notice (a system event, as ``credit_from_bank`` writes it),
  40 % cash at the desk — with its receipt, numbered without gaps in the year's series in
  the order issued, and the unit's receipt counter moved past the last number;
- still in progress: the request waits (chờ nộp); ended without a result (refused,
  withdrawn, stopped, transferred): the desk cancelled the request;
- one recent dossier paid twice by transfer (the second payment flagged, waiting for the
  desk) and one whose second transfer was flagged then refunded.

Receipts are signed at load time only for the latest :data:`SIGNED_RECEIPTS` (about 0.25 s
each); the rest wait for the clerk's "Ký số biên lai" (chờ ký số).
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction

from motcua.core import fees
from motcua.core.lifecycle import IN_PROGRESS, EventKind, State
from motcua.core.receipts import receipt_year
from motcua.core.vietqr import ascii_message
from motcua.counters import keep_at_least
from motcua.documents.certificates import certificate_for, open_signer
from motcua.dossiers.history import Step
from motcua.dossiers.models import Channel, Dossier, FeePaidVia
from motcua.payments.actions import build_request
from motcua.payments.models import (
    Payment,
    PaymentRequest,
    PaymentSettings,
    Receipt,
    ReceiptCounter,
    Refund,
)
from motcua.payments.receipts import content_of, receipt_data, series_for, sign_one
from motcua.rows import insert_rows
from motcua.units.models import Desk

SIGNED_RECEIPTS = 20
BANK_SHARE = 0.6
DOUBLE_PAYMENT = "Thanh toán trùng: yêu cầu đã được nộp"  # as payments.actions flags it
REFUND_REASON = "Người nộp chuyển khoản hai lần cho cùng hồ sơ; hoàn trả khoản chuyển thừa"
ENDED_UNDECIDED = {
    State.REFUSED: "Hồ sơ bị từ chối giải quyết, không thu phí, lệ phí",
    State.WITHDRAWN: "Người nộp rút hồ sơ trước khi nộp phí, lệ phí",
    State.STOPPED: "Hồ sơ dừng giải quyết, không thu phí, lệ phí",
    State.TRANSFERRED: "Hồ sơ chuyển cơ quan có thẩm quyền, phí do cơ quan đó thu",
}
ONLINE_CHANNELS = (Channel.ONLINE, Channel.ONLINE_ASSISTED)
PAGES = ((1, 30), (2, 30), (3, 14), (4, 10), (6, 8), (8, 5), (12, 3))
COPIES = ((1, 45), (2, 30), (3, 15), (5, 10))


def ensure_payment_settings(desk: Desk) -> PaymentSettings:
    """The demo commune's collection settings; an existing row (maybe edited) is kept. The
    bank is real (VietinBank's BIN, so the VietQR code is well formed); the account and the
    tax code are fictional: a transfer to them reaches nobody."""
    config, _ = PaymentSettings.objects.get_or_create(
        unit=desk.unit,
        defaults={
            "bank_bin": "970415",
            "bank_name": "Ngân hàng TMCP Công Thương Việt Nam (VietinBank)",
            "account_number": "000005605000",  # fictional
            "account_name": "UBND XA BINH THANH",
            "tax_code": "0000005605",  # fictional
            "receipt_form_symbol": "EBL01",
            "receipt_series": "AA",
        },
    )
    return config


@dataclass
class FeeRows:
    requests: list[PaymentRequest] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    refunds: list[Refund] = field(default_factory=list)
    receipts: list[Receipt] = field(default_factory=list)


def pick(rng: random.Random, weighted) -> int:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def _who(user) -> dict:
    return {"actor_id": user.pk, "actor_name": user.display_name, "actor_role": "specialist"}


def _system(dossier: Dossier) -> dict:
    # A bank's notice: nobody logged in, the event names the applicant (ledger.actor_fields).
    return {"actor_id": None, "actor_name": dossier.applicant_name, "actor_role": "system"}


def _place(steps: list[Step], step: Step) -> None:
    """Insert a fee step at its moment (after the steps of the same moment); it changes no
    state: it stays in the state of the step before it."""
    index = next((i for i, s in enumerate(steps) if s.at > step.at), len(steps))
    step.to_state = steps[index - 1].to_state
    steps.insert(index, step)


def _between(start: datetime, end: datetime, share: float) -> datetime:
    return start + (end - start) * share


def plan_fees(
    rng: random.Random,
    desk: Desk,
    config: PaymentSettings,
    pairs: list[tuple[Dossier, list[Step]]],
    now: datetime,
) -> FeeRows:
    """The fee rows of the demo dossiers ``pairs`` (not yet saved); sets their fee fields and
    adds their fee steps."""
    rows = FeeRows()
    rules: dict[int, fees.FeeRule] = {}
    references: set[str] = set()
    paid: list[tuple[Dossier, list[Step], Payment]] = []
    for dossier, steps in pairs:
        version = dossier.procedure_version
        if not version.fee or dossier.state == State.DRAFT:
            continue
        if version.pk not in rules:
            rules[version.pk] = fees.rule_from_dict(version.fee_rule)
        case = fees.Case(
            pages=pick(rng, PAGES),
            copies=pick(rng, COPIES),
            channel=(
                fees.Channel.ONLINE if dossier.channel in ONLINE_CHANNELS else fees.Channel.DESK
            ),
        )
        quote = fees.quote(rules[version.pk], case, version.name)
        if quote.amount <= 0:
            continue
        official = dossier.assigned_to
        dossier.unit = desk.unit  # receipt_data reads its name
        requested = dossier.received_at + timedelta(seconds=rng.randint(30, 240))
        request = build_request(dossier, quote, case, at=requested, by=official)
        rows.requests.append(request)
        dossier.fee_amount = quote.amount
        _place(
            steps,
            Step(
                EventKind.REQUEST_PAYMENT.value,
                "",
                requested,
                **_who(official),
                data={"request": str(request.pk), "amount": quote.amount},
            ),
        )
        if dossier.state in (State.DONE, State.RETURNED):
            end = dossier.returned_at or dossier.done_at
            payment = _pay(rng, dossier, steps, request, end, references)
            rows.payments.append(payment)
            paid.append((dossier, steps, payment))
        elif dossier.state not in IN_PROGRESS:  # ended without a result
            reason = ENDED_UNDECIDED.get(dossier.state, "Hồ sơ không được giải quyết")
            request.status = PaymentRequest.Status.CANCELLED
            request.closed_note = reason
            dossier.fee_amount = None
            cancelled = max(requested + timedelta(seconds=10), steps[-1].at - timedelta(minutes=1))
            _place(
                steps,
                Step(
                    EventKind.CANCEL_PAYMENT_REQUEST.value,
                    "",
                    cancelled,
                    **_who(official),
                    note=reason,
                    data={"request": str(request.pk)},
                ),
            )
    rows.receipts = _number_receipts(config, paid)
    _paid_twice(rng, paid, rows, references)
    return rows


def _pay(
    rng: random.Random,
    dossier: Dossier,
    steps: list[Step],
    request: PaymentRequest,
    end: datetime,
    references: set[str],
) -> Payment:
    """The counted payment of ``request`` before ``end`` (the result's return or issue)."""
    official = dossier.assigned_to
    start = request.requested_at
    if rng.random() < BANK_SHARE:
        paid_at = _between(start, end, rng.uniform(0.02, 0.5))
        recorded = paid_at + timedelta(seconds=rng.randint(3, 60))  # the bank's notice
        via, by, tendered = FeePaidVia.BANK, None, None
        reference, content = _transfer(rng, dossier, request, paid_at, references)
    else:
        paid_at = min(start + timedelta(minutes=rng.randint(1, 15)), _between(start, end, 0.5))
        recorded = paid_at
        via, by, reference, content = FeePaidVia.CASH, official, "", ""
        tendered = max(request.amount, -(-request.amount // 10_000) * 10_000)
    payment = Payment(
        id=uuid.uuid4(),
        request=request,
        dossier=dossier,
        unit_id=dossier.unit_id,
        via=via,
        amount=request.amount,
        tendered=tendered,
        reference=reference,
        content=content,
        paid_at=paid_at,
        recorded_at=recorded,
        recorded_by=by,
        status=Payment.Status.COUNTED,
    )
    request.status = PaymentRequest.Status.PAID
    request.paid_at = paid_at
    dossier.fee_paid_at = paid_at
    dossier.fee_paid_via = via
    # its receipt's number goes in when the year's receipts are numbered (_number_receipts)
    _place(
        steps,
        Step(
            EventKind.RECORD_PAYMENT.value,
            "",
            recorded,
            **(_who(official) if by is not None else _system(dossier)),
            data={"payment": str(payment.pk), "amount": payment.amount, "via": via},
        ),
    )
    return payment


def _transfer(
    rng: random.Random,
    dossier: Dossier,
    request: PaymentRequest,
    paid_at: datetime,
    references: set[str],
) -> tuple[str, str]:
    """A bank reference ("FT" + year, day of the year, serial) and a statement content that
    carries the request's transfer message."""
    day = paid_at.timetuple()
    while True:
        reference = f"FT{day.tm_year % 100:02d}{day.tm_yday:03d}{rng.randrange(10**7):07d}"
        if reference not in references:
            references.add(reference)
            break
    payer = ascii_message(dossier.applicant_name).upper()
    return reference, f"{payer} chuyen tien {request.message}"


def _number_receipts(
    config: PaymentSettings, paid: list[tuple[Dossier, list[Step], Payment]]
) -> list[Receipt]:
    """The counted payments' receipts, numbered 1, 2, … in each year's series in the order
    they were issued; their numbers go into the payments' events."""
    receipts = []
    numbers: dict[int, int] = {}
    for dossier, steps, payment in sorted(paid, key=lambda item: item[2].recorded_at):
        issued = payment.recorded_at
        year = receipt_year(issued)
        numbers[year] = number = numbers.get(year, 0) + 1
        series = series_for(config, year)
        content = receipt_data(
            payment, dossier, config, series=series, number=number, issued_at=issued
        )
        receipts.append(
            Receipt(
                id=uuid.uuid4(),
                unit_id=dossier.unit_id,
                payment=payment,
                dossier=dossier,
                form_symbol=content.form_symbol,
                series=series,
                year=year,
                number=number,
                issued_at=issued,
                content=content_of(content),
            )
        )
        event = next(s for s in steps if s.data.get("payment") == str(payment.pk))
        event.data["receipt"] = f"{series} {number:08d}"
    return receipts


def _paid_twice(
    rng: random.Random,
    paid: list[tuple[Dossier, list[Step], Payment]],
    rows: FeeRows,
    references: set[str],
) -> None:
    """Two recent dossiers paid by transfer whose citizen transferred again: the first second
    payment waits flagged for the desk, the other was refunded."""
    recent = [
        item
        for item in sorted(paid, key=lambda item: item[2].paid_at)[-200:]
        if item[2].via == FeePaidVia.BANK and item[0].state == State.RETURNED
    ]
    if len(recent) < 2:
        return
    for (dossier, steps, first), refunded in zip(rng.sample(recent, 2), (False, True), strict=True):
        end = dossier.returned_at
        paid_at = _between(first.recorded_at, end, 0.3)
        reference, content = _transfer(rng, dossier, first.request, paid_at, references)
        second = Payment(
            id=uuid.uuid4(),
            request=first.request,
            dossier=dossier,
            unit_id=dossier.unit_id,
            via=FeePaidVia.BANK,
            amount=first.amount,
            reference=reference,
            content=content,
            paid_at=paid_at,
            recorded_at=paid_at + timedelta(seconds=20),
            status=Payment.Status.REFUNDED if refunded else Payment.Status.FLAGGED,
            flag=DOUBLE_PAYMENT,
        )
        rows.payments.append(second)
        _place(
            steps,
            Step(
                EventKind.FLAG_PAYMENT.value,
                "",
                second.recorded_at,
                **_system(dossier),
                data={
                    "payment": str(second.pk),
                    "amount": second.amount,
                    "via": second.via,
                    "flag": DOUBLE_PAYMENT,
                },
            ),
        )
        if not refunded:
            continue
        official = dossier.assigned_to
        at = _between(first.recorded_at, end, 0.6)
        rows.refunds.append(
            Refund(
                id=uuid.uuid4(),
                payment=second,
                unit_id=dossier.unit_id,
                amount=second.amount,
                reason=REFUND_REASON,
                refunded_at=at,
                refunded_by=official,
            )
        )
        _place(
            steps,
            Step(
                EventKind.REFUND_PAYMENT.value,
                "",
                at,
                **_who(official),
                note=REFUND_REASON,
                data={"payment": str(second.pk), "amount": second.amount},
            ),
        )


def save_fees(rows: FeeRows) -> None:
    """Insert the fee rows (after their dossiers) and move the receipt counters past the
    numbers used (the caller holds the transaction)."""
    insert_rows(PaymentRequest, rows.requests)
    insert_rows(Payment, rows.payments)
    insert_rows(Refund, rows.refunds)
    insert_rows(Receipt, rows.receipts)
    last: dict[tuple, int] = {}
    for receipt in rows.receipts:
        key = (receipt.unit_id, receipt.series, receipt.year)
        last[key] = max(last.get(key, 0), receipt.number)
    if last:
        keep_at_least(
            ReceiptCounter._meta.db_table,
            ("unit_id", "series", "year"),
            [(*key, number) for key, number in last.items()],
        )


def sign_recent_receipts(desk: Desk, password: str, limit: int = SIGNED_RECEIPTS) -> int:
    """Sign the ``limit`` latest receipts still waiting, with the unit's seal (its PKCS#12
    passphrase: ``password``); the number signed. ``payments.receipts.sign_pending`` signs
    the oldest first, the demo wants the ones on the recent pages."""
    waiting = list(
        Receipt.objects.filter(unit=desk.unit, pdf__isnull=True).order_by("-issued_at")[:limit]
    )
    if not waiting:
        return 0
    signer = open_signer(certificate_for(desk.unit, None), password)
    for receipt in reversed(waiting):
        with transaction.atomic():
            sign_one(receipt, signer)
    return len(waiting)
