"""Fees and charges collected for dossiers: the requests, the payments, refunds, the
electronic receipts (biên lai điện tử) and each unit's collection settings. Data and
invariants only; every write is in :mod:`motcua.payments.actions`. The rules: docs/fees.md."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from motcua.dossiers.models import FeePaidVia


class PaymentSettings(models.Model):
    """What a unit collects with: its own collection account (the software never holds
    money, Nghị định 52/2024/NĐ-CP), its tax code and its receipt symbols."""

    unit = models.OneToOneField(
        "units.Unit", verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+"
    )
    bank_bin = models.CharField("mã ngân hàng (BIN, 6 chữ số)", max_length=6, blank=True)
    bank_name = models.CharField("tên ngân hàng", max_length=120, blank=True)
    account_number = models.CharField("số tài khoản thu", max_length=19, blank=True)
    account_name = models.CharField("tên tài khoản thu", max_length=200, blank=True)
    tax_code = models.CharField("mã số thuế của đơn vị thu", max_length=14, blank=True)
    receipt_form_symbol = models.CharField("ký hiệu mẫu biên lai", max_length=20, blank=True)
    receipt_series = models.CharField("ký hiệu biên lai", max_length=20, blank=True)
    # what the collection point must post when receipts are issued by a delegate (ủy nhiệm lập
    # biên lai, NĐ 254/2026/NĐ-CP Art. 25): shown on the disclosure board (docs/fees.md)
    delegation_notice = models.TextField("thông báo ủy nhiệm lập biên lai", blank=True)
    # The key a bank's balance-change notice must carry (Authorization: Apikey …), as its
    # SHA-256: the key itself is shown once, when it is made.
    webhook_key_digest = models.CharField(max_length=64, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "thiết lập thu phí, lệ phí"
        verbose_name_plural = "thiết lập thu phí, lệ phí"

    def __str__(self) -> str:
        return f"Thu phí, lệ phí của {self.unit_id}"

    @property
    def can_take_transfers(self) -> bool:
        return bool(self.bank_bin and self.account_number)


class PaymentRequest(models.Model):
    """Yêu cầu nộp phí, lệ phí: the amount a dossier must pay, computed by the procedure's
    rule for the case (its lines kept as they were computed)."""

    class Status(models.TextChoices):
        OPEN = "open", "Chờ nộp"
        PAID = "paid", "Đã nộp"
        CANCELLED = "cancelled", "Đã huỷ"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="payment_requests"
    )
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    amount = models.PositiveBigIntegerField("số tiền (đồng)")
    name = models.CharField("tên phí, lệ phí", max_length=600)
    kind = models.CharField("loại", max_length=8)  # core.fees.FeeKind
    lines = models.JSONField("các dòng tính", default=list)
    basis = models.TextField("căn cứ", blank=True)
    case = models.JSONField("số liệu tính (trang, bản, kênh, đối tượng)", default=dict)
    message = models.CharField("nội dung chuyển khoản", max_length=25)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    requested_at = models.DateTimeField("thời điểm yêu cầu")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    paid_at = models.DateTimeField("thời điểm nộp", null=True, blank=True)
    closed_note = models.CharField("lý do huỷ", max_length=500, blank=True)

    class Meta:
        verbose_name = "yêu cầu nộp phí, lệ phí"
        verbose_name_plural = "yêu cầu nộp phí, lệ phí"
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["unit", "status"], name="payreq_unit_status")]
        constraints = [
            # At most one request waiting per dossier.
            models.UniqueConstraint(
                fields=["dossier"], condition=models.Q(status="open"), name="one_open_request"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.amount} đồng ({self.get_status_display()})"


class Payment(models.Model):
    """Khoản nộp: money received for a request, in cash at the desk, by a transfer found in
    a bank statement or a bank's notice, or through the national payment platform. A payment
    that cannot count (a second one, a wrong amount, for a closed request) is kept flagged for
    the desk and never counted."""

    class Status(models.TextChoices):
        COUNTED = "counted", "Đã ghi thu"
        FLAGGED = "flagged", "Cần kiểm tra"
        REFUNDED = "refunded", "Đã hoàn trả"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(PaymentRequest, on_delete=models.PROTECT, related_name="payments")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    via = models.CharField("hình thức", max_length=8, choices=FeePaidVia.choices)
    amount = models.PositiveBigIntegerField("số tiền (đồng)")
    tendered = models.PositiveBigIntegerField("tiền khách đưa (đồng)", null=True, blank=True)
    # The bank's (or platform's) reference of the transfer: one payment per reference.
    reference = models.CharField("số tham chiếu", max_length=100, blank=True)
    content = models.CharField("nội dung chuyển khoản", max_length=500, blank=True)
    paid_at = models.DateTimeField("thời điểm nộp")
    recorded_at = models.DateTimeField("thời điểm ghi nhận")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    flag = models.CharField("lý do cần kiểm tra", max_length=200, blank=True)
    statement = models.ForeignKey(
        "StatementImport", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "khoản nộp phí, lệ phí"
        verbose_name_plural = "khoản nộp phí, lệ phí"
        ordering = ["-paid_at"]
        indexes = [models.Index(fields=["unit", "paid_at"], name="payment_unit_paid")]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "reference"],
                condition=~models.Q(reference=""),
                name="one_payment_per_reference",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_via_display()}: {self.amount} đồng"


class Refund(models.Model):
    """Hoàn trả: money given back, with its reason."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="refund")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    amount = models.PositiveBigIntegerField("số tiền (đồng)")
    reason = models.CharField("lý do", max_length=500)
    refunded_at = models.DateTimeField("thời điểm hoàn trả")
    refunded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "hoàn trả phí, lệ phí"
        verbose_name_plural = "hoàn trả phí, lệ phí"

    def __str__(self) -> str:
        return f"Hoàn trả {self.amount} đồng"


class Receipt(models.Model):
    """Biên lai điện tử: one per counted payment, numbered in the unit's yearly series (never
    reused, never skipped: the number is taken in the payment's transaction), its content
    frozen when it is issued, its PDF signed with the unit's seal certificate."""

    class Status(models.TextChoices):
        ISSUED = "issued", "Đã lập"
        CANCELLED = "cancelled", "Đã huỷ"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="receipts")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="+")
    form_symbol = models.CharField("ký hiệu mẫu", max_length=20)
    series = models.CharField("ký hiệu", max_length=20)
    year = models.PositiveIntegerField("năm")
    number = models.PositiveIntegerField("số")
    issued_at = models.DateTimeField("thời điểm lập")
    content = models.JSONField("nội dung", default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ISSUED)
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField("lý do huỷ", max_length=500, blank=True)
    pdf = models.BinaryField("bản PDF đã ký", null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    # Where a provider issued it instead (its own code for the receipt), else empty.
    provider = models.CharField("đơn vị cung cấp", max_length=40, blank=True)
    provider_code = models.CharField("mã tra cứu của đơn vị cung cấp", max_length=100, blank=True)
    # The provider's words when it last refused to issue it (it waits; empty once issued).
    provider_error = models.CharField("lý do đơn vị cung cấp từ chối", max_length=500, blank=True)

    class Meta:
        verbose_name = "biên lai điện tử"
        verbose_name_plural = "biên lai điện tử"
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "series", "year", "number"], name="one_receipt_per_number"
            )
        ]
        indexes = [models.Index(fields=["unit", "issued_at"], name="receipt_unit_issued")]

    def __str__(self) -> str:
        return f"{self.form_symbol} {self.series} {self.number:08d}"


class ReceiptCounter(models.Model):
    """The last receipt number of a unit's series in a year (motcua.counters)."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")
    series = models.CharField(max_length=20)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "series", "year"], name="one_receipt_counter")
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.year}: {self.last}"


class StatementImport(models.Model):
    """A bank statement imported by the desk: what matched, what was flagged, what did not."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=255)
    digest = models.CharField(max_length=64)
    imported_at = models.DateTimeField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    report = models.JSONField(default=dict)

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return self.file_name
