"""Imports of the national portal's exports (Cổng DVCQG), kept for reconciliation."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class ReconciliationImport(models.Model):
    """Một lần nhập dữ liệu của Cổng DVCQG để đối chiếu: a unit, a period, the files' hashes
    (or, looked up through the connector, the hash of the portal's answers)."""

    class Source(models.TextChoices):
        # The export's statuses are the portal's names (GLOSSARY "States"); looked-up dossiers
        # carry its status codes (TrangThaiHoSo), compared with the code each of our states
        # sends (core.dvcqg.portal_status).
        FILE = "file", "Tệp xuất từ Cổng DVCQG"
        PORTAL = "portal", "Tra cứu trực tiếp trên Cổng DVCQG"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    source = models.CharField(
        "nguồn dữ liệu", max_length=8, choices=Source.choices, default=Source.FILE
    )
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name="đơn vị",
        on_delete=models.PROTECT,
        related_name="reconciliation_imports",
    )
    period_start = models.DateField("từ ngày")
    period_end = models.DateField("đến ngày")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người nhập",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("thời điểm nhập", auto_now_add=True)
    file_name = models.CharField("tệp hồ sơ", max_length=255)
    file_sha256 = models.CharField("SHA-256 tệp hồ sơ", max_length=64)
    indicators_file_name = models.CharField("tệp chỉ số", max_length=255, blank=True)
    indicators_sha256 = models.CharField("SHA-256 tệp chỉ số", max_length=64, blank=True)
    # Optional columns the portal's file had: a column it lacks is not compared.
    columns = models.JSONField("cột tuỳ chọn có trong tệp", default=list)
    row_count = models.PositiveIntegerField("số dòng hồ sơ", default=0)

    class Meta:
        verbose_name = "lần đối chiếu với Cổng DVCQG"
        verbose_name_plural = "đối chiếu với Cổng DVCQG"
        ordering = ["-uploaded_at"]
        indexes = [models.Index(fields=["unit", "-uploaded_at"], name="reconcile_unit_recent")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y}"


class PortalDossierRow(models.Model):
    """Một hồ sơ như Cổng DVCQG ghi nhận (one row of the portal's per-dossier export)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reconciliation = models.ForeignKey(
        ReconciliationImport, on_delete=models.CASCADE, related_name="rows"
    )
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    row_number = models.PositiveIntegerField("dòng")
    code = models.CharField("mã hồ sơ", max_length=60)
    procedure_code = models.CharField("mã TTHC", max_length=60, blank=True)
    received_at = models.DateTimeField("ngày tiếp nhận")
    due_at = models.DateTimeField("ngày hẹn trả", null=True, blank=True)
    ended_at = models.DateTimeField("ngày kết thúc xử lý", null=True, blank=True)
    status = models.CharField("trạng thái trên Cổng DVCQG", max_length=40)
    digitised = models.BooleanField("đã số hoá", null=True, blank=True)
    channel = models.PositiveSmallIntegerField("kênh (KenhThucHien)", null=True, blank=True)

    class Meta:
        verbose_name = "hồ sơ trên Cổng DVCQG"
        verbose_name_plural = "hồ sơ trên Cổng DVCQG"
        ordering = ["reconciliation", "row_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["reconciliation", "code"], name="unique_portal_row_code"
            )
        ]

    def __str__(self) -> str:
        return self.code


class PortalIndicator(models.Model):
    """Một chỉ số của Cổng DVCQG cho kỳ đối chiếu (tên/mã → giá trị)."""

    reconciliation = models.ForeignKey(
        ReconciliationImport, on_delete=models.CASCADE, related_name="indicators"
    )
    row_number = models.PositiveIntegerField("dòng")
    name = models.CharField("chỉ số", max_length=300)
    code = models.CharField("mã chỉ số", max_length=40, blank=True)
    key = models.CharField("chỉ số tương ứng trong phần mềm", max_length=40, blank=True)
    value = models.DecimalField("giá trị", max_digits=14, decimal_places=3)

    class Meta:
        verbose_name = "chỉ số trên Cổng DVCQG"
        verbose_name_plural = "chỉ số trên Cổng DVCQG"
        ordering = ["reconciliation", "row_number"]

    def __str__(self) -> str:
        return f"{self.name}: {self.value}"
