"""A FAKE bank, for tests and the demo only: it moves no money and talks to no bank.

- :func:`send_notice` POSTs a balance-change notification in SePay's webhook format (see
  ``motcua.core.bankhook``) to a URL — normally our own webhook endpoint on loopback — with
  ``Authorization: Apikey <key>``, as SePay would after a citizen's transfer;
- :func:`statement_csv` writes a statement (bytes) in a Vietcombank-like layout
  ("Ngày giao dịch", "Số tham chiếu", "Số tiền ghi nợ", "Số tiền ghi có", "Số dư", "Mô tả"),
  for the statement import.

Every log line starts with "FAKE bank". From a shell::

    python -m motcua.payments.fake_bank --url http://127.0.0.1:8000/… --key KEY \\
        --amount 12000 --content "MC 000.00.05.H56-261201-0003"
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import json
import logging
import urllib.error
import urllib.request
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from motcua.core.formatting import number_vi

log = logging.getLogger(__name__)

FAKE_GATEWAY = "FakeBank"
FAKE_ACCOUNT = "0000000000"
STATEMENT_HEADERS = (
    "Ngày giao dịch",
    "Số tham chiếu",
    "Số tiền ghi nợ",
    "Số tiền ghi có",
    "Số dư",
    "Mô tả",
)
_ids = itertools.count(1)


@dataclass(frozen=True)
class FakeTransfer:
    """One transfer on the FAKE bank's account: money in (``amount`` > 0) or out (< 0)."""

    amount: int
    content: str
    at: datetime
    reference: str = ""


def make_notice(
    amount: int,
    content: str,
    *,
    at: datetime | None = None,
    reference: str | None = None,
    notice_id: int | None = None,
    transfer_type: str = "in",
    account_number: str = FAKE_ACCOUNT,
    accumulated: int = 0,
) -> dict:
    """A notification body in SePay's shape, from the FAKE bank."""
    number = notice_id if notice_id is not None else next(_ids)
    return {
        "id": number,
        "gateway": FAKE_GATEWAY,
        "transactionDate": (at or datetime.now()).strftime("%Y-%m-%d %H:%M:%S"),
        "accountNumber": account_number,
        "code": None,
        "content": content,
        "transferType": transfer_type,
        "transferAmount": amount,
        "accumulated": accumulated,
        "subAccount": None,
        "referenceCode": reference if reference is not None else f"FAKE.{number:010d}",
        "description": f"FAKE bank: {content}",
    }


def send_notice(url: str, api_key: str, notice: dict, *, timeout: float = 5.0) -> tuple[int, str]:
    """POST one notification; return the HTTP status and the body of the answer."""
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"FAKE bank: only http(s) URLs, not {url!r}")
    body = json.dumps(notice, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Apikey {api_key}"},
    )
    log.info("FAKE bank: POST %s (id %s, %s đồng)", url, notice["id"], notice["transferAmount"])
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            status, text = answer.status, answer.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        status, text = exc.code, exc.read().decode("utf-8", "replace")
    log.info("FAKE bank: answer %s", status)
    return status, text


def statement_csv(
    transfers: Iterable[FakeTransfer],
    *,
    opening_balance: int = 0,
    account_number: str = FAKE_ACCOUNT,
    title_rows: bool = False,
) -> bytes:
    """A statement of the FAKE bank as CSV bytes (UTF-8 with BOM, as a bank's Excel export
    saved as CSV): amounts "12.000", dates dd/mm/yyyy HH:MM:SS, a reference on every row.
    ``title_rows`` puts the bank's title, account and period above the header, as real
    exports do."""
    transfers = list(transfers)
    out = io.StringIO()
    writer = csv.writer(out)
    if title_rows:
        writer.writerow(["NGÂN HÀNG GIẢ LẬP (FAKE BANK) — SAO KÊ TÀI KHOẢN"])
        writer.writerow([f"Số tài khoản: {account_number}"])
        writer.writerow([f"Số dư đầu kỳ: {number_vi(opening_balance)}"])
    writer.writerow(STATEMENT_HEADERS)
    balance = opening_balance
    for number, transfer in enumerate(transfers, start=1):
        balance += transfer.amount
        credit = number_vi(transfer.amount) if transfer.amount > 0 else ""
        debit = number_vi(-transfer.amount) if transfer.amount < 0 else ""
        reference = transfer.reference or f"FAKE.{number:06d}"
        when = transfer.at.strftime("%d/%m/%Y %H:%M:%S")
        writer.writerow([when, reference, debit, credit, number_vi(balance), transfer.content])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m motcua.payments.fake_bank",
        description="FAKE bank (tests and demo only): POST a SePay-format balance-change "
        "notification to a webhook URL. No money moves.",
    )
    parser.add_argument("--url", required=True, help="webhook URL to notify (loopback)")
    parser.add_argument("--key", required=True, help="API key sent as 'Authorization: Apikey'")
    parser.add_argument("--amount", type=int, required=True, help="amount in đồng")
    parser.add_argument("--content", required=True, help="transfer content (the QR message)")
    parser.add_argument("--out", action="store_true", help="money out instead of in")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    notice = make_notice(args.amount, args.content, transfer_type="out" if args.out else "in")
    status, text = send_notice(args.url, args.key, notice)
    print(f"FAKE bank: {status} {text}")
    return 0 if 200 <= status < 300 else 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
