"""Stored files of dossiers (components and results)."""

from __future__ import annotations

import uuid

from django.db import models


def file_path(instance: StoredFile, filename: str) -> str:
    return f"dossiers/{instance.unit_id}/{instance.id}"


class StoredFile(models.Model):
    """Tệp của hồ sơ: a component or a result, checked from its bytes, with its SHA-256."""

    class Role(models.TextChoices):
        COMPONENT = "component", "Thành phần hồ sơ"
        RESULT = "result", "Kết quả giải quyết"

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

    class Meta:
        verbose_name = "tệp hồ sơ"
        verbose_name_plural = "tệp hồ sơ"

    def __str__(self) -> str:
        return self.original_name
