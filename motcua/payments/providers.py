"""E-receipt providers (đơn vị cung cấp dịch vụ biên lai điện tử): a commercial service — VNPT,
Viettel, MISA … — that issues, signs and keeps a unit's receipts when the province has a
contract with one, instead of MộtCửa signing them with the unit's seal. Sources and
confidence: docs/fees.md "E-receipt providers".

The default is no provider (``MOTCUA_RECEIPT_PROVIDER`` empty): MộtCửa renders each receipt
and signs it with the unit's seal (:mod:`motcua.payments.receipts`). With a provider, every
waiting receipt is sent to it and its PDF is the provider's.

A provider is anything with the shape of :class:`ReceiptProvider`. ``issue`` must be
idempotent: the same receipt sent twice (a lost answer, a PDF not ready yet) is the same
receipt at the provider, never a second one. Errors are one family with Vietnamese messages
(the technical cause goes to the log): :class:`ProviderUnreachable` (network, timeout, an
HTTP error, an answer that is not JSON: try again later) and :class:`ProviderRefused` (the
provider read the call and said no, or refused the log-in: an official must act; its words
are kept in ``message``).

:class:`ViettelSInvoice` speaks Viettel's S-Invoice HTTP JSON API as public client code shows
it (no specification was read). Every field and endpoint, with its source:

- Log-in: ``POST {URL}/auth/login``, JSON ``{"username", "password"}`` → ``{"access_token",
  "token_type", "refresh_token", "expires_in", …}``. Odoo's ``l10n_vn_edi_viettel``
  (odoo/odoo ``addons/l10n_vn_edi_viettel/models/sinvoice_service.py``: "tokens are valid for
  5 minutes") and dev10katec/viettel-s-invoice (``src/viettel-s-invoice.ts``). MEDIUM-HIGH.
- The token is sent as the cookie ``access_token`` (Odoo) and as ``Authorization: Bearer``
  (dev10katec); both are sent, the server reads the one it knows. MEDIUM.
- The API's prefix: ``{URL}/services/einvoiceapplication/api/`` with production ``URL`` =
  ``https://api-vinvoice.viettel.vn`` (Odoo, dev10katec). Older deployments served
  ``https://api-sinvoice.viettel.vn:443/InvoiceAPI/…`` without the prefix (public C#/PHP
  clients): not supported here. MEDIUM.
- Issue: ``POST …/InvoiceAPI/InvoiceWS/createInvoice/{supplierTaxCode}``, JSON with
  ``generalInvoiceInfo`` (``transactionUuid``, ``templateCode``, ``invoiceSeries``,
  ``invoiceIssuedDate`` in milliseconds since the epoch, ``currencyCode`` "VND",
  ``adjustmentType`` "1" = original, ``paymentStatus``, ``cusGetInvoiceRight``,
  ``invoiceNote``), ``buyerInfo`` (``buyerName``, ``buyerAddressLine``, ``buyerIdNo``,
  ``buyerNotGetInvoice``), ``sellerInfo`` (``sellerLegalName``, ``sellerTaxCode``,
  ``sellerAddressLine``), ``payments`` (``[{"paymentMethodName": "TM" | "CK"}]``),
  ``itemInfo`` (``lineNumber``, ``selection`` 1 = goods/service line, ``itemName``,
  ``unitPrice``, ``quantity``, ``itemTotalAmountWithoutTax``, ``taxPercentage``, ``taxAmount``,
  ``itemTotalAmountWithTax``), ``summarizeInfo`` (``totalAmountWithoutTax``,
  ``totalTaxAmount``, ``totalAmountWithTax``, ``totalAmountWithTaxInWords``) and
  ``taxBreakdowns``. Answer ``{"errorCode": null, "description": null, "result":
  {"supplierTaxCode", "invoiceNo", "transactionID", "reservationCode", "codeOfTax"}}`` (Odoo;
  dev10katec ``src/interfaces/viettel-s-invoice.ts``; a sample answer in
  huuanhuynh/V6AccountingA_2024). Structure MEDIUM-HIGH; for a receipt (biên lai), which
  fields the template wants is UNKNOWN. ``taxPercentage`` -2 ("no tax", Odoo's comment) for a
  fee or charge: LOW. ``buyerIdNo`` (V6): LOW.
- A refusal: HTTP 4xx or 200 with ``{"code": 400, "message": "TRANSACTION_UUID_INVALID",
  "data": "Transaction Uuid đã được lập hóa đơn"}`` or with ``errorCode``/``description`` set
  (V6's samples; Odoo reads ``code``/``error`` and ``data``). MEDIUM.
- Idempotence: a ``transactionUuid`` (10–36 characters) already used is refused as above (V6),
  and ``POST …/InvoiceAPI/InvoiceWS/searchInvoiceByTransactionUuid`` (form-encoded
  ``supplierTaxCode``, ``transactionUuid``) answers ``{"result": [{"invoiceNo",
  "reservationCode", "issueDate", "status", …}]}`` (Odoo, dev10katec). The uuid here is derived
  from the receipt's tax code, symbols and number, so a second send finds the first. MEDIUM.
- The PDF: ``POST …/InvoiceAPI/InvoiceUtilsWS/getInvoiceRepresentationFile``, JSON
  ``{"supplierTaxCode", "templateCode", "invoiceNo", "transactionUuid", "fileType": "PDF"}`` →
  ``{"fileToBytes": base64, "fileName", …}``; right after issuing it may be empty for a moment
  (Odoo retries). MEDIUM-HIGH.
- Cancel: ``POST …/InvoiceAPI/InvoiceWS/cancelTransactionInvoice``, form-encoded
  ``supplierTaxCode``, ``templateCode``, ``invoiceNo``, ``strIssueDate`` (milliseconds),
  ``additionalReferenceDesc``, ``additionalReferenceDate``, ``reasonDelete`` (Odoo). MEDIUM.
  One public project's notes say Viettel withdrew this call for documents under the 2025
  rules (replace or adjust only): LOW, unconfirmed — a refusal is then the provider's answer.
- The citizen's look-up page: ``https://vinvoice.viettel.vn/utilities/invoice-search`` with
  the seller's tax code and the "mã số bí mật" (``reservationCode``), printed on the PDF
  (several public projects). MEDIUM.

Receipts (biên lai) on S-Invoice may use a different template code and other fields than
invoices: the template code, the series and the fields must be confirmed with the provider
before use (``MOTCUA_RECEIPT_PROVIDER_TEMPLATE``; by default the receipt's form symbol).
"""

from __future__ import annotations

import base64
import http.client
import json
import logging
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol
from urllib.parse import urlencode, urlsplit

from django.conf import settings

from motcua.core.receipts import PaymentMethod, ReceiptData, amount_in_words, replacement_text

log = logging.getLogger("motcua.payments.providers")

PROVIDERS = ("viettel",)


class ProviderError(Exception):
    """Something the receipt provider did not do; ``message`` is for officials."""

    def __init__(self, message: str, answer: object = None):
        super().__init__(message)
        self.message = message
        self.answer = answer


class ProviderUnreachable(ProviderError):
    """The provider could not be reached or did not answer in JSON: try again later."""


class ProviderRefused(ProviderError):
    """The provider read the call and refused it (or refused the log-in)."""


class ProviderLoginRefused(ProviderRefused):
    """The provider refused the log-in (user name or password)."""


@dataclass(frozen=True)
class ProviderReceipt:
    """A receipt as the provider issued it: its own code for it (kept in
    ``Receipt.provider_code``), its PDF (None while the provider has not made it yet) and the
    page where the citizen checks it."""

    code: str
    pdf: bytes | None
    lookup_url: str


class ReceiptProvider(Protocol):
    """Đơn vị cung cấp dịch vụ biên lai điện tử."""

    name: str

    def issue(self, data: ReceiptData) -> ProviderReceipt:
        """Issue (or find again, if it was issued before) the receipt ``data`` says."""
        ...

    def cancel(self, code: str, reason: str, data: ReceiptData) -> None:
        """Cancel the receipt ``code`` (issued from ``data``) for ``reason``."""
        ...


def provider_on() -> bool:
    return bool(settings.MOTCUA_RECEIPT_PROVIDER)


def configured_provider() -> ReceiptProvider | None:
    """The provider the deployment is configured with, or None: MộtCửa signs itself."""
    name = settings.MOTCUA_RECEIPT_PROVIDER
    if not name:
        return None
    if name == "viettel":
        return ViettelSInvoice(ViettelConfig.from_settings())
    raise ProviderRefused(
        f"Đơn vị cung cấp biên lai “{name}” chưa được hỗ trợ (MOTCUA_RECEIPT_PROVIDER: "
        f"để trống hoặc {', '.join(PROVIDERS)})."
    )


# --- Viettel S-Invoice -----------------------------------------------------------------------

API_PREFIX = "/services/einvoiceapplication/api"
LOGIN_PATH = "/auth/login"
CREATE_PATH = API_PREFIX + "/InvoiceAPI/InvoiceWS/createInvoice/"
SEARCH_PATH = API_PREFIX + "/InvoiceAPI/InvoiceWS/searchInvoiceByTransactionUuid"
FILE_PATH = API_PREFIX + "/InvoiceAPI/InvoiceUtilsWS/getInvoiceRepresentationFile"
CANCEL_PATH = API_PREFIX + "/InvoiceAPI/InvoiceWS/cancelTransactionInvoice"
VIETTEL_LOOKUP_URL = "https://vinvoice.viettel.vn/utilities/invoice-search"
# The transactionUuid of a receipt: the same receipt always gets the same one.
RECEIPT_NAMESPACE = uuid.UUID("5d0f3b8e-2a7c-4c1e-9b61-6f0e1c2b7a90")
NO_TAX = -2  # taxPercentage "no tax" (Odoo's comment); fees and charges carry no VAT
TOKEN_MARGIN = 30  # seconds: a token this close to its end is renewed first
PAYMENT_NAMES = {PaymentMethod.CASH: "TM", PaymentMethod.BANK: "CK", PaymentMethod.PORTAL: "CK"}


@dataclass(frozen=True)
class ViettelConfig:
    base: str
    username: str
    password: str
    template: str  # templateCode; empty: the receipt's form symbol
    timeout: float
    lookup_url: str = VIETTEL_LOOKUP_URL

    @classmethod
    def from_settings(cls) -> ViettelConfig:
        return cls(
            base=settings.MOTCUA_RECEIPT_PROVIDER_URL,
            username=settings.MOTCUA_RECEIPT_PROVIDER_USERNAME,
            password=settings.MOTCUA_RECEIPT_PROVIDER_PASSWORD,
            template=settings.MOTCUA_RECEIPT_PROVIDER_TEMPLATE,
            timeout=settings.MOTCUA_RECEIPT_PROVIDER_TIMEOUT,
        )


# The access token of each configuration with its end (monotonic seconds), for the process.
_TOKENS: dict[ViettelConfig, tuple[str, float]] = {}
_TOKENS_LOCK = threading.Lock()


def forget_tokens() -> None:
    """Drop every kept access token (a test's new FAKE provider may reuse an old one's port)."""
    with _TOKENS_LOCK:
        _TOKENS.clear()


def transaction_uuid(data: ReceiptData) -> str:
    """The receipt's ``transactionUuid``: one per (tax code, form, series, number), so a
    receipt sent twice is found, not issued twice."""
    key = f"{data.unit_tax_code}/{data.form_symbol}/{data.series}/{data.number}"
    return str(uuid.uuid5(RECEIPT_NAMESPACE, key))


def epoch_ms(moment: datetime) -> int:
    """S-Invoice's dates: whole seconds since the epoch, written in milliseconds (Odoo)."""
    return int(moment.timestamp()) * 1000


def invoice_json(data: ReceiptData, template: str) -> dict:
    """The createInvoice body for one receipt (fields and sources: the module's docstring)."""
    notes = [f"Hồ sơ {data.dossier_code}"]
    if data.replaces is not None:
        notes.append(replacement_text(data.replaces))
    buyer = {
        "buyerName": data.payer_name,
        "buyerAddressLine": data.payer_address,
        "buyerNotGetInvoice": 1,  # MộtCửa gives the citizen the receipt; no e-mail from them
    }
    if data.payer_id_number:
        buyer["buyerIdNo"] = data.payer_id_number
    return {
        "generalInvoiceInfo": {
            "transactionUuid": transaction_uuid(data),
            "templateCode": template or data.form_symbol,
            "invoiceSeries": data.series,
            "invoiceIssuedDate": epoch_ms(data.issued_at),
            "currencyCode": "VND",
            "adjustmentType": "1",
            "paymentStatus": True,  # a receipt is issued for money received
            "cusGetInvoiceRight": True,
            "invoiceNote": "; ".join(notes),
        },
        "buyerInfo": buyer,
        "sellerInfo": {
            "sellerLegalName": data.unit_name,
            "sellerTaxCode": data.unit_tax_code,
            "sellerAddressLine": data.unit_address,
        },
        "payments": [{"paymentMethodName": PAYMENT_NAMES[data.payment_method]}],
        "itemInfo": [
            {
                "lineNumber": n,
                "selection": 1,
                "itemName": line.label,
                "unitPrice": line.unit_price,
                "quantity": line.quantity,
                "itemTotalAmountWithoutTax": line.amount,
                "taxPercentage": NO_TAX,
                "taxAmount": 0,
                "itemTotalAmountWithTax": line.amount,
            }
            for n, line in enumerate(data.lines, start=1)
        ],
        "summarizeInfo": {
            "sumOfTotalLineAmountWithoutTax": data.total,
            "totalAmountWithoutTax": data.total,
            "totalTaxAmount": 0,
            "totalAmountWithTax": data.total,
            "totalAmountWithTaxInWords": amount_in_words(data.total),
        },
        "taxBreakdowns": [{"taxPercentage": NO_TAX, "taxableAmount": data.total, "taxAmount": 0}],
    }


def refusal(answer: object) -> str | None:
    """The provider's words when ``answer`` is a refusal, else None."""
    if not isinstance(answer, dict):
        return None
    words = [
        str(answer[key])
        for key in ("message", "data", "description", "error", "error_description")
        if answer.get(key) not in (None, "") and not isinstance(answer.get(key), (dict, list))
    ]
    if answer.get("code") or answer.get("errorCode") or answer.get("error"):
        return ": ".join(words) or "không rõ lý do"
    return None


class ViettelSInvoice:
    """Viettel S-Invoice (HTTP JSON API) as a :class:`ReceiptProvider`."""

    name = "viettel"

    def __init__(self, config: ViettelConfig):
        self.config = config
        parts = urlsplit(config.base)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ProviderUnreachable(
                "Địa chỉ đơn vị cung cấp biên lai (MOTCUA_RECEIPT_PROVIDER_URL) chưa đúng dạng "
                "http(s)://…"
            )
        self._scheme, self._host, self._port = parts.scheme, parts.hostname, parts.port
        self._prefix = parts.path.rstrip("/")
        self._conn: http.client.HTTPConnection | None = None

    # --- HTTP ----------------------------------------------------------------------------

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            https = self._scheme == "https"
            kind = http.client.HTTPSConnection if https else http.client.HTTPConnection
            self._conn = kind(self._host, self._port, timeout=self.config.timeout)
            self._conn.connect()
            self._conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _send(
        self, path: str, *, body: dict | None = None, form: dict | None = None, token: str = ""
    ) -> tuple[int, object]:
        """POST ``body`` (JSON) or ``form`` (form-encoded); the HTTP status and the JSON."""
        if form is not None:
            data = urlencode(form).encode()
            kind = "application/x-www-form-urlencoded; charset=utf-8"
        else:
            data = json.dumps(body or {}, ensure_ascii=False).encode()
            kind = "application/json; charset=utf-8"
        headers = {"Content-Type": kind, "Accept": "application/json"}
        if token:
            headers["Cookie"] = f"access_token={token}"
            headers["Authorization"] = f"Bearer {token}"
        for attempt in (1, 2):  # a kept-alive connection the server closed: reconnect once
            try:
                conn = self._connection()
                conn.request("POST", self._prefix + path, body=data, headers=headers)
                response = conn.getresponse()
                raw = response.read()
                break
            except (http.client.HTTPException, OSError) as exc:
                self.close()
                if attempt == 2:
                    # The technical cause goes to the log; officials read the sentence.
                    log.warning("Biên lai, %s %s: %s: %s", self.name, path, type(exc).__name__, exc)
                    late = isinstance(exc, TimeoutError)
                    raise ProviderUnreachable(
                        "Không kết nối được đơn vị cung cấp biên lai điện tử"
                        + (" (quá thời gian chờ trả lời)." if late else ".")
                    ) from exc
        if response.status >= 500 or response.status in (404, 405):
            log.warning("Biên lai, %s %s: HTTP %s %r", self.name, path, response.status, raw[:300])
            raise ProviderUnreachable(
                f"Đơn vị cung cấp biên lai điện tử trả lời lỗi HTTP {response.status}."
            )
        try:
            return response.status, json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            log.warning("Biên lai, %s %s: not JSON %r", self.name, path, raw[:300])
            raise ProviderUnreachable(
                "Đơn vị cung cấp biên lai điện tử trả lời không phải JSON "
                f"(HTTP {response.status})."
            ) from exc

    # --- the session -----------------------------------------------------------------------

    def _login(self) -> str:
        status, answer = self._send(
            LOGIN_PATH, body={"username": self.config.username, "password": self.config.password}
        )
        token = answer.get("access_token") if isinstance(answer, dict) else None
        if status >= 400 or not isinstance(token, str) or not token:
            raise ProviderLoginRefused(
                "Đơn vị cung cấp biên lai điện tử từ chối đăng nhập: kiểm tra tên đăng nhập và "
                "mật khẩu (MOTCUA_RECEIPT_PROVIDER_USERNAME, _PASSWORD). Trả lời: "
                f"{refusal(answer) or 'không có mã truy cập'}",
                answer,
            )
        try:
            lifetime = float(answer.get("expires_in") or 300)
        except (TypeError, ValueError):
            lifetime = 300.0
        with _TOKENS_LOCK:
            _TOKENS[self.config] = (token, time.monotonic() + lifetime - TOKEN_MARGIN)
        return token

    def _token(self) -> str:
        with _TOKENS_LOCK:
            kept = _TOKENS.get(self.config)
        if kept is not None and kept[1] > time.monotonic():
            return kept[0]
        return self._login()

    def _call(self, path: str, *, body: dict | None = None, form: dict | None = None) -> dict:
        """One API call with the session's token (a fresh log-in once if it was refused);
        the answer, or ProviderRefused with the provider's words."""
        status, answer = self._send(path, body=body, form=form, token=self._token())
        if status in (401, 403):  # the token expired or was dropped
            status, answer = self._send(path, body=body, form=form, token=self._login())
        words = refusal(answer)
        if status >= 400 or words is not None or not isinstance(answer, dict):
            raise ProviderRefused(
                f"Đơn vị cung cấp biên lai điện tử từ chối: {words or f'HTTP {status}'}", answer
            )
        return answer

    # --- the protocol ----------------------------------------------------------------------

    def _template(self, data: ReceiptData) -> str:
        return self.config.template or data.form_symbol

    def _find(self, data: ReceiptData) -> dict | None:
        """The receipt already issued for ``data``'s transactionUuid, if any."""
        try:
            answer = self._call(
                SEARCH_PATH,
                form={
                    "supplierTaxCode": data.unit_tax_code,
                    "transactionUuid": transaction_uuid(data),
                },
            )
        except ProviderRefused:
            return None
        found = answer.get("result")
        if isinstance(found, list) and found and isinstance(found[0], dict):
            return found[0]
        return None

    def _pdf(self, data: ReceiptData, number: str) -> bytes | None:
        answer = self._call(
            FILE_PATH,
            body={
                "supplierTaxCode": data.unit_tax_code,
                "templateCode": self._template(data),
                "invoiceNo": number,
                "transactionUuid": transaction_uuid(data),
                "fileType": "PDF",
            },
        )
        encoded = answer.get("fileToBytes")
        if not encoded:
            return None  # not made yet: the receipt waits, the next run asks again
        try:
            return base64.b64decode(encoded, validate=True)
        except ValueError as exc:
            raise ProviderUnreachable(
                "Đơn vị cung cấp biên lai điện tử gửi tệp PDF hỏng; sẽ thử lại."
            ) from exc

    def issue(self, data: ReceiptData) -> ProviderReceipt:
        try:
            try:
                answer = self._call(
                    CREATE_PATH + data.unit_tax_code, body=invoice_json(data, self._template(data))
                )
                result = answer.get("result")
            except ProviderLoginRefused:
                raise
            except ProviderRefused:
                # Issued already (a lost answer, a PDF that was not ready)? Then it is that one.
                result = self._find(data)
                if result is None:
                    raise
            number = result.get("invoiceNo") if isinstance(result, dict) else None
            if not isinstance(number, str) or not number:
                raise ProviderUnreachable(
                    "Đơn vị cung cấp biên lai điện tử trả lời thiếu số biên lai; sẽ thử lại.",
                    result,
                )
            return ProviderReceipt(number, self._pdf(data, number), self.config.lookup_url)
        finally:
            self.close()

    def cancel(self, code: str, reason: str, data: ReceiptData) -> None:
        try:
            self._call(
                CANCEL_PATH,
                form={
                    "supplierTaxCode": data.unit_tax_code,
                    "templateCode": self._template(data),
                    "invoiceNo": code,
                    "strIssueDate": epoch_ms(data.issued_at),
                    "additionalReferenceDesc": f"Hồ sơ {data.dossier_code}",
                    "additionalReferenceDate": epoch_ms(datetime.now(UTC)),
                    "reasonDelete": reason,
                },
            )
        finally:
            self.close()
