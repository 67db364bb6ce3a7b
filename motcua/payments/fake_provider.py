"""A FAKE e-receipt provider for tests and demos — not Viettel, not any provider, and never to
be mistaken for one: the receipts it "issues" are worth nothing.

It speaks, on loopback only, the part of Viettel S-Invoice's HTTP JSON API that
:class:`motcua.payments.providers.ViettelSInvoice` uses (sources: that module's docstring):
log-in (``POST /auth/login`` → ``access_token``), ``createInvoice/{tax code}`` (its own
receipt number, transaction id and secret look-up code; a transactionUuid used before is
refused), ``searchInvoiceByTransactionUuid``, ``getInvoiceRepresentationFile`` (a small PDF
that says FAKE) and ``cancelTransactionInvoice``. It keeps what it receives in memory and
answers control calls under ``/_fake/``: ``GET state`` (what it holds), ``POST fail``
(``{"count": N, "mode": "error" | "http500" | "drop", "message": "…"}``: fail the next N
calls — "error" refuses them, with ``message`` as the provider's words), ``POST delay``
(``{"seconds": s}`` per call), ``POST pdf-later`` (``{"count": N}``: the next N file calls
answer "not ready"), ``POST expire`` (drop every token), ``POST reset``.

Every log line starts with "FAKE". Pure standard library, no Django: it runs beside the
system, in a thread of a test, or alone::

    python -m motcua.payments.fake_provider --port 8098
    MOTCUA_RECEIPT_PROVIDER=viettel MOTCUA_RECEIPT_PROVIDER_URL=http://127.0.0.1:8098 \\
        MOTCUA_RECEIPT_PROVIDER_USERNAME=motcua MOTCUA_RECEIPT_PROVIDER_PASSWORD=matkhau-gia …
"""

from __future__ import annotations

import argparse
import base64
import itertools
import json
import logging
import secrets
import string
import threading
import time
import unicodedata
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

log = logging.getLogger(__name__)

LOOPBACK = ("127.0.0.1", "::1", "localhost")
API = "/services/einvoiceapplication/api/InvoiceAPI"
LOGIN = "/auth/login"
CREATE = API + "/InvoiceWS/createInvoice/"
SEARCH = API + "/InvoiceWS/searchInvoiceByTransactionUuid"
FILE = API + "/InvoiceUtilsWS/getInvoiceRepresentationFile"
CANCEL = API + "/InvoiceWS/cancelTransactionInvoice"
TOKEN_SECONDS = 300
SECRET_ALPHABET = string.ascii_uppercase + string.digits


def refused(message: str, data: str) -> dict:
    """A refusal, in the shape public clients show S-Invoice's: code, message, data."""
    return {"code": 400, "message": message, "data": data}


def ok(**values) -> dict:
    return {"errorCode": None, "description": None, **values}


def ascii_text(text: str) -> str:
    """The text without diacritics (the FAKE PDF uses a standard font): "Đồng" → "Dong"."""
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.encode("ascii", "replace").decode()


def fake_pdf(lines: Sequence[str]) -> bytes:
    """A one-page PDF (Helvetica, ASCII) with ``lines`` — valid, small, and marked FAKE."""

    def escape(text: str) -> str:
        return ascii_text(text).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    ops = ["BT", "/F1 12 Tf", "50 780 Td", "16 TL"]
    ops += [f"({escape(line)}) '" for line in lines]
    ops.append("ET")
    stream = "\n".join(ops).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


class FakeProviderState:
    def __init__(self, *, username: str = "motcua", password: str = "matkhau-gia"):
        self.lock = threading.Lock()
        self.username, self.password = username, password
        self.reset()

    def reset(self) -> None:
        self.tokens: set[str] = set()
        self.receipts: dict[str, dict] = {}  # by transactionUuid
        self.numbers: dict[tuple, int] = {}  # (tax code, template, series) → last number
        self.calls: list[dict] = []  # every call received: what, and how it was answered
        self.logins = 0
        self.fail_count = 0
        self.fail_mode = "error"
        self.fail_message = "Hệ thống đang bận (giả lập)."
        self.pdf_later = 0
        self.delay = 0.0
        self._ids = itertools.count(170000000000000001)

    def snapshot(self) -> dict:
        return {
            "FAKE": "Đơn vị cung cấp biên lai GIẢ LẬP — không phải đơn vị thật",
            "receipts": self.receipts,
            "calls": self.calls,
            "logins": self.logins,
            "tokens": len(self.tokens),
        }

    def by_number(self, tax_code: str, template: str, number: str) -> dict | None:
        for receipt in self.receipts.values():
            if (receipt["supplierTaxCode"], receipt["templateCode"], receipt["invoiceNo"]) == (
                tax_code,
                template,
                number,
            ):
                return receipt
        return None

    # --- the protocol ----------------------------------------------------------------------

    def login(self, body: dict) -> tuple[int, dict]:
        self.logins += 1
        if body.get("username") == self.username and body.get("password") == self.password:
            token = secrets.token_hex(16)
            self.tokens.add(token)
            return 200, {
                "access_token": token,
                "token_type": "bearer",
                "refresh_token": secrets.token_hex(16),
                "expires_in": TOKEN_SECONDS,
                "scope": "FAKE",
                "iat": int(time.time()),
                "invoice_cluster": "FAKE",
                "type": 1,
                "jti": secrets.token_hex(8),
            }
        return 401, {
            "error": "invalid_grant",
            "error_description": "Sai tên đăng nhập hoặc mật khẩu (giả lập).",
        }

    def create(self, tax_code: str, body: dict) -> tuple[int, dict]:
        general = body.get("generalInvoiceInfo") or {}
        seller = body.get("sellerInfo") or {}
        buyer = body.get("buyerInfo") or {}
        items = body.get("itemInfo") or []
        summary = body.get("summarizeInfo") or {}
        uid = str(general.get("transactionUuid") or "")
        missing = [
            name
            for name, value in (
                ("transactionUuid", uid),
                ("templateCode", general.get("templateCode")),
                ("invoiceSeries", general.get("invoiceSeries")),
                ("invoiceIssuedDate", general.get("invoiceIssuedDate")),
                ("sellerTaxCode", seller.get("sellerTaxCode")),
                ("sellerLegalName", seller.get("sellerLegalName")),
                ("buyerName", buyer.get("buyerName")),
                ("itemInfo", items),
            )
            if not value
        ]
        if missing:
            return 400, refused("INVALID_DATA", f"Thiếu trường: {', '.join(missing)} (giả lập).")
        if not 10 <= len(uid) <= 36:
            return 400, refused("TRANSACTION_UUID_INVALID", "transactionUuid dài 10–36 ký tự.")
        if seller["sellerTaxCode"] != tax_code:
            return 400, refused(
                "SUPPLIER_TAX_CODE_INVALID", "Mã số thuế người bán khác mã số thuế trên đường dẫn."
            )
        total = sum(int(item.get("itemTotalAmountWithTax") or 0) for item in items)
        if total != summary.get("totalAmountWithTax"):
            return 400, refused("INVALID_DATA", "Tổng tiền không khớp các dòng (giả lập).")
        if uid in self.receipts:
            return 400, refused("TRANSACTION_UUID_INVALID", "Transaction Uuid đã được lập hóa đơn")
        template, series = str(general["templateCode"]), str(general["invoiceSeries"])
        key = (tax_code, template, series)
        self.numbers[key] = self.numbers.get(key, 0) + 1
        receipt = {
            "supplierTaxCode": tax_code,
            "templateCode": template,
            "invoiceSeries": series,
            "invoiceNo": f"{series}{self.numbers[key]}",
            "transactionID": str(next(self._ids)),
            "reservationCode": "".join(secrets.choice(SECRET_ALPHABET) for _ in range(15)),
            "issueDate": general["invoiceIssuedDate"],
            "status": "issued",
            "sellerLegalName": seller["sellerLegalName"],
            "buyerName": buyer["buyerName"],
            "total": total,
            "note": general.get("invoiceNote", ""),
            "cancelReason": "",
        }
        self.receipts[uid] = receipt
        result = {
            k: receipt[k]
            for k in ("supplierTaxCode", "invoiceNo", "transactionID", "reservationCode")
        }
        return 200, ok(result={**result, "codeOfTax": None})

    def search(self, form: dict) -> tuple[int, dict]:
        found = self.receipts.get(form.get("transactionUuid", ""))
        if found is None or found["supplierTaxCode"] != form.get("supplierTaxCode"):
            return 200, {"errorCode": "NOT_FOUND_DATA", "description": "Không tìm thấy dữ liệu"}
        keys = ("supplierTaxCode", "invoiceNo", "reservationCode", "issueDate", "status")
        return 200, ok(
            transactionUuid=form["transactionUuid"], result=[{k: found[k] for k in keys}]
        )

    def file(self, body: dict) -> tuple[int, dict]:
        found = self.by_number(
            str(body.get("supplierTaxCode")),
            str(body.get("templateCode")),
            str(body.get("invoiceNo")),
        )
        if found is None:
            return 200, {"errorCode": "NOT_FOUND_DATA", "description": "Không tìm thấy hóa đơn"}
        if self.pdf_later > 0:
            self.pdf_later -= 1
            return 200, ok(fileToBytes=None, paymentStatus=True, fileName=None)
        pdf = fake_pdf(
            [
                "FAKE - BIEN LAI GIA LAP - KHONG CO GIA TRI",
                f"{found['sellerLegalName']} - MST {found['supplierTaxCode']}",
                f"Mau {found['templateCode']}  So {found['invoiceNo']}",
                f"Nguoi nop: {found['buyerName']}",
                f"So tien: {found['total']} dong",
                found["note"],
                f"Ma so bi mat: {found['reservationCode']}",
            ]
        )
        return 200, ok(
            fileToBytes=base64.b64encode(pdf).decode(),
            paymentStatus=True,
            fileName=f"{found['invoiceNo']}.pdf",
        )

    def cancel(self, form: dict) -> tuple[int, dict]:
        found = self.by_number(
            str(form.get("supplierTaxCode")),
            str(form.get("templateCode")),
            str(form.get("invoiceNo")),
        )
        if found is None:
            return 400, refused("NOT_FOUND_DATA", "Không tìm thấy hóa đơn (giả lập).")
        if found["status"] == "cancelled":
            return 400, refused("INVOICE_CANCELED", "Hóa đơn đã bị hủy trước đó (giả lập).")
        if str(form.get("strIssueDate")) != str(found["issueDate"]):
            return 400, refused("INVALID_DATA", "Ngày lập không khớp hóa đơn (giả lập).")
        found["status"] = "cancelled"
        found["cancelReason"] = form.get("reasonDelete", "")
        return 200, ok(result=True)


class Handler(BaseHTTPRequestHandler):
    server_version = "FakeReceiptProvider/1"
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    @property
    def state(self) -> FakeProviderState:
        return self.server.state

    def log_message(self, format, *args):
        log.debug("FAKE receipt provider: " + format, *args)

    def _reply(self, status: int, body: object) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _raw(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _token(self) -> str:
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            return auth[len("Bearer ") :].strip()
        for part in self.headers.get("Cookie", "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == "access_token":
                return value
        return ""

    def do_GET(self):
        if self.path.rstrip("/") == "/_fake/state":
            with self.state.lock:
                return self._reply(200, self.state.snapshot())
        return self._reply(404, {"error": "Not Found"})

    def do_POST(self):
        parts = urlsplit(self.path)
        path = parts.path
        raw = self._raw()
        if path.startswith("/_fake/"):
            try:
                body = json.loads(raw.decode("utf-8")) if raw else {}
            except (UnicodeDecodeError, ValueError):
                body = {}
            return self._control(path[len("/_fake/") :].rstrip("/"), body)
        form = dict(parse_qsl(parts.query))
        body: object = {}
        if "x-www-form-urlencoded" in self.headers.get("Content-Type", ""):
            form.update(parse_qsl(raw.decode("utf-8", "replace")))
        elif raw:
            try:
                body = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                return self._reply(400, refused("INVALID_JSON", "Dữ liệu không phải JSON."))
        state = self.state
        with state.lock:
            mode = state.fail_mode
            # "error" is the provider refusing a call; a log-in still works. The network
            # failures ("drop", "http500") hit every request.
            failing = state.fail_count > 0 and (mode != "error" or path != LOGIN)
            if failing:
                state.fail_count -= 1
            delay, message = state.delay, state.fail_message
        if delay:
            time.sleep(delay)
        if failing:
            log.info("FAKE receipt provider: failing %s (%s)", path, mode)
            with state.lock:
                state.calls.append({"path": path, "answer": f"fail:{mode}"})
            if mode == "drop":
                self.close_connection = True
                self.connection.shutdown(2)
                return None
            if mode == "http500":
                return self._reply(500, {"error": "Internal Server Error"})
            return self._reply(400, refused("GENERAL", message))
        with state.lock:
            status, answer = self._dispatch(path, body if isinstance(body, dict) else {}, form)
            state.calls.append({"path": path, "status": status, "answer": answer})
        return self._reply(status, answer)

    def _dispatch(self, path: str, body: dict, form: dict) -> tuple[int, dict]:
        state = self.state
        if path == LOGIN:
            return state.login(body)
        if not path.startswith(API):
            return 404, {"error": "Not Found"}
        if self._token() not in state.tokens:
            return 401, {"error": "invalid_token", "error_description": "Token hết hạn (giả lập)."}
        if path.startswith(CREATE):
            return state.create(path[len(CREATE) :], body)
        if path == SEARCH:
            return state.search(form)
        if path == FILE:
            return state.file(body)
        if path == CANCEL:
            return state.cancel(form)
        return 404, {"error": "Not Found"}

    def _control(self, name: str, body: dict):
        state = self.state
        with state.lock:
            if name == "fail":
                state.fail_count = int(body.get("count", 1))
                state.fail_mode = str(body.get("mode", "error"))
                if body.get("message"):
                    state.fail_message = str(body["message"])
            elif name == "delay":
                state.delay = float(body.get("seconds", 0))
            elif name == "pdf-later":
                state.pdf_later = int(body.get("count", 1))
            elif name == "expire":
                state.tokens.clear()
            elif name == "reset":
                state.reset()
            else:
                return self._reply(404, {"error": "Không có lệnh này."})
        return self._reply(200, {"errorCode": None})


class FakeReceiptProvider(ThreadingHTTPServer):
    """``FakeReceiptProvider(port=0)`` listens on 127.0.0.1 (a free port when 0); ``url`` is
    its base, for MOTCUA_RECEIPT_PROVIDER_URL."""

    daemon_threads = True

    def __init__(self, port: int = 0, host: str = "127.0.0.1", **options):
        if host not in LOOPBACK:
            raise ValueError("Đơn vị cung cấp biên lai GIẢ LẬP chỉ chạy trên máy này (127.0.0.1).")
        super().__init__((host, port), Handler)
        self.state = FakeProviderState(**options)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def snapshot(self) -> dict:
        with self.state.lock:
            return json.loads(json.dumps(self.state.snapshot()))

    def start(self) -> FakeReceiptProvider:
        threading.Thread(target=self.serve_forever, daemon=True, name="fake-receipts").start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m motcua.payments.fake_provider",
        description=(
            "Chạy đơn vị cung cấp biên lai điện tử GIẢ LẬP (giao thức kiểu Viettel S-Invoice) "
            "trên 127.0.0.1, cho thử nghiệm và bản demo. Biên lai của nó không có giá trị."
        ),
    )
    parser.add_argument("--port", type=int, default=8098)
    parser.add_argument("--username", default="motcua")
    parser.add_argument("--password", default="matkhau-gia")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    server = FakeReceiptProvider(args.port, username=args.username, password=args.password)
    log.info("FAKE receipt provider (GIẢ LẬP) on %s — not a real provider", server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
