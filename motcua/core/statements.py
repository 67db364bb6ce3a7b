"""Bank statements (sao kê tài khoản): read the credits of a unit's own account from a bank's
export, and match each credit to the payment request it pays.

Pure Python, no Django import. The importer reads the file with ``motcua.tabular`` and calls
:func:`parse_statement` (rows as dicts keyed by header) or :func:`parse_statement_table`
(header row found below the bank's title lines); any error refuses the whole file
(:class:`StatementError`, nothing returned). :func:`match_lines` then sorts the credits into
matched, flagged for a person, unmatched and already imported.

Column names, as the banks' exports write them (checked on public parsers of those exports;
other spellings come from the same family and are accepted after folding):

- Vietcombank: "Ngày giao dịch", "Số tham chiếu", "Số tiền ghi nợ", "Số tiền ghi có", "Mô tả";
  its multi-account template: "Ngày", "Nợ", "Có", "Số dư".
- BIDV: "Ngày hiệu lực", "Ghi nợ", "Ghi có", "Mô tả", "Số dư".
- VietinBank (eFAST): bilingual headers "Ngày hạch toán / Accounting date",
  "Ngày phát sinh / Transaction date", "Nợ / Debit", "Có / Credit",
  "Mô tả giao dịch / Transaction description", "Số giao dịch / Transaction number".
- Techcombank: "Ngày giao dịch", "Số bút toán / Reference", "Diễn giải / Description",
  "Có / Credit".
- Agribank: no export was found to check; "Ngày GD", "Nội dung giao dịch", "Số tiền ghi có"
  are the generic spellings. Add a spelling to ``COLUMNS`` when a real file shows another.

Amounts are whole đồng (VND has no smaller unit in use). :func:`parse_amount` says which
writings are read and which are refused as ambiguous.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from motcua.core.errors import DomainError
from motcua.core.formatting import money_vi
from motcua.core.procedure_rows import value_key
from motcua.core.reconcile import MAX_YEAR, MIN_YEAR, parse_moment
from motcua.core.text import fold, nfc

MAX_AMOUNT = 1_000_000_000_000  # far above any fee; a typing slip is refused, not imported
MAX_SHOWN_ERRORS = 50
# A request's dossier code or transfer message shorter than this (letters and digits only) is
# not looked for: a short word such as "PHI" would be found in every other transfer.
MIN_NEEDLE = 6
# How far below the top of the sheet the header row may be (the bank's title, account, period)
HEADER_SEARCH_ROWS = 30

# Canonical column → accepted spellings (value_key of the header, or of one half of a
# bilingual "Việt / English" header), in order of preference when a file has several.
COLUMNS: dict[str, tuple[str, ...]] = {
    "booked_on": (
        "ngay_giao_dich",
        "ngay_gd",
        "ngay_hieu_luc",
        "ngay_phat_sinh",
        "ngay_hach_toan",
        "transaction_date",
        "ngay",
        "date",
    ),
    "credit": (
        "so_tien_ghi_co",
        "ghi_co",
        "phat_sinh_co",
        "so_tien_co",
        "co",
        "credit",
        "so_tien",
        "amount",
    ),
    "debit": ("so_tien_ghi_no", "ghi_no", "phat_sinh_no", "so_tien_no", "no", "debit"),
    "content": (
        "noi_dung",
        "noi_dung_giao_dich",
        "noi_dung_chuyen_khoan",
        "dien_giai",
        "mo_ta",
        "mo_ta_giao_dich",
        "chi_tiet_giao_dich",
        "transaction_description",
        "description",
        "narrative",
    ),
    "reference": (
        "so_tham_chieu",
        "ma_giao_dich",
        "so_but_toan",
        "so_giao_dich",
        "ma_gd",
        "reference",
        "reference_number",
        "transaction_number",
        "transaction_id",
    ),
}
REQUIRED = ("booked_on", "credit", "content", "reference")
LABELS = {
    "booked_on": "ngày giao dịch (Ngày giao dịch, Ngày GD hoặc Ngày hiệu lực)",
    "credit": "số tiền ghi có (Số tiền ghi có, Ghi có, Số tiền hoặc Credit)",
    "debit": "số tiền ghi nợ",
    "content": "nội dung (Nội dung, Diễn giải, Mô tả hoặc Nội dung giao dịch)",
    "reference": "số tham chiếu (Số tham chiếu, Mã giao dịch, Số bút toán hoặc Reference)",
}
# Rows a bank adds below or between its transactions: totals, opening and closing balances.
_SUMMARY_PREFIXES = ("tong", "cong", "total", "so du", "opening", "closing")
_CURRENCY = re.compile(r"(?:vnd|vnđ|đồng|đ|₫)$", re.IGNORECASE)


class StatementError(DomainError, ValueError):
    """A statement that cannot be imported; ``errors`` lists every problem as "Dòng N: …"
    (N = the row in the file, the header being row 1). Nothing is returned or stored."""

    default_code = "invalid_statement"

    def __init__(self, errors: Sequence[str]):
        self.errors = list(errors)
        shown = "\n".join(f"  - {e}" for e in self.errors[:MAX_SHOWN_ERRORS])
        more = len(self.errors) - MAX_SHOWN_ERRORS
        tail = f"\n  … và {more} lỗi khác" if more > 0 else ""
        super().__init__(f"Sao kê có {len(self.errors)} lỗi, chưa nhập gì:\n{shown}{tail}")


@dataclass(frozen=True)
class StatementLine:
    """One credit to the unit's account (một giao dịch ghi có trên sao kê)."""

    row: int  # the row in the file (header = 1); 0 for a credit that came by webhook
    booked_on: date
    amount: int  # đồng, > 0
    content: str  # the transfer's content as the bank wrote it (NFC, single spaces)
    reference: str  # the bank's reference of the transaction


# --- amounts ---------------------------------------------------------------------------------


def parse_amount(text: str) -> int:
    """A credit in whole đồng. ValueError (Vietnamese message) when it cannot be read safely.

    Read: "12000", "12.000", "12,000", "1.234.567", "1,234,567", "12.000,00", "12,000.00",
    "12000,00", with spaces, a leading "+" or a trailing "VND"/"đ". The rules, since VND has
    no minor unit in use:

    - a separator followed by exactly three digits groups thousands, whichever it is
      (so "12,000" and "12.000" are both twelve thousand);
    - a separator followed by one or two digits at the end is a decimal mark; the decimals
      must be zeros ("12.000,50" is refused: half a đồng is not a fee);
    - the thousands must use one separator, groups of three, and not the decimal mark.

    Refused: negative amounts ("-12.000", "(12.000)"), "12,5" or "1.2345" (not thousands, not
    a whole đồng), mixed separators without decimals ("1.234,567"), anything not a number.
    """
    raw = nfc(text).replace("\u00a0", " ")
    cleaned = _CURRENCY.sub("", raw.replace(" ", "")).strip()
    if cleaned.startswith("+"):
        cleaned = cleaned[1:]
    if cleaned.startswith("-") or cleaned.endswith("-") or cleaned.startswith("("):
        raise ValueError(f"“{raw}” là số tiền âm (ghi nợ?): sao kê cần số tiền ghi có dương")
    if not cleaned or not re.fullmatch(r"[0-9.,]+", cleaned) or not cleaned[0].isdigit():
        raise ValueError(f"“{raw}” không phải số tiền")
    whole, decimals = cleaned, ""
    last = max(cleaned.rfind("."), cleaned.rfind(","))
    if last >= 0 and len(cleaned) - last - 1 in (1, 2):
        whole, decimals = cleaned[:last], cleaned[last + 1 :]
        mark = cleaned[last]
        if mark in whole or not decimals.isdigit():
            raise ValueError(f"“{raw}” không rõ dấu thập phân")
        if set(decimals) != {"0"}:
            raise ValueError(f"“{raw}” có phần lẻ dưới một đồng")
    separators = set(re.sub(r"[0-9]", "", whole))
    if len(separators) > 1:
        raise ValueError(f"“{raw}” không rõ dấu phân cách hàng nghìn (dùng cả “.” và “,”)")
    if separators:
        groups = re.split(r"[.,]", whole)
        if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
            raise ValueError(f"“{raw}” không rõ: dấu phân cách hàng nghìn phải cách 3 chữ số")
    value = int(re.sub(r"[.,]", "", whole))
    if value > MAX_AMOUNT:
        raise ValueError(f"“{raw}” lớn quá mức một khoản phí")
    return value


# --- headers ---------------------------------------------------------------------------------


def _header_keys(header: str) -> list[str]:
    """The keys a header can be known by: the whole, then each half of "Việt / English"."""
    text = str(header or "")
    keys = [value_key(text)]
    for part in re.split(r"[/\n|]", text):
        key = value_key(part)
        if key and key not in keys:
            keys.append(key)
    # "Ghi có (VND)" is "Ghi có"
    return keys + [k[: -len("_vnd")] for k in keys if k.endswith("_vnd")]


def find_columns(headers: Sequence[str]) -> tuple[dict[str, str], list[str]]:
    """Canonical column → the header of the file that holds it, and the header errors."""
    chosen: dict[str, tuple[int, str]] = {}
    errors: list[str] = []
    for header in headers:
        keys = _header_keys(header)
        for name, spellings in COLUMNS.items():
            ranks = [spellings.index(k) for k in keys if k in spellings]
            if not ranks:
                continue
            rank = min(ranks)
            if name in chosen and chosen[name][0] == rank:
                errors.append(
                    f"Dòng 1: hai cột cùng là {LABELS[name].split(' (')[0]}: "
                    f"“{chosen[name][1]}” và “{header}”"
                )
            elif name not in chosen or rank < chosen[name][0]:
                chosen[name] = (rank, header)
            break  # one header is one column
    missing = [name for name in REQUIRED if name not in chosen]
    if missing:
        errors.append("Dòng 1: thiếu cột " + "; ".join(LABELS[m] for m in missing))
    return {name: header for name, (_rank, header) in chosen.items()}, errors


# --- rows ------------------------------------------------------------------------------------


def _is_summary(values: Iterable[str]) -> bool:
    first = next((v for v in values if v), "")
    return fold(first).startswith(_SUMMARY_PREFIXES)


def parse_statement(
    rows: Iterable[dict[str, str]],
    headers: Sequence[str] | None = None,
    *,
    first_row: int = 2,
) -> list[StatementLine]:
    """The credits of a statement, in file order. Raise :class:`StatementError` listing
    every problem found.

    ``rows`` are dicts keyed by the header of the file; ``headers`` defaults to the keys of
    the first row (give it when the file may have no data row). ``first_row`` is the number
    the first dict has in the file (2: right below the header). Blank rows, total and balance
    rows, and debit rows (no credit) are skipped; a credit row needs a date, a content may be
    empty, a reference is required (it is how a second import of the same file is known).
    """
    rows = list(rows)
    if headers is None:
        headers = list(rows[0]) if rows else []
    if not headers and not rows:
        return []
    where, errors = find_columns([str(h) for h in headers])
    if errors:
        raise StatementError(errors)
    lines: list[StatementLine] = []
    seen: dict[str, int] = {}
    for number, values in enumerate(rows, start=first_row):
        cells = {k: nfc(str(v if v is not None else "")) for k, v in values.items()}
        if not any(cells.values()):
            continue
        v = {name: cells.get(header, "") for name, header in where.items()}
        if _is_summary([v["booked_on"]]) or (not v["booked_on"] and _is_summary(cells.values())):
            continue
        row_errors: list[str] = []
        amount = 0
        if v["credit"]:
            try:
                amount = parse_amount(v["credit"])
            except ValueError as exc:
                row_errors.append(f"Dòng {number}: {exc} (cột “{where['credit']}”)")
        debit = v.get("debit", "")
        if not row_errors and amount == 0:
            continue  # a debit row, or a credit of nothing: not a payment
        if debit and not row_errors:
            try:
                debit_amount = parse_amount(debit)
            except ValueError:
                debit_amount = 1
            if debit_amount:
                row_errors.append(
                    f"Dòng {number}: có cả ghi nợ (“{debit}”) và ghi có (“{v['credit']}”)"
                )
        booked_on: date | None = None
        if not v["booked_on"]:
            row_errors.append(f"Dòng {number}: thiếu ngày giao dịch")
        else:
            try:
                booked_on = parse_moment(v["booked_on"]).date()
            except ValueError:
                row_errors.append(
                    f"Dòng {number}: “{v['booked_on']}” không phải ngày hợp lệ (dd/mm/yyyy, "
                    f"có thể kèm giờ HH:MM[:SS]; năm từ {MIN_YEAR} đến {MAX_YEAR})"
                )
        reference = v["reference"]
        key = reference_key(reference)
        if not key:
            row_errors.append(f"Dòng {number}: thiếu số tham chiếu của giao dịch")
        elif key in seen:
            row_errors.append(f"Dòng {number}: số tham chiếu “{reference}” trùng dòng {seen[key]}")
        else:
            seen[key] = number
        if row_errors:
            errors.extend(row_errors)
            continue
        assert booked_on is not None
        lines.append(StatementLine(number, booked_on, amount, v["content"], reference))
    if errors:
        raise StatementError(errors)
    return lines


def parse_statement_table(
    headers: Sequence[str], rows: Iterable[Sequence[str]]
) -> list[StatementLine]:
    """The same from a table as ``motcua.tabular`` reads it (its first row as ``headers``),
    when the bank puts its name, the account and the period above the header row: the header
    is the first of the top rows that names every required column. Row numbers stay those
    of the file."""
    table = [list(headers), *(list(r) for r in rows)]
    for index, candidate in enumerate(table[:HEADER_SEARCH_ROWS]):
        names = [str(c or "").strip() for c in candidate]
        _where, errors = find_columns(names)
        if errors:
            continue
        records = []
        for cells in table[index + 1 :]:
            record = {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(names) if h}
            records.append(record)
        return parse_statement(records, [h for h in names if h], first_row=index + 2)
    # no row names the columns: report what the first row lacks
    _where, errors = find_columns([str(h or "").strip() for h in headers])
    raise StatementError(errors)


# --- matching --------------------------------------------------------------------------------


def ends_there(folded: str, needle: str) -> bool:
    """``needle`` (a :func:`match_key`) is in ``folded`` (the content, folded), whatever the
    bank put between its letters and digits, and no digit follows it at once."""
    pattern = "[^a-z0-9]*".join(re.escape(ch) for ch in needle) + "(?![0-9])"
    return re.search(pattern, folded) is not None


def match_key(text: str) -> str:
    """Letters and digits only, folded: how a code is compared with what a bank kept of it.

    >>> match_key("000.00.05.H56-261201-0003")
    '00000005h562612010003'
    """
    return re.sub(r"[^a-z0-9]+", "", fold(text or ""))


def reference_key(reference: str) -> str:
    """A bank reference compared without case or surrounding spaces."""
    return nfc(reference or "").upper()


class RequestStatus(StrEnum):
    OPEN = "open"
    PAID = "paid"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class OpenRequest:
    """A payment request as the matcher sees it (yêu cầu thanh toán phí, lệ phí).

    ``message`` is the transfer message its VietQR carried; ``status`` is "open", "paid" or
    "cancelled" (any other status counts as closed).
    """

    id: Hashable
    dossier_code: str
    message: str
    amount: int
    status: str = RequestStatus.OPEN


class FlagReason(StrEnum):
    """Why a credit needs a person (lý do cần kiểm tra)."""

    WRONG_AMOUNT = "sai số tiền"
    DOUBLE_PAYMENT = "thanh toán trùng"
    CLOSED = "yêu cầu đã đóng"


@dataclass(frozen=True)
class Match:
    line: StatementLine
    request: OpenRequest


@dataclass(frozen=True)
class Flag:
    line: StatementLine
    request: OpenRequest
    reason: FlagReason
    detail: str


@dataclass
class MatchReport:
    """Every line of the statement lands in exactly one list."""

    matched: list[Match] = field(default_factory=list)
    flagged: list[Flag] = field(default_factory=list)
    unmatched: list[StatementLine] = field(default_factory=list)
    duplicates: list[StatementLine] = field(default_factory=list)

    @property
    def matched_total(self) -> int:
        return sum(m.line.amount for m in self.matched)


def match_lines(
    lines: Iterable[StatementLine],
    requests: Iterable[OpenRequest],
    already_seen_references: Collection[str] = (),
) -> MatchReport:
    """Sort credits against payment requests.

    A line is about a request when the request's dossier code or its transfer message is in
    the line's content, compared on letters and digits only, folded (banks drop the dots,
    dashes and spaces: "000.00.05.H56-261201-0003" arrives as "00000005H562612010003").
    Then, in this order:

    - its reference was imported before (``already_seen_references``) or earlier in these
      lines → ``duplicates``, never counted again;
    - no request → ``unmatched``;
    - the request is paid, or was matched by an earlier line → flagged "thanh toán trùng";
    - the request is cancelled or closed → flagged "yêu cầu đã đóng";
    - the amount differs → flagged "sai số tiền";
    - otherwise → ``matched``.

    When several requests are found in one line (two requests of one dossier), an open one
    not yet matched with the line's amount is preferred, then one whose message (not only its
    code) is found, then the first given.
    """
    report = MatchReport()
    seen = {reference_key(r) for r in already_seen_references}
    indexed = []
    for index, request in enumerate(requests):
        code, message = match_key(request.dossier_code), match_key(request.message)
        needles = [n for n in (message, code) if len(n) >= MIN_NEEDLE]
        indexed.append((index, request, needles, message))
    taken: set[int] = set()
    for line in lines:
        key = reference_key(line.reference)
        if key and key in seen:
            report.duplicates.append(line)
            continue
        if key:
            seen.add(key)
        haystack = match_key(line.content)
        # letters and digits only, to find it however the bank spaced it (a quick test on
        # every request); then confirmed on the content itself: no digit right after it, so
        # the sequence "0001" is not found in "00012" (digits glued before are the bank's)
        folded = fold(line.content or "")
        found = [
            (index, request, bool(message) and message in haystack and len(message) >= MIN_NEEDLE)
            for index, request, needles, message in indexed
            if any(n in haystack and ends_there(folded, n) for n in needles)
        ]
        if not found:
            report.unmatched.append(line)
            continue

        def preference(item: tuple[int, OpenRequest, bool], amount: int = line.amount):
            index, request, by_message = item
            usable = request.status == RequestStatus.OPEN and index not in taken
            return (not usable, request.amount != amount, not by_message, index)

        index, request, _ = min(found, key=preference)
        if request.status == RequestStatus.PAID or index in taken:
            report.flagged.append(
                Flag(line, request, FlagReason.DOUBLE_PAYMENT, "yêu cầu này đã được thanh toán")
            )
        elif request.status != RequestStatus.OPEN:
            report.flagged.append(Flag(line, request, FlagReason.CLOSED, "yêu cầu đã huỷ"))
        elif request.amount != line.amount:
            detail = f"nhận {money_vi(line.amount)}, yêu cầu {money_vi(request.amount)}"
            report.flagged.append(Flag(line, request, FlagReason.WRONG_AMOUNT, detail))
        else:
            taken.add(index)
            report.matched.append(Match(line, request))
    return report
