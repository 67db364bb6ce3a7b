"""Every write about a dossier's fee: the request, cash at the desk, a transfer found in a
bank statement or a bank's notice, a payment on the national platform, refunds, and the
electronic receipts.

Each public function is one transaction holding the dossier's row lock
(:func:`motcua.dossiers.ledger.lock_dossier`), with exactly one ledger event (the fee's
:data:`~motcua.core.lifecycle.PAYMENT_EVENTS`), the citizen's message and the national
portal's outbox rows written with it. A counted payment takes its receipt number in the
same transaction, so numbers are never skipped (a rolled-back payment gives its number back)
nor reused; the receipt's PDF is rendered and signed after the commit by
:func:`motcua.payments.tasks.sign_receipts`. Rules and sources: docs/fees.md.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field, replace
from datetime import datetime, time

from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.accounts.models import User
from motcua.background import enqueue_with_change
from motcua.core import fees, lifecycle
from motcua.core.bankhook import BankCredit
from motcua.core.errors import AccessError, DomainError
from motcua.core.formatting import money_vi
from motcua.core.lifecycle import EventKind, State
from motcua.core.localtime import LOCAL_TZ
from motcua.core.receipts import is_tax_code, receipt_year
from motcua.core.statements import (
    Flag,
    OpenRequest,
    StatementLine,
    match_lines,
    parse_statement_table,
)
from motcua.core.text import nfc
from motcua.core.vietqr import check_account, transfer_message
from motcua.counters import take_next
from motcua.documents.certificates import certificate_for, open_signer
from motcua.dossiers.ledger import append_event, lock_dossier
from motcua.dossiers.models import Dossier, FeePaidVia
from motcua.dossiers.queries import access_dossier
from motcua.dvcqg.outbox import record_event
from motcua.notifications.actions import queue_for_action
from motcua.payments.models import (
    Payment,
    PaymentRequest,
    PaymentSettings,
    Receipt,
    ReceiptCounter,
    Refund,
    StatementImport,
)
from motcua.payments.providers import provider_on
from motcua.payments.receipts import (
    SERIES_LETTERS,
    content_of,
    receipt_data,
    series_for,
    sign_pending,
)
from motcua.payments.tasks import cancel_receipt, sign_receipts
from motcua.units.access import READ_ONLY, check_manage_unit, check_view_unit
from motcua.units.audit import record_change
from motcua.units.models import ConfigChange, Unit


class PaymentError(DomainError):
    """A fee request, payment, refund or receipt that cannot be made."""

    default_code = "invalid_payment"


# A fee can be asked once the dossier is received, until its result is returned.
REQUEST_STATES = frozenset({*lifecycle.IN_PROGRESS, State.DONE})
MAX_TENDERED = 10_000_000_000
REASON_LENGTH = 500


def check_desk_role(user: User, unit: Unit) -> None:
    """Only the desk's officials (specialist, head, deputy) of the unit handle fees."""
    check_view_unit(user, unit)
    if user.unit_id != unit.code or not (set(user.role_codes()) & lifecycle.DESK):
        raise AccessError(READ_ONLY, "read_only")


def may_handle_fees(user: User, unit: Unit) -> bool:
    try:
        check_desk_role(user, unit)
    except AccessError:
        return False
    return True


def settings_of(unit_id: str) -> PaymentSettings:
    found = PaymentSettings.objects.filter(unit_id=unit_id).first()
    return found if found is not None else PaymentSettings(unit_id=unit_id)


def _event(dossier: Dossier, kind: EventKind, user: User | None, now: datetime, **data):
    role = lifecycle.SPECIALIST
    if user is not None and user.is_authenticated:
        codes = set(user.role_codes())
        role = next((r for r in sorted(codes) if r in lifecycle.DESK), role)
    else:
        role = "system"
    note = data.pop("note", "")
    event = append_event(dossier, kind, actor=user, role=role, at=now, note=note, data=data)
    record_event(dossier, event)
    return event


def _save_fee(dossier: Dossier) -> None:
    dossier.save(update_fields=["fee_amount", "fee_paid_at", "fee_paid_via", "updated_at"])


# --- the request -----------------------------------------------------------------------------


def quote_for(dossier: Dossier, case: fees.Case) -> fees.Quote:
    version = dossier.procedure_version
    return fees.quote(fees.rule_from_dict(version.fee_rule), case, version.name)


def build_request(
    dossier: Dossier, quote: fees.Quote, case: fees.Case, *, at: datetime, by: User | None
) -> PaymentRequest:
    """The (unsaved) request for ``quote`` of ``case``: its lines as they were computed and
    the transfer message its VietQR code carries (also used by the demo's bulk load)."""
    return PaymentRequest(
        dossier=dossier,
        unit_id=dossier.unit_id,
        amount=quote.amount,
        name=quote.name[:600],
        kind=quote.kind.value,
        lines=quote.as_dict()["lines"],
        basis=quote.basis,
        case={
            "pages": case.pages,
            "copies": case.copies,
            "units": case.units,
            "channel": case.channel.value,
            "exemption": case.exemption,
        },
        message=transfer_message(dossier.code),
        requested_at=at,
        requested_by=by,
    )


def open_request(dossier: Dossier) -> PaymentRequest | None:
    return PaymentRequest.objects.filter(dossier=dossier, status=PaymentRequest.Status.OPEN).first()


def request_payment(user: User, dossier_id, case: fees.Case) -> PaymentRequest:
    """Yêu cầu nộp phí, lệ phí for the amount the procedure's rule gives this case; the
    portal hears "yêu cầu thực hiện nghĩa vụ tài chính" and the citizen gets the amount and
    the tracking link (with the VietQR code)."""
    with transaction.atomic():
        dossier = access_dossier(user, dossier_id, lock=True)
        check_desk_role(user, dossier.unit)
        if dossier.state not in REQUEST_STATES:
            raise PaymentError(
                "Chỉ yêu cầu nộp phí, lệ phí khi hồ sơ đã tiếp nhận và chưa trả kết quả.",
                "payment_not_allowed",
            )
        if open_request(dossier) is not None:
            raise PaymentError(
                "Hồ sơ đang có yêu cầu nộp phí, lệ phí chưa thanh toán.", "payment_request_open"
            )
        if dossier.fee_paid_at is not None:
            raise PaymentError("Hồ sơ đã nộp phí, lệ phí.", "already_paid")
        quote = quote_for(dossier, case)
        if quote.amount <= 0:
            raise PaymentError(
                "Trường hợp này không phải nộp phí, lệ phí (miễn hoặc thủ tục không thu).",
                "nothing_to_pay",
            )
        now = timezone.now()
        request = build_request(dossier, quote, case, at=now, by=user)
        request.save(force_insert=True)
        dossier.fee_amount = quote.amount
        dossier.fee_paid_at = None
        dossier.fee_paid_via = ""
        _save_fee(dossier)
        queue_for_action(dossier, EventKind.REQUEST_PAYMENT.value)
        _event(
            dossier,
            EventKind.REQUEST_PAYMENT,
            user,
            now,
            request=str(request.pk),
            amount=quote.amount,
        )
    return request


def request_at_reception(user: User, dossier: Dossier, values: dict) -> PaymentRequest | None:
    """Right after a receipt at the desk: the fee of a procedure whose rule collects it at
    reception (``fees.CollectAt.RECEPTION``), for the case typed on the intake form
    (``values``: pages, copies, units, exemption). None when the procedure collects at the
    return, charges nothing, or the applicant owes nothing (an exemption)."""
    version = dossier.procedure_version
    rule = fees.rule_from_dict(version.fee_rule)
    if rule.is_free or rule.collect_at != fees.CollectAt.RECEPTION:
        return None
    online = dossier.channel in ("online", "online_assisted")
    case = fees.parse_case(
        {**values, "channel": (fees.Channel.ONLINE if online else fees.Channel.DESK).value}
    )
    if fees.quote(rule, case, version.name).amount <= 0:
        return None
    return request_payment(user, dossier.pk, case)


def cancel_request(user: User, dossier_id, reason: str) -> PaymentRequest:
    """Huỷ yêu cầu nộp phí (asked for the wrong case): nothing was paid on it yet."""
    reason = nfc(reason).strip()
    if not reason:
        raise PaymentError("Cần ghi lý do huỷ yêu cầu nộp phí, lệ phí.", "reason_required")
    with transaction.atomic():
        dossier = access_dossier(user, dossier_id, lock=True)
        check_desk_role(user, dossier.unit)
        request = open_request(dossier)
        if request is None:
            raise PaymentError("Hồ sơ không có yêu cầu nộp phí đang chờ.", "no_open_request")
        now = timezone.now()
        request.status = PaymentRequest.Status.CANCELLED
        request.closed_note = reason[:REASON_LENGTH]
        request.save(update_fields=["status", "closed_note"])
        dossier.fee_amount = None
        _save_fee(dossier)
        _event(
            dossier,
            EventKind.CANCEL_PAYMENT_REQUEST,
            user,
            now,
            note=reason[:REASON_LENGTH],
            request=str(request.pk),
        )
    return request


# --- payments --------------------------------------------------------------------------------


def _receipt_for(payment: Payment, dossier: Dossier, now: datetime, replaces=None) -> Receipt:
    """The payment's receipt with the next number of the unit's series this year (taken in
    this transaction, after its content was checked: a refused receipt spends no number)."""
    config = settings_of(dossier.unit_id)
    year = receipt_year(now)
    series = series_for(config, year)
    content = receipt_data(
        payment, dossier, config, series=series, number=1, issued_at=now, replaces=replaces
    )
    number = take_next(
        ReceiptCounter._meta.db_table,
        ("unit_id", "series", "year"),
        (dossier.unit_id, series, year),
    )
    return Receipt.objects.create(
        unit_id=dossier.unit_id,
        payment=payment,
        dossier=dossier,
        form_symbol=content.form_symbol,
        series=series,
        year=year,
        number=number,
        issued_at=now,
        replaces=replaces,
        content=content_of(replace(content, number=number)),
    )


@dataclass
class Recorded:
    payment: Payment
    receipt: Receipt | None
    change: int = 0  # cash: what to give back


def _take_payment(
    dossier: Dossier,
    request: PaymentRequest | None,
    *,
    via: str,
    amount: int,
    user: User | None,
    now: datetime,
    paid_at: datetime,
    reference: str = "",
    content: str = "",
    tendered: int | None = None,
    statement: StatementImport | None = None,
    flag: str = "",
) -> Recorded:
    """Record one payment on the locked dossier: counted (with its receipt) when it pays the
    open request exactly, else flagged for the desk with ``flag`` (its reason)."""
    if request is None:
        request = PaymentRequest.objects.filter(dossier=dossier).order_by("-requested_at").first()
    if not flag:
        if request is None or request.status == PaymentRequest.Status.CANCELLED:
            flag = "Yêu cầu nộp phí đã đóng (đã huỷ)"
        elif request.status == PaymentRequest.Status.PAID:
            flag = "Thanh toán trùng: yêu cầu đã được nộp"
        elif amount != request.amount:
            flag = f"Sai số tiền: phải nộp {money_vi(request.amount)}, đã nhận {money_vi(amount)}"
    if request is None:
        raise PaymentError("Hồ sơ chưa có yêu cầu nộp phí, lệ phí.", "no_open_request")
    try:
        with transaction.atomic():  # a reference seen before: the savepoint only rolls back
            payment = Payment.objects.create(
                request=request,
                dossier=dossier,
                unit_id=dossier.unit_id,
                via=via,
                amount=amount,
                tendered=tendered,
                reference=reference[:100],
                content=content[:500],
                paid_at=paid_at,
                recorded_at=now,
                recorded_by=user if user is not None and user.is_authenticated else None,
                status=Payment.Status.FLAGGED if flag else Payment.Status.COUNTED,
                flag=flag[:200],
                statement=statement,
            )
    except IntegrityError:
        raise PaymentError(
            f"Giao dịch số tham chiếu {reference} đã được ghi nhận trước đây.", "duplicate_payment"
        ) from None
    if flag:
        _event(
            dossier,
            EventKind.FLAG_PAYMENT,
            user,
            now,
            payment=str(payment.pk),
            amount=amount,
            via=via,
            flag=flag,
        )
        return Recorded(payment, None)
    request.status = PaymentRequest.Status.PAID
    request.paid_at = paid_at
    request.save(update_fields=["status", "paid_at"])
    dossier.fee_paid_at = paid_at
    dossier.fee_paid_via = via
    _save_fee(dossier)
    receipt = _receipt_for(payment, dossier, now)
    queue_for_action(dossier, EventKind.RECORD_PAYMENT.value)
    _event(
        dossier,
        EventKind.RECORD_PAYMENT,
        user,
        now,
        payment=str(payment.pk),
        amount=amount,
        via=via,
        receipt=f"{receipt.series} {receipt.number:08d}",
    )
    enqueue_with_change(sign_receipts, str(dossier.unit_id), str(receipt.pk))
    change = (tendered - amount) if tendered is not None else 0
    return Recorded(payment, receipt, change)


def record_cash(user: User, dossier_id, tendered: int | None = None) -> Recorded:
    """Thu tiền mặt tại Bộ phận Một cửa: the request's amount, ``tendered`` the money handed
    over (the change is given back); the receipt is issued with it."""
    with transaction.atomic():
        dossier = access_dossier(user, dossier_id, lock=True)
        check_desk_role(user, dossier.unit)
        request = open_request(dossier)
        if request is None:
            raise PaymentError("Hồ sơ không có yêu cầu nộp phí đang chờ.", "no_open_request")
        if tendered is not None:
            if tendered > MAX_TENDERED:
                raise PaymentError("Số tiền khách đưa quá lớn.", "invalid_payment")
            if tendered < request.amount:
                raise PaymentError(
                    f"Số tiền khách đưa ({money_vi(tendered)}) ít hơn số phải nộp "
                    f"({money_vi(request.amount)}).",
                    "invalid_payment",
                )
        now = timezone.now()
        return _take_payment(
            dossier,
            request,
            via=FeePaidVia.CASH,
            amount=request.amount,
            user=user,
            now=now,
            paid_at=now,
            tendered=tendered,
        )


def record_transfer(
    unit_id: str,
    dossier_id,
    *,
    amount: int,
    reference: str,
    content: str,
    paid_at: datetime,
    via: str = FeePaidVia.BANK,
    user: User | None = None,
    statement: StatementImport | None = None,
    flag: str = "",
) -> Recorded:
    """A transfer the bank (a statement line, a balance-change notice) or the national
    payment platform reports for a dossier of ``unit_id``."""
    with transaction.atomic():
        dossier = lock_dossier(dossier_id)
        if dossier.unit_id != unit_id:
            raise PaymentError("Hồ sơ không thuộc đơn vị này.", "dossier_not_found")
        return _take_payment(
            dossier,
            None,
            via=via,
            amount=amount,
            user=user,
            now=timezone.now(),
            paid_at=paid_at,
            reference=reference,
            content=content,
            statement=statement,
            flag=flag,
        )


def refund(user: User, payment_id, reason: str) -> Refund:
    """Hoàn trả a payment (a double payment, a wrong amount, a dossier that will not be
    decided): its receipt, if any, is cancelled with the same reason."""
    reason = nfc(reason).strip()
    if not reason:
        raise PaymentError("Cần ghi lý do hoàn trả.", "reason_required")
    payment = Payment.objects.filter(pk=payment_id).only("dossier_id").first()
    if payment is None:
        raise PaymentError("Không có khoản nộp này.", "payment_not_found")
    with transaction.atomic():
        dossier = access_dossier(user, payment.dossier_id, lock=True)
        check_desk_role(user, dossier.unit)
        payment = Payment.objects.select_related("request").get(pk=payment_id)
        if payment.status == Payment.Status.REFUNDED:
            raise PaymentError("Khoản nộp này đã được hoàn trả.", "already_refunded")
        now = timezone.now()
        counted = payment.status == Payment.Status.COUNTED
        payment.status = Payment.Status.REFUNDED
        payment.save(update_fields=["status"])
        done = Refund.objects.create(
            payment=payment,
            unit_id=dossier.unit_id,
            amount=payment.amount,
            reason=reason[:REASON_LENGTH],
            refunded_at=now,
            refunded_by=user,
        )
        for receipt in payment.receipts.filter(status=Receipt.Status.ISSUED):
            receipt.status = Receipt.Status.CANCELLED
            receipt.cancelled_at = now
            receipt.cancel_reason = f"Hoàn trả: {reason}"[:REASON_LENGTH]
            receipt.save(update_fields=["status", "cancelled_at", "cancel_reason"])
            enqueue_with_change(cancel_receipt, str(receipt.pk))
        if counted:  # the request is open again (or cancelled by the desk)
            request = payment.request
            request.status = PaymentRequest.Status.CANCELLED
            request.closed_note = f"Hoàn trả: {reason}"[:REASON_LENGTH]
            request.save(update_fields=["status", "closed_note"])
            dossier.fee_amount = None
            dossier.fee_paid_at = None
            dossier.fee_paid_via = ""
            _save_fee(dossier)
        _event(
            dossier,
            EventKind.REFUND_PAYMENT,
            user,
            now,
            note=reason[:REASON_LENGTH],
            payment=str(payment.pk),
            amount=payment.amount,
        )
    return done


def replace_receipt(user: User, receipt_id, reason: str) -> Receipt:
    """Huỷ a receipt issued with a mistake and issue its replacement (a new number of the
    series, saying which receipt it replaces), both recorded in one event."""
    reason = nfc(reason).strip()
    if not reason:
        raise PaymentError("Cần ghi lý do huỷ biên lai.", "reason_required")
    old = Receipt.objects.filter(pk=receipt_id).only("dossier_id").first()
    if old is None:
        raise PaymentError("Không có biên lai này.", "receipt_not_found")
    with transaction.atomic():
        dossier = access_dossier(user, old.dossier_id, lock=True)
        check_desk_role(user, dossier.unit)
        old = Receipt.objects.select_related("payment__request").get(pk=receipt_id)
        if old.status != Receipt.Status.ISSUED:
            raise PaymentError("Biên lai này đã bị huỷ.", "receipt_cancelled")
        now = timezone.now()
        old.status = Receipt.Status.CANCELLED
        old.cancelled_at = now
        old.cancel_reason = reason[:REASON_LENGTH]
        old.save(update_fields=["status", "cancelled_at", "cancel_reason"])
        new = _receipt_for(old.payment, dossier, now, replaces=old)
        _event(
            dossier,
            EventKind.REPLACE_RECEIPT,
            user,
            now,
            note=reason[:REASON_LENGTH],
            cancelled=f"{old.series} {old.number:08d}",
            receipt=f"{new.series} {new.number:08d}",
        )
        enqueue_with_change(cancel_receipt, str(old.pk))
        enqueue_with_change(sign_receipts, str(dossier.unit_id), str(new.pk))
    return new


# --- bank statements -------------------------------------------------------------------------


@dataclass
class ImportResult:
    record: StatementImport
    matched: list[dict] = field(default_factory=list)
    flagged: list[dict] = field(default_factory=list)
    unmatched: list[dict] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)


def _line_dict(line: StatementLine, **extra) -> dict:
    return {
        "row": line.row,
        "booked_on": line.booked_on.strftime("%d/%m/%Y"),
        "amount": line.amount,
        "content": line.content,
        "reference": line.reference,
        **extra,
    }


def import_statement(
    user: User, unit: Unit, file_name: str, headers: list[str], rows: list[list[str]]
) -> ImportResult:
    """Import a bank statement of ``unit``'s collection account (its table read from the CSV
    or XLSX by :mod:`motcua.tabular`): a bad file is refused whole with its rows' errors and
    nothing stored; each line that names a request's dossier pays it when the request is
    open and the amount exact; a second payment, a wrong amount or a payment for a closed
    request is kept flagged for the desk; a line seen before (its reference) is skipped; the
    rest is listed as not matched."""
    check_desk_role(user, unit)
    lines = parse_statement_table(headers, rows)
    digest = hashlib.sha256(repr((headers, rows)).encode()).hexdigest()
    requests, wanted = requests_to_match(unit.pk)
    seen = set(
        Payment.objects.filter(unit=unit)
        .filter(reference__in=[line.reference for line in lines if line.reference])
        .values_list("reference", flat=True)
    )
    report = match_lines(lines, wanted, seen)
    now = timezone.now()
    with transaction.atomic():
        record = StatementImport.objects.create(
            unit=unit, file_name=file_name[:255], digest=digest, imported_at=now, imported_by=user
        )
        result = ImportResult(record)
        for found in [*report.matched, *report.flagged]:
            request = requests[found.request.id]
            flag = flag_text(found) if isinstance(found, Flag) else ""
            recorded = record_transfer(
                unit.pk,
                request.dossier_id,
                amount=found.line.amount,
                reference=found.line.reference,
                content=found.line.content,
                paid_at=_booked(found.line),
                user=user,
                statement=record,
                flag=flag,
            )
            target = result.flagged if recorded.receipt is None else result.matched
            target.append(
                _line_dict(found.line, dossier=request.dossier.code, flag=recorded.payment.flag)
            )
        result.unmatched = [_line_dict(line) for line in report.unmatched]
        result.duplicates = [_line_dict(line) for line in report.duplicates]
        record.report = {
            "matched": result.matched,
            "flagged": result.flagged,
            "unmatched": result.unmatched,
            "duplicates": result.duplicates,
        }
        record.save(update_fields=["report"])
    return result


def requests_to_match(unit_id: str) -> tuple[dict, list[OpenRequest]]:
    """The unit's requests (by id) and their form for the matcher: open ones to pay, paid
    and cancelled ones so that a second payment or one for a closed request is flagged."""
    requests = {
        r.pk: r
        for r in PaymentRequest.objects.filter(unit_id=unit_id)
        .select_related("dossier")
        .only("id", "message", "amount", "status", "dossier__code", "dossier_id")
    }
    wanted = [
        OpenRequest(
            id=pk, dossier_code=r.dossier.code, message=r.message, amount=r.amount, status=r.status
        )
        for pk, r in requests.items()
    ]
    return requests, wanted


def flag_text(found: Flag) -> str:
    """ "Sai số tiền: nhận 20.000 đồng, yêu cầu 50.000 đồng"."""
    reason = found.reason.value
    return f"{reason[:1].upper()}{reason[1:]}: {found.detail}" if found.detail else reason


def _booked(line: StatementLine) -> datetime:
    """When a statement line's money arrived: its day, at 00:00 in Việt Nam (statements give
    the day; a notice gives the moment)."""
    return datetime.combine(line.booked_on, time(0), tzinfo=LOCAL_TZ)


def credit_from_bank(unit_id: str, credit: BankCredit) -> str:
    """A bank's balance-change notice of a credit to the unit's account: it pays the request
    it names (or is kept flagged); ``matched``, ``flagged``, ``unmatched`` or ``duplicate``
    (a notice sent again: never counted twice)."""
    line = credit.to_line()
    requests, wanted = requests_to_match(unit_id)
    reference = line.reference
    seen = set(
        Payment.objects.filter(unit_id=unit_id, reference=reference).values_list(
            "reference", flat=True
        )
    )
    report = match_lines([line], wanted, seen)
    if report.duplicates:
        return "duplicate"
    found = [*report.matched, *report.flagged]
    if not found:
        return "unmatched"
    item = found[0]
    try:
        recorded = record_transfer(
            unit_id,
            requests[item.request.id].dossier_id,
            amount=line.amount,
            reference=reference,
            content=line.content,
            paid_at=credit.booked_at.replace(tzinfo=LOCAL_TZ),
            flag=flag_text(item) if isinstance(item, Flag) else "",
        )
    except PaymentError as error:
        if error.code == "duplicate_payment":
            return "duplicate"
        raise
    return "matched" if recorded.receipt is not None else "flagged"


def sign_waiting_receipts(user: User, unit: Unit, passphrase: str) -> int:
    """Văn thư ký số biên lai: sign the unit's receipts that wait, with the seal certificate
    and its passphrase typed now (never stored); the number signed."""
    check_view_unit(user, unit)
    if user.unit_id != unit.code or not (
        set(user.role_codes()) & {lifecycle.CLERK, lifecycle.HEAD, lifecycle.DEPUTY}
    ):
        raise AccessError(READ_ONLY, "read_only")
    if provider_on():  # the provider signs: no seal to open
        return sign_pending(unit.pk)
    signer = open_signer(certificate_for(unit, None), passphrase)  # a wrong passphrase: 400
    return sign_pending(unit.pk, signer=signer)


# --- the unit's settings ---------------------------------------------------------------------

RECEIPT_FORMS = frozenset({"EBL01", "EBL02"})
SETTING_FIELDS = (
    "bank_bin",
    "bank_name",
    "account_number",
    "account_name",
    "tax_code",
    "receipt_form_symbol",
    "receipt_series",
    "delegation_notice",
)


def change_settings(user: User, unit: Unit, values: dict[str, str]) -> PaymentSettings:
    """The unit's collection account, tax code and receipt symbols, with the configuration
    log's row (who, when, before, after)."""
    check_manage_unit(user, unit)
    clean = {
        name: nfc(str(values.get(name, ""))).replace("\x00", "").strip() for name in SETTING_FIELDS
    }
    if clean["bank_bin"] or clean["account_number"]:
        check_account(clean["bank_bin"], clean["account_number"])
    # The same formats a receipt is checked against (core.receipts.check_receipt, TT 91/2026
    # Phụ lục II): refused here, not at the first payment of the day.
    if clean["tax_code"] and not is_tax_code(clean["tax_code"]):
        raise PaymentError(
            "Mã số thuế gồm 10 chữ số (đơn vị phụ thuộc thêm “-” và 3 chữ số) hoặc 12 chữ số.",
            "invalid_payment",
        )
    clean["receipt_form_symbol"] = clean["receipt_form_symbol"].upper()
    if clean["receipt_form_symbol"] and clean["receipt_form_symbol"] not in RECEIPT_FORMS:
        raise PaymentError(
            "Ký hiệu mẫu biên lai điện tử là EBL01 (biên lai không in sẵn mệnh giá) "
            "hoặc EBL02 (có in sẵn mệnh giá).",
            "invalid_payment",
        )
    if len(clean["delegation_notice"]) > 2000:
        raise PaymentError(
            "Thông báo ủy nhiệm lập biên lai dài quá 2.000 ký tự.", "invalid_payment"
        )
    clean["receipt_series"] = clean["receipt_series"].upper()
    letters = clean["receipt_series"]
    if letters and (len(letters) != 2 or not set(letters) <= SERIES_LETTERS):
        raise PaymentError(
            "Ký hiệu biên lai: hai chữ cái chọn trong A, B, C, D, E, G, H, K, L, M, N, P, Q, R, "
            "S, T, U, V, X, Y (ví dụ AA); năm và chữ T phần mềm tự thêm.",
            "invalid_payment",
        )
    with transaction.atomic():
        config = PaymentSettings.objects.select_for_update().filter(unit=unit).first()
        config = config or PaymentSettings(unit=unit)
        before = {name: getattr(config, name) for name in SETTING_FIELDS}
        for name, value in clean.items():
            setattr(config, name, value[: PaymentSettings._meta.get_field(name).max_length])
        config.save()
        record_change(
            ConfigChange.Kind.PAYMENT_SETTINGS,
            unit=unit,
            actor=user,
            target="Thu phí, lệ phí",
            before=before,
            after={name: getattr(config, name) for name in SETTING_FIELDS},
        )
    return config


def new_webhook_key(user: User, unit: Unit) -> str:
    """A new key for the bank's balance-change notices (shown once; only its digest is
    kept)."""
    check_manage_unit(user, unit)
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        config = PaymentSettings.objects.select_for_update().filter(unit=unit).first()
        config = config or PaymentSettings(unit=unit)
        config.webhook_key_digest = hashlib.sha256(key.encode()).hexdigest()
        config.save()
        record_change(
            ConfigChange.Kind.PAYMENT_SETTINGS,
            unit=unit,
            actor=user,
            target="Khoá nhận thông báo biến động số dư",
            note="Tạo khoá mới",
        )
    return key
