"""A bank's balance-change notification (thông báo biến động số dư), as a webhook posts it.

Pure Python, no Django import. The payments endpoint checks the header with
:func:`authorised`, then turns the body into a :class:`BankCredit` with :func:`parse_notice`
and hands ``credit.to_line()`` to ``motcua.core.statements.match_lines``, like a statement
line.

The format is SePay's public webhook (developer.sepay.vn "Tích hợp webhooks", and its own
Laravel package ``sepayvn/laravel-sepay``, ``src/Datas/SePayWebhookData.php``): a POST of
one JSON object

    {"id": 92704, "gateway": "Vietcombank", "transactionDate": "2023-03-25 14:02:37",
     "accountNumber": "0123499999", "code": null, "content": "chuyen tien mua iphone",
     "transferType": "in", "transferAmount": 2277000, "accumulated": 19077000,
     "subAccount": null, "referenceCode": "MBVCB.3278907687", "description": ""}

``transferType`` is "in" (money in) or "out"; ``transactionDate`` is the bank's local time;
``id`` is SePay's own id of the transaction (the same on every retry: SePay retries a failed
delivery up to 7 times). With API-key authentication the request carries
``Authorization: Apikey <key>``.
"""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from motcua.core.errors import DomainError
from motcua.core.statements import MAX_AMOUNT, StatementLine
from motcua.core.text import nfc

MAX_BODY = 64 * 1024  # one notification is a few hundred bytes
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
REQUIRED = ("id", "gateway", "transactionDate", "accountNumber", "content", "transferType")
SCHEME = "apikey"


class BankNoticeError(DomainError, ValueError):
    """A notification that cannot be read (Vietnamese message listing every problem)."""

    default_code = "invalid_bank_notice"

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("Thông báo biến động số dư không hợp lệ: " + "; ".join(errors) + ".")


@dataclass(frozen=True)
class BankCredit:
    """Money in to the unit's account, as the bank notified it (giao dịch tiền vào)."""

    notice_id: str  # the notifier's id of the transaction: the key against retries
    gateway: str  # the bank's brand name ("Vietcombank", "MBBank")
    booked_at: datetime  # naive, the bank's local time (Asia/Ho_Chi_Minh)
    account_number: str
    amount: int  # đồng, > 0
    content: str
    reference: str  # the bank's reference (referenceCode); "" when the bank gave none
    code: str = ""  # the payment code the notifier recognised itself, if any
    sub_account: str = ""  # the virtual account (tài khoản định danh), if any
    description: str = ""  # the bank's whole SMS text, if any
    accumulated: int | None = None  # the balance after the transaction, when given

    @property
    def booked_on(self) -> date:
        return self.booked_at.date()

    @property
    def line_reference(self) -> str:
        """The reference to deduplicate by: the bank's, else the notifier's id."""
        return self.reference or f"{self.gateway}-{self.notice_id}"

    def to_line(self) -> StatementLine:
        """The credit as a statement line (row 0: it did not come from a file)."""
        return StatementLine(0, self.booked_on, self.amount, self.content, self.line_reference)


def authorised(header_value: str | None, expected_key: str | None) -> bool:
    """Whether an ``Authorization`` header is ``Apikey <expected_key>``.

    The key is compared in constant time; the scheme word is case-insensitive. An empty
    expected key authorises nothing (a unit that has not set one receives no notification).
    """
    if not header_value or not expected_key:
        return False
    scheme, _, key = header_value.strip().partition(" ")
    if scheme.lower() != SCHEME:
        return False
    return hmac.compare_digest(key.strip().encode("utf-8"), expected_key.encode("utf-8"))


def _text(value: Any) -> str:
    return "" if value is None else nfc(str(value))


def _amount(value: Any, name: str, errors: list[str]) -> int | None:
    if isinstance(value, bool) or value is None:
        errors.append(f"{name} không phải số tiền")
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int):
        errors.append(f"{name} “{value}” không phải số đồng nguyên")
        return None
    if value < 0 or value > MAX_AMOUNT:
        errors.append(f"{name} {value} ngoài khoảng cho phép")
        return None
    return value


def parse_notice(body: bytes | str | dict) -> BankCredit | None:
    """The credit a notification tells of; ``None`` for money going out (``transferType``
    "out"), which the endpoint acknowledges and ignores. Raise :class:`BankNoticeError`
    for a body that is not a notification of this format."""
    if isinstance(body, bytes | str):
        if len(body) > MAX_BODY:
            raise BankNoticeError(["nội dung quá lớn"])
        try:
            data = json.loads(body)
        except (UnicodeDecodeError, ValueError) as exc:
            raise BankNoticeError(["nội dung không phải JSON (UTF-8)"]) from exc
    else:
        data = body
    if not isinstance(data, dict):
        raise BankNoticeError(["nội dung phải là một đối tượng JSON"])
    errors = [f"thiếu trường {name}" for name in REQUIRED if name not in data]
    if "transferAmount" not in data:
        errors.append("thiếu trường transferAmount")
    if errors:
        raise BankNoticeError(errors)

    kind = _text(data["transferType"]).lower()
    if kind not in {"in", "out"}:
        errors.append(f"transferType “{data['transferType']}” không phải “in” hoặc “out”")
    notice_id = _text(data["id"])
    if not notice_id or isinstance(data["id"], bool | dict | list):
        errors.append("id trống hoặc không hợp lệ")
    booked_at = None
    try:
        booked_at = datetime.strptime(_text(data["transactionDate"]), TIME_FORMAT)
    except ValueError:
        errors.append(
            f"transactionDate “{data['transactionDate']}” không đúng dạng YYYY-MM-DD HH:MM:SS"
        )
    amount = _amount(data["transferAmount"], "transferAmount", errors)
    if amount == 0:
        errors.append("transferAmount bằng 0")
    accumulated = None
    if data.get("accumulated") is not None:
        accumulated = _amount(data["accumulated"], "accumulated", errors)
    if not isinstance(data["content"], str | None):
        errors.append("content không phải chuỗi")
    if errors:
        raise BankNoticeError(errors)
    if kind == "out":
        return None
    assert booked_at is not None and amount is not None
    return BankCredit(
        notice_id=notice_id,
        gateway=_text(data["gateway"]),
        booked_at=booked_at,
        account_number=_text(data["accountNumber"]),
        amount=amount,
        content=_text(data["content"]),
        reference=_text(data.get("referenceCode")),
        code=_text(data.get("code")),
        sub_account=_text(data.get("subAccount")),
        description=_text(data.get("description")),
        accumulated=accumulated,
    )
