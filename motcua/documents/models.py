"""Stored files of dossiers (components and results)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


def file_path(instance: StoredFile, filename: str) -> str:
    return f"dossiers/{instance.unit_id}/{instance.id}"


def searchable_path(instance: StoredFile, filename: str) -> str:
    return f"dossiers/{instance.unit_id}/{instance.id}.ocr.pdf"


class OcrState(models.TextChoices):
    PENDING = "pending", "Đang nhận dạng chữ"
    DONE = "done", "Đã nhận dạng chữ"
    UNAVAILABLE = "unavailable", "Chưa cài OCR"
    FAILED = "failed", "Nhận dạng chữ không thành công"


class StoredFile(models.Model):
    """Tệp của hồ sơ: a component or a result, checked from its bytes, with its SHA-256."""

    class Role(models.TextChoices):
        COMPONENT = "component", "Thành phần hồ sơ"
        RESULT = "result", "Kết quả giải quyết"

    class Stage(models.TextChoices):
        DRAFT = "draft", "Dự thảo"
        SIGNED = "signed", "Lãnh đạo đã ký số"
        SEALED = "sealed", "Đã ban hành (văn thư đóng dấu số)"
        # Issued and signed in the national system that issues this procedure's results.
        EXTERNAL = "external", "Đã ký trên hệ thống cấp kết quả"
        SUPERSEDED = "superseded", "Dự thảo đã được thay"

    # A result as issued: sealed here, or signed in the national system that issues it.
    ISSUED = (Stage.SEALED, Stage.EXTERNAL)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="files")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.COMPONENT)
    component = models.CharField("thành phần", max_length=600, blank=True)
    original_name = models.CharField("tên tệp gốc", max_length=255)
    content = models.FileField(upload_to=file_path, max_length=300)
    mime_type = models.CharField(max_length=80)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Results only: how far the document has gone (draft → signed by the leader → sealed).
    stage = models.CharField("bước", max_length=10, choices=Stage.choices, blank=True)
    # Digitisation metadata (TT 01/2023/TT-VPCP Chương II): a file is digitised once its scan
    # is here and these four are filled (motcua.documents.metadata.is_complete).
    document_type = models.CharField("loại giấy tờ", max_length=200, blank=True)
    document_number = models.CharField("số văn bản", max_length=60, blank=True)
    document_date = models.DateField("ngày văn bản", null=True, blank=True)
    issuer = models.CharField("cơ quan ban hành", max_length=300, blank=True)
    # Components taken from the applicant's document store: the same bytes, not a new scan.
    stored_document = models.ForeignKey(
        "documents.StoredDocument",
        verbose_name="dùng lại từ kho",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reuses",
    )
    # OCR (background task): a searchable copy of the PDF and its text; the original is kept.
    ocr_state = models.CharField(
        "nhận dạng chữ", max_length=12, choices=OcrState.choices, blank=True
    )
    ocr_text = models.TextField("nội dung nhận dạng", blank=True)
    ocr_seconds = models.FloatField("thời gian nhận dạng (giây)", null=True, blank=True)
    searchable = models.FileField(upload_to=searchable_path, max_length=300, blank=True)

    class Meta:
        verbose_name = "tệp hồ sơ"
        verbose_name_plural = "tệp hồ sơ"
        indexes = [models.Index(fields=["dossier", "role", "uploaded_at"])]

    def __str__(self) -> str:
        return self.original_name

    @property
    def reused(self) -> bool:
        return self.stored_document_id is not None


class StoredDocument(models.Model):
    """Kho quản lý dữ liệu điện tử của tổ chức, cá nhân (NĐ 45/2020/NĐ-CP Điều 16, sửa đổi bởi
    khoản 8 Điều 40 NĐ 118/2025/NĐ-CP): a digitised component or an issued result, kept for its
    owner (a person by citizen ID, an organisation by tax code) so a later dossier reuses it.

    The bytes are not copied: ``file`` is the dossier file it came from, whose storage path a
    reusing dossier's file points at too.
    """

    class OwnerKind(models.TextChoices):
        PERSON = "person", "Cá nhân"
        ORGANISATION = "organisation", "Tổ chức"

    class Kind(models.TextChoices):
        COMPONENT = "component", "Giấy tờ đã số hoá"
        RESULT = "result", "Kết quả giải quyết đã ban hành"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    owner_kind = models.CharField("loại chủ sở hữu", max_length=16, choices=OwnerKind.choices)
    owner_id = models.CharField("số định danh / mã số thuế", max_length=20)
    kind = models.CharField("nguồn", max_length=10, choices=Kind.choices)
    document_type = models.CharField("loại giấy tờ", max_length=200)
    document_number = models.CharField("số, ký hiệu", max_length=60)
    document_date = models.DateField("ngày ban hành")
    issuer = models.CharField("cơ quan ban hành", max_length=300)
    file = models.OneToOneField(StoredFile, on_delete=models.PROTECT, related_name="in_store")
    sha256 = models.CharField(max_length=64)
    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name="hồ sơ nguồn", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "giấy tờ trong kho dữ liệu của công dân"
        verbose_name_plural = "kho dữ liệu của công dân, tổ chức"
        indexes = [models.Index(fields=["owner_kind", "owner_id", "document_date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["owner_kind", "owner_id", "sha256"], name="store_one_copy_per_owner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_type} {self.document_number}"


class SigningCertificate(models.Model):
    """Chứng thư số: a leader's personal certificate, or the unit's seal (user empty).

    The PKCS#12 file is kept as uploaded, still protected by its passphrase; the passphrase is
    asked at each signature and never stored.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject = models.CharField("chủ thể", max_length=300)
    organisation = models.CharField("tổ chức", max_length=300, blank=True)
    issuer = models.CharField("tổ chức cấp", max_length=300)
    serial = models.CharField("số hiệu", max_length=64)
    fingerprint = models.CharField(max_length=64, unique=True)
    not_before = models.DateTimeField("hiệu lực từ")
    not_after = models.DateTimeField("hiệu lực đến")
    pkcs12 = models.BinaryField()
    active = models.BooleanField(default=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "chứng thư số"
        verbose_name_plural = "chứng thư số"

    def __str__(self) -> str:
        return f"{self.subject} ({self.issuer})"


class TrustedAuthority(models.Model):
    """Tổ chức cung cấp dịch vụ chứng thực được tin cậy, with its revocation list."""

    name = models.CharField("tên", max_length=300)
    certificate = models.BinaryField()  # DER
    fingerprint = models.CharField(max_length=64, unique=True)
    revoked_serials = models.JSONField(default=list, blank=True)  # hex strings, from its CRL
    crl_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "tổ chức chứng thực tin cậy"
        verbose_name_plural = "tổ chức chứng thực tin cậy"

    def __str__(self) -> str:
        return self.name


class RegisterSequence(models.Model):
    """Sổ đăng ký văn bản đi: the last number given to a unit's documents of one type in a year
    (Nghị định 30/2020 Điều 15: numbered from 01 each year, never reused)."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    doc_type = models.CharField("loại văn bản (viết tắt)", max_length=20)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "doc_type"], name="unique_register_sequence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year} {self.doc_type}: {self.last}"


class RegisterEntry(models.Model):
    """One line of the register of outgoing documents: a number given to one document."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("năm")
    doc_type = models.CharField("loại văn bản (viết tắt)", max_length=20)
    number = models.PositiveIntegerField("số")
    full_number = models.CharField("số, ký hiệu", max_length=60)
    document_type = models.CharField("loại văn bản", max_length=200)
    summary = models.CharField("trích yếu", max_length=300, blank=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, null=True, related_name="+")
    issued_on = models.DateField("ngày ban hành")
    manual_reason = models.CharField("lý do ghi số khác số kế tiếp", max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "số văn bản đi"
        verbose_name_plural = "sổ đăng ký văn bản đi"
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "doc_type", "number"], name="unique_register_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_number} ({self.issued_on:%d/%m/%Y})"
