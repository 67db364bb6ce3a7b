"""Biên lai điện tử: the electronic receipt of a fee or charge, its number, its symbols, its
amount in words and the day's summary sent to the tax authority. Pure Python, no Django.

Sources (docs/fees.md §5, read in the texts): Nghị định 254/2026/NĐ-CP (replacing NĐ 123/2020)
Art. 23 k2 — the receipt's content (its name, the form and series symbols, a number of up to 8
digits that starts again at 1 on 1 January, the collecting unit's name and tax code, each fee
with its amount in figures and in words, the date, the collecting organisation's digital
signature, Vietnamese); Art. 29 k3 b and Thông tư 91/2026/TT-BTC Art. 4 k6 d — the summary of
the day's receipts (Mẫu 01/TH-BLĐT), sent on the day of issue; TT 91 Phụ lục II — the form
symbol EBL01/EBL02 and the series "26TAA" (year, T, two letters). The payer, the dossier code
and the method are printed too, as the extra information the decree allows. Every field is
one attribute of :class:`ReceiptData` (and one line of ``documents/receipt.html``), and
``extra`` carries any further "label: value" line.

The summary's columns are not confirmed (the form itself was not read): :func:`daily_summary`
keeps per receipt everything a summary could ask for. :func:`check_symbols` accepts what
symbols in use share (1–20 capital letters, digits, "-", "/", "."), old ones included; the
unit's settings (``payments.actions.change_settings``) take TT 91's forms only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import NamedTuple

from motcua.core.errors import DomainError
from motcua.core.fees import KIND_LABELS, FeeKind
from motcua.core.localtime import local_day

MAX_NUMBER = 99_999_999  # 8 digits (NĐ 254/2026 Art. 23 k2)
NUMBER_DIGITS = 8
MAX_SYMBOL = 20
TITLE = "Biên lai thu phí, lệ phí"


class ReceiptError(DomainError):
    """A receipt that cannot be numbered, issued or summarised (Vietnamese message)."""

    default_code = "invalid_receipt"


class PaymentMethod(StrEnum):
    """Hình thức thanh toán; the values are those of ``dossiers.models.FeePaidVia``."""

    CASH = "cash"
    BANK = "bank"
    PORTAL = "portal"


PAYMENT_LABELS = {
    PaymentMethod.CASH: "Tiền mặt",
    PaymentMethod.BANK: "Chuyển khoản",
    PaymentMethod.PORTAL: "Nền tảng thanh toán của Cổng DVCQG",
}


class ReceiptStatus(StrEnum):
    """What the day's summary says of a receipt (Mẫu 01/TH-BLĐT's status column)."""

    NEW = "new"  # lập mới
    REPLACEMENT = "replacement"  # lập thay thế cho một biên lai khác
    REPLACED = "replaced"  # đã bị một biên lai khác thay thế
    CANCELLED = "cancelled"  # đã huỷ: a record; the signed PDF is kept, never re-rendered


STATUS_LABELS = {
    ReceiptStatus.NEW: "Mới",
    ReceiptStatus.REPLACEMENT: "Thay thế",
    ReceiptStatus.REPLACED: "Bị thay thế",
    ReceiptStatus.CANCELLED: "Huỷ",
}
# A receipt whose amount is in the day's total: not cancelled, not replaced by another.
COUNTED = frozenset({ReceiptStatus.NEW, ReceiptStatus.REPLACEMENT})


class ReceiptLine(NamedTuple):
    """One line of the receipt: what is paid for, how many, at what price, for how much (the
    amount is given, not recomputed: a page fee capped per copy is not quantity × price)."""

    label: str
    quantity: int
    unit_price: int
    amount: int


@dataclass(frozen=True)
class ReceiptRef:
    """Which receipt: its form symbol, series, number and day of issue."""

    form_symbol: str
    series: str
    number: int
    issued_on: date


@dataclass(frozen=True)
class ReceiptData:
    """The content of one electronic receipt, as it is printed and signed."""

    unit_name: str  # tổ chức thu phí, lệ phí
    unit_tax_code: str
    unit_address: str
    form_symbol: str  # ký hiệu mẫu biên lai
    series: str  # ký hiệu biên lai
    number: int  # số biên lai, from 1 each year
    payer_name: str
    payer_address: str
    fee_name: str  # tên loại phí, lệ phí
    fee_kind: FeeKind
    lines: tuple[ReceiptLine, ...]
    payment_method: PaymentMethod
    issued_at: datetime  # aware
    dossier_code: str
    verify_url: str  # where the citizen checks it (the tracking page)
    payer_id_number: str = ""
    replaces: ReceiptRef | None = None
    collector_name: str = ""  # người thu tiền, when the desk names one
    title: str = TITLE
    # Further "label: value" lines, printed under the payer's, for a field the law adds.
    extra: tuple[tuple[str, str], ...] = field(default=())

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def number_text(self) -> str:
        return receipt_number(self.number)

    @property
    def issued_on(self) -> date:
        return local_day(self.issued_at)

    @property
    def ref(self) -> ReceiptRef:
        return ReceiptRef(self.form_symbol, self.series, self.number, self.issued_on)


def receipt_number(n: int) -> str:
    """12 → "00000012": the receipt's number on 8 digits, 1 to 99.999.999."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise ReceiptError("Số biên lai phải là số nguyên.")
    if n < 1:
        raise ReceiptError("Số biên lai bắt đầu từ 1.")
    if n > MAX_NUMBER:
        raise ReceiptError(
            "Số biên lai tối đa 8 chữ số (99.999.999); "
            "dãy số bắt đầu lại từ 1 vào ngày 01/01 năm sau."
        )
    return f"{n:0{NUMBER_DIGITS}d}"


def receipt_year(issued_at: datetime) -> int:
    """The year whose series a receipt is numbered in: its local year (Asia/Ho_Chi_Minh), so
    the numbers start again at 1 on 1 January at midnight in Việt Nam, not in UTC."""
    return local_day(issued_at).year


SYMBOL_RE = re.compile(r"^[A-ZĐ0-9](?:[A-ZĐ0-9./-]*[A-ZĐ0-9])?$")


def _check_symbol(value: str, what: str) -> str:
    value = unicodedata.normalize("NFC", value or "").strip()
    if not value:
        raise ReceiptError(f"Chưa có {what}.")
    if len(value) > MAX_SYMBOL:
        raise ReceiptError(f"{what.capitalize()} tối đa {MAX_SYMBOL} ký tự.")
    if not SYMBOL_RE.match(value):
        raise ReceiptError(
            f"{what.capitalize()} chỉ gồm chữ in hoa, chữ số và các dấu “-”, “/”, “.” "
            "(không có dấu cách, không bắt đầu hoặc kết thúc bằng dấu)."
        )
    return value


def check_symbols(form_symbol: str, series: str) -> tuple[str, str]:
    """The unit's form symbol and series, trimmed and in NFC, or a ReceiptError saying what
    is wrong (see the module's docstring for the format accepted)."""
    return (
        _check_symbol(form_symbol, "ký hiệu mẫu biên lai"),
        _check_symbol(series, "ký hiệu biên lai"),
    )


TAX_CODE = re.compile(r"\d{10}(-\d{3})?|\d{12}")


def is_tax_code(value: str) -> bool:
    """A tax code's form: 10 digits, 10 and a unit's 3 after "-", or 12 (a personal ID)."""
    return TAX_CODE.fullmatch(value.strip()) is not None


def check_receipt(data: ReceiptData) -> ReceiptData:
    """Refuse a receipt that could not be issued: missing names, a bad number or symbol, no
    line, a negative amount, a naive time."""
    receipt_number(data.number)
    check_symbols(data.form_symbol, data.series)
    for value, what in (
        (data.unit_name, "tên tổ chức thu"),
        (data.unit_tax_code, "mã số thuế của tổ chức thu"),
        (data.payer_name, "tên người nộp"),
        (data.fee_name, "tên loại phí, lệ phí"),
    ):
        if not value.strip():
            raise ReceiptError(f"Biên lai thiếu {what}.")
    if not is_tax_code(data.unit_tax_code):
        raise ReceiptError("Mã số thuế của tổ chức thu gồm 10 chữ số (chi nhánh: thêm -xxx).")
    if not data.lines:
        raise ReceiptError("Biên lai phải có ít nhất một khoản thu.")
    for line in data.lines:
        if line.quantity < 1 or line.unit_price < 0 or line.amount < 0:
            raise ReceiptError(f"Khoản “{line.label}”: số lượng, đơn giá hoặc số tiền sai.")
    if data.total <= 0:
        raise ReceiptError("Số tiền của biên lai phải lớn hơn 0.")
    if data.issued_at.tzinfo is None:
        raise ReceiptError("Thời điểm lập biên lai phải có múi giờ.")
    if data.replaces is not None:
        receipt_number(data.replaces.number)
    return data


def replacement_text(ref: ReceiptRef) -> str:
    """ "Thay thế cho biên lai số 00000012, ký hiệu mẫu 01BLP0-001, ký hiệu BI-26E, ngày
    02/12/2026" — printed on a replacement receipt and in the day's summary."""
    return (
        f"Thay thế cho biên lai số {receipt_number(ref.number)}, ký hiệu mẫu {ref.form_symbol}, "
        f"ký hiệu {ref.series}, ngày {ref.issued_on:%d/%m/%Y}"
    )


# --- the amount in words -------------------------------------------------------------------

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
MAX_WORDS_AMOUNT = 10**15 - 1  # far above MAX_PRICE; a thousand thousand billion


def _triple(n: int, leading: bool) -> list[str]:
    """Three digits in words. ``leading``: the number's first group, which has no "không
    trăm" and no "linh" before a lone unit (5 → "năm"; inside, 005 → "không trăm linh năm")."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or not leading:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            words += ["linh", DIGITS[units]] if words else [DIGITS[units]]
        return words
    words += ["mười"] if tens == 1 else [DIGITS[tens], "mươi"]
    if units == 1:
        words.append("mốt" if tens > 1 else "một")
    elif units == 4:
        words.append("tư" if tens > 1 else "bốn")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(DIGITS[units])
    return words


def _words(n: int, leading: bool = True) -> list[str]:
    """``n`` > 0 in words: groups of three digits with nghìn, triệu; tỷ repeats above."""
    billions, below = divmod(n, 10**9)
    words: list[str] = []
    if billions:
        words += [*_words(billions, leading), "tỷ"]
        leading = False
    for scale, name in ((10**6, "triệu"), (10**3, "nghìn"), (1, "")):
        group, below = divmod(below, scale)
        if group:
            words += _triple(group, leading) + ([name] if name else [])
            leading = False
    return words


def amount_in_words(amount: int) -> str:
    """A VND amount read in Vietnamese, capitalised, ending in "đồng".

    Conventions (chosen, as most receipts and accounting software print them): "nghìn" (not
    "ngàn"), "tỷ", "linh" for a zero ten (101 "một trăm linh một", not "lẻ"), "mốt" for 1
    after "mươi" (21 "hai mươi mốt"; 11 "mười một"), "lăm" for 5 after a ten (15 "mười lăm",
    25 "hai mươi lăm"; 105 "một trăm linh năm"), "tư" for 4 after "mươi" (24 "hai mươi tư";
    14 "mười bốn"); a zero group inside the number is left out, a short one is read with
    "không trăm" (1.005.000 "Một triệu không trăm linh năm nghìn đồng"). 0 → "Không đồng".
    """
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ReceiptError("Số tiền phải là số nguyên (đồng).")
    if amount < 0 or amount > MAX_WORDS_AMOUNT:
        raise ReceiptError("Số tiền phải từ 0 đến dưới một triệu tỷ đồng.")
    words = [*(_words(amount) if amount else ["không"]), "đồng"]
    text = " ".join(words)
    return text[0].upper() + text[1:]


# --- the day's summary (Mẫu 01/TH-BLĐT) ----------------------------------------------------


@dataclass(frozen=True)
class ReceiptSummaryRow:
    """One receipt as the day's summary reports it."""

    form_symbol: str
    series: str
    number: int
    issued_on: date
    fee_name: str
    fee_kind: FeeKind
    amount: int
    status: ReceiptStatus = ReceiptStatus.NEW
    replaces: ReceiptRef | None = None  # for a replacement
    note: str = ""  # the reason of a cancellation, …


# The columns of the summary, in order: key → heading (summary_xlsx and summary_xml use them).
SUMMARY_COLUMNS = {
    "stt": "STT",
    "form_symbol": "Ký hiệu mẫu biên lai",
    "series": "Ký hiệu biên lai",
    "from_number": "Từ số",
    "to_number": "Đến số",
    "count": "Số lượng",
    "issued_on": "Ngày lập",
    "fee_name": "Tên loại phí, lệ phí",
    "fee_kind": "Phí/Lệ phí",
    "amount": "Số tiền (đồng)",
    "status": "Trạng thái",
    "note": "Ghi chú",
}


def _row_note(row: ReceiptSummaryRow) -> str:
    parts = [replacement_text(row.replaces)] if row.replaces is not None else []
    if row.note.strip():
        parts.append(row.note.strip())
    return "; ".join(parts)


def daily_summary(receipts: Iterable[ReceiptSummaryRow], *, group_runs: bool = False) -> list[dict]:
    """The rows of the day's summary to the tax authority, in the order of form symbol,
    series and number.

    One row per receipt, or with ``group_runs`` one row per run of consecutive new receipts
    of the same symbols, day, fee and kind ("từ số … đến số …", the amounts summed). A
    cancelled, replaced or replacement receipt is always a row of its own, with its status
    and its note, so a cancellation is reported and never silently dropped. Each row is a
    dict with the keys of :data:`SUMMARY_COLUMNS`; numbers are 8-digit text.
    """
    ordered = sorted(receipts, key=lambda r: (r.form_symbol, r.series, r.number))
    seen: set[tuple[str, str, int]] = set()
    rows: list[dict] = []
    last: ReceiptSummaryRow | None = None
    for receipt in ordered:
        key = (receipt.form_symbol, receipt.series, receipt.number)
        if key in seen:
            raise ReceiptError(
                f"Biên lai số {receipt_number(receipt.number)} ký hiệu {receipt.series} "
                "có hai lần trong bảng tổng hợp."
            )
        seen.add(key)
        if receipt.amount < 0:
            raise ReceiptError("Số tiền của biên lai không được âm.")
        number = receipt_number(receipt.number)
        if (
            group_runs
            and last is not None
            and receipt.status == last.status == ReceiptStatus.NEW
            and not receipt.note
            and not last.note
            and (receipt.form_symbol, receipt.series, receipt.issued_on)
            == (last.form_symbol, last.series, last.issued_on)
            and (receipt.fee_name, receipt.fee_kind) == (last.fee_name, last.fee_kind)
            and receipt.number == last.number + 1
        ):
            row = rows[-1]
            row["to_number"] = number
            row["count"] += 1
            row["amount"] += receipt.amount
        else:
            rows.append(
                {
                    "stt": len(rows) + 1,
                    "form_symbol": receipt.form_symbol,
                    "series": receipt.series,
                    "from_number": number,
                    "to_number": number,
                    "count": 1,
                    "issued_on": receipt.issued_on,
                    "fee_name": receipt.fee_name,
                    "fee_kind": KIND_LABELS[FeeKind(receipt.fee_kind)],
                    "amount": receipt.amount,
                    "status": STATUS_LABELS[ReceiptStatus(receipt.status)],
                    "note": _row_note(receipt),
                }
            )
        last = receipt
    return rows


def summary_total(rows: Iterable[dict]) -> int:
    """What the day collected: the summary's amounts less those of cancelled and replaced
    receipts (a replacement's amount stands for the receipt it replaces)."""
    counted = {STATUS_LABELS[s] for s in COUNTED}
    return sum(row["amount"] for row in rows if row["status"] in counted)


# --- stored content ------------------------------------------------------------------------


def receipt_to_dict(data: ReceiptData) -> dict:
    """The receipt as JSON (``payments.Receipt.content``): frozen when it is issued."""
    content = asdict(data)
    content["issued_at"] = data.issued_at.isoformat()
    content["lines"] = [list(line) for line in data.lines]
    content["extra"] = [list(pair) for pair in data.extra]
    if data.replaces is not None:
        content["replaces"]["issued_on"] = data.replaces.issued_on.isoformat()
    return content


def receipt_from_dict(content: dict) -> ReceiptData:
    """The receipt back from :func:`receipt_to_dict`'s JSON."""
    values = dict(content)
    values["issued_at"] = datetime.fromisoformat(values["issued_at"])
    values["lines"] = tuple(ReceiptLine(*line) for line in values["lines"])
    values["extra"] = tuple(tuple(pair) for pair in values.get("extra", ()))
    values["fee_kind"] = FeeKind(values["fee_kind"])
    values["payment_method"] = PaymentMethod(values["payment_method"])
    if values.get("replaces"):
        ref = dict(values["replaces"])
        ref["issued_on"] = date.fromisoformat(ref["issued_on"])
        values["replaces"] = ReceiptRef(**ref)
    return ReceiptData(**values)
