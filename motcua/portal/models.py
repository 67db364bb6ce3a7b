"""One-time codes that confirm a citizen's email or phone for an online submission."""

from __future__ import annotations

import uuid

from django.db import models


class OneTimeCode(models.Model):
    """Mã xác nhận một lần (OTP) gửi tới thư điện tử hoặc điện thoại của người nộp."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="one_time_code"
    )
    destination = models.CharField(max_length=254)
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "mã xác nhận"
        verbose_name_plural = "mã xác nhận"

    def __str__(self) -> str:
        return f"OTP {self.destination}"


class CodeSend(models.Model):
    """One one-time code sent (lần gửi mã xác nhận): the rate limits count these, per
    destination and per dossier, never the citizen's rejected form posts."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="code_sends"
    )
    destination = models.CharField(max_length=254)
    sent_at = models.DateTimeField()

    class Meta:
        verbose_name = "lần gửi mã xác nhận"
        verbose_name_plural = "các lần gửi mã xác nhận"
        indexes = [models.Index(fields=["destination", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.destination} {self.sent_at:%d/%m/%Y %H:%M}"
