"""The notification outbox: written in the dossier's transaction, sent after commit."""

from __future__ import annotations

import uuid

from django.db import models


class Notification(models.Model):
    """Thông báo gửi người nộp hồ sơ (thư điện tử hoặc tin nhắn)."""

    class Channel(models.TextChoices):
        EMAIL = "email", "Thư điện tử"
        SMS = "sms", "Tin nhắn SMS"

    class Status(models.TextChoices):
        PENDING = "pending", "Chờ gửi"
        # claimed by the worker and handed to the mail server or the SMS gateway; a row left
        # here by a killed worker is sent again, under the same message id (tasks.deliver)
        SENDING = "sending", "Đang gửi"
        SENT = "sent", "Đã gửi"
        FAILED = "failed", "Gửi không được"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # the dossier, or the feedback (phản ánh, kiến nghị), the message is about
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    feedback = models.ForeignKey(
        "feedback.Feedback",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("loại", max_length=32)
    channel = models.CharField("kênh", max_length=8, choices=Channel.choices)
    recipient = models.CharField("người nhận", max_length=254)
    subject = models.CharField("tiêu đề", max_length=200)
    body = models.TextField("nội dung")
    status = models.CharField(
        "trạng thái", max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField("số lần gửi", default=0)
    last_error = models.TextField("lỗi gần nhất", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField("lần gửi gần nhất", null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient}: {self.subject}"

    @property
    def message_id(self) -> str:
        """The same for every attempt: a mail system that sees it twice keeps one copy, and an
        SMS gateway that takes a client reference sends once."""
        return f"<thongbao.{self.pk}@motcua>"
