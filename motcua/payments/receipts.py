"""The receipts' content and signature: what a receipt says (frozen as
:class:`~motcua.core.receipts.ReceiptData` when it is issued), its symbols for the year, and
signing the ones that wait with the unit's seal certificate (PAdES, the same signer as the
results) — or, when the deployment has a provider (MOTCUA_RECEIPT_PROVIDER), having the
provider issue them (:mod:`motcua.payments.providers`). Sources: docs/fees.md "The
e-receipt", "E-receipt providers"."""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from motcua.core import official
from motcua.core.errors import DocumentError
from motcua.core.fees import FeeKind
from motcua.core.localtime import local
from motcua.core.receipts import (
    PaymentMethod,
    ReceiptData,
    ReceiptLine,
    ReceiptRef,
    check_receipt,
    receipt_from_dict,
    receipt_to_dict,
)
from motcua.documents.certificates import certificate_for, open_signer
from motcua.documents.receipts import receipt_pdf, sign_receipt
from motcua.dossiers.models import Dossier
from motcua.dossiers.queries import tracking_url
from motcua.payments.models import Payment, PaymentSettings, Receipt
from motcua.payments.providers import (
    ProviderError,
    ProviderLoginRefused,
    ProviderRefused,
    ProviderUnreachable,
    ReceiptProvider,
    configured_provider,
)
from motcua.units.queries import desk_of_unit

log = logging.getLogger("motcua.payments")

# Thông tư 91/2026/TT-BTC Phụ lục II (docs/fees.md): the form of a receipt without a printed
# amount is EBL01; a series is the year's last two digits, "T" and two letters the unit
# chooses.
DEFAULT_FORM = "EBL01"
DEFAULT_LETTERS = "AA"
SERIES_LETTERS = set("ABCDEGHKLMNPQRSTUVXY")


def series_for(config: PaymentSettings, year: int) -> str:
    """The unit's series in ``year``: "26TAA" for the letters "AA" in 2026."""
    letters = (config.receipt_series or DEFAULT_LETTERS).upper()
    return f"{year % 100:02d}T{letters}"


def form_symbol(config: PaymentSettings) -> str:
    return config.receipt_form_symbol or DEFAULT_FORM


def receipt_data(
    payment: Payment,
    dossier: Dossier,
    config: PaymentSettings,
    *,
    series: str,
    number: int,
    issued_at: datetime,
    replaces: Receipt | None = None,
) -> ReceiptData:
    """What a receipt says, checked (a missing tax code or name is refused here, before a
    number is spent)."""
    request = payment.request
    lines = tuple(
        ReceiptLine(line["label"], line["quantity"], line["unit_price"], line["amount"])
        for line in request.lines
    )
    if sum(line.amount for line in lines) != payment.amount:
        lines = (ReceiptLine(request.name, 1, payment.amount, payment.amount),)
    return check_receipt(
        ReceiptData(
            unit_name=official.issuer_name(dossier.unit.name, dossier.unit.division_type),
            unit_tax_code=config.tax_code,
            unit_address=desk_of_unit(dossier.unit_id).address,
            form_symbol=form_symbol(config),
            series=series,
            number=number,
            payer_name=dossier.applicant_name,
            payer_address=dossier.applicant_address,
            fee_name=request.name,
            fee_kind=FeeKind(request.kind),
            lines=lines,
            payment_method=PaymentMethod(payment.via),
            issued_at=issued_at,
            dossier_code=dossier.code,
            verify_url=tracking_url(dossier),
            collector_name=(payment.recorded_by.display_name if payment.recorded_by_id else ""),
            replaces=(
                ReceiptRef(
                    replaces.form_symbol,
                    replaces.series,
                    replaces.number,
                    local(replaces.issued_at).date(),
                )
                if replaces is not None
                else None
            ),
        )
    )


def content_of(data: ReceiptData) -> dict:
    return receipt_to_dict(data)


def sign_one(receipt: Receipt, signer) -> None:
    """Render and sign one receipt from its frozen content."""
    data = receipt_from_dict(receipt.content)
    pdf = sign_receipt(receipt_pdf(data), signer)
    Receipt.objects.filter(pk=receipt.pk, pdf__isnull=True).update(
        pdf=pdf, signed_at=timezone.now()
    )


# One run signs this many (about 0,3 s each): a clerk's click or a payment's task stays short;
# the next run takes the rest.
BATCH = 50


def sign_pending(
    unit_id: str, passphrase: str = "", *, signer=None, limit: int = BATCH, first=None
) -> int:
    """Sign the unit's receipts that wait for their PDF (cancelled ones too: the receipt a
    citizen was given stays readable), with ``signer`` or the seal opened by ``passphrase``;
    the number signed. Without a usable seal certificate nothing is signed and the receipts
    keep waiting. With a provider configured they are issued by it instead (the seal is not
    used): :func:`issue_pending`. The newest first (the citizen who just paid is waiting for
    it), ``first`` (a receipt's id: the payment's own) before all."""
    try:
        provider = configured_provider()
    except ProviderError as broken:  # a malformed provider address: nothing is sent
        log.error("Biên lai của %s chờ: %s", unit_id, broken.message)
        return 0
    if provider is not None:
        return issue_pending(unit_id, provider, limit=limit)
    waiting = list(
        Receipt.objects.filter(unit_id=unit_id, pdf__isnull=True)
        .select_related("unit")
        .order_by("-issued_at")[:limit]
    )
    if first is not None:
        waiting.sort(key=lambda r: str(r.pk) != str(first))
    if not waiting:
        return 0
    if signer is None:
        try:
            signer = open_signer(certificate_for(waiting[0].unit, None), passphrase)
        except DocumentError:
            return 0
    for receipt in waiting:
        with transaction.atomic():
            sign_one(receipt, signer)
    return len(waiting)


# --- a provider issues them (docs/fees.md "E-receipt providers") --------------------------------


def issue_one(receipt: Receipt, provider: ReceiptProvider) -> bool:
    """Have ``provider`` issue one receipt from its frozen content; whether its PDF came.

    The provider is called outside any transaction (a network call). A refusal is kept in
    ``provider_error`` for the desk and the receipt waits; an unreachable provider raises
    ProviderUnreachable and the receipt waits untouched. A receipt issued whose PDF is not
    ready keeps its provider code and waits: ``issue`` finds the same receipt next time. A
    refused log-in is kept too, and raised: it ends the run."""
    try:
        issued = provider.issue(receipt_from_dict(receipt.content))
    except ProviderRefused as refused:
        log.warning(
            "Biên lai %s (%s): %s từ chối: %s", receipt, receipt.pk, provider.name, refused.message
        )
        Receipt.objects.filter(pk=receipt.pk, pdf__isnull=True).update(
            provider_error=refused.message[:500]
        )
        if isinstance(refused, ProviderLoginRefused):
            raise  # the same for every receipt: the run stops
        return False
    Receipt.objects.filter(pk=receipt.pk, pdf__isnull=True).update(
        provider=provider.name,
        provider_code=issued.code[:100],
        provider_error="",
        pdf=issued.pdf,
        signed_at=timezone.now() if issued.pdf is not None else None,
    )
    return issued.pdf is not None


def issue_pending(unit_id: str, provider: ReceiptProvider, *, limit: int = 500) -> int:
    """Send the unit's receipts that wait for their PDF to ``provider``, the oldest first; the
    number that got their PDF. A receipt cancelled before the provider issued it is not sent
    (nothing was given to the citizen); one it issued gets its PDF even if cancelled since.
    The first unreachable call ends the run: the rest wait for the next one (the payment's
    task, or the clerk's "Ký số biên lai")."""
    waiting = list(
        Receipt.objects.filter(unit_id=unit_id, pdf__isnull=True)
        .filter(Q(status=Receipt.Status.ISSUED) | ~Q(provider_code=""))
        .order_by("issued_at")[:limit]
    )
    done = 0
    for receipt in waiting:
        try:
            done += issue_one(receipt, provider)
        except (ProviderUnreachable, ProviderLoginRefused) as stopped:
            log.warning("Biên lai của %s chờ gửi lại: %s", unit_id, stopped.message)
            break
    return done


def cancel_at_provider(receipt: Receipt) -> bool:
    """Huỷ at the provider a receipt it issued (replaced or refunded: call after the
    cancellation's commit, with ``receipt.cancel_reason`` set); False when the provider never
    issued it (nothing to cancel there). ProviderUnreachable or ProviderRefused (its words in
    ``message``) when it did not cancel — the caller decides whether to retry or tell the
    desk."""
    if not receipt.provider or not receipt.provider_code:
        return False
    provider = configured_provider()
    if provider is None or provider.name != receipt.provider:
        raise ProviderRefused(
            f"Biên lai do đơn vị cung cấp “{receipt.provider}” lập; hệ thống đang không kết nối "
            "với đơn vị này (MOTCUA_RECEIPT_PROVIDER): hãy huỷ trực tiếp trên hệ thống của họ."
        )
    reason = receipt.cancel_reason or "Huỷ biên lai"
    provider.cancel(receipt.provider_code, reason, receipt_from_dict(receipt.content))
    log.info("Biên lai %s: đã huỷ tại %s (%s)", receipt, receipt.provider, receipt.provider_code)
    return True
