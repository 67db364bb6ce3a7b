"""Feedback and petitions (phản ánh, kiến nghị): the record. The rules are in
``motcua.core.feedback``; every change is one function of ``motcua.workflow.feedback`` with its
event here (``FeedbackEvent``), in one transaction (docs/feedback.md).

The dossier a feedback is about is a reference to the dossier record of the floor above
(``dossiers.Dossier``, by name: this room imports nothing of it), so the statistics can count
the dossiers that drew a feedback (766 5.4)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from motcua.core.feedback import ABOUT_LABELS, EVENT_LABELS, SOURCE_LABELS, STATUS_LABELS, Status


def _choices(labels: dict) -> list[tuple[str, str]]:
    return [(key.value, label) for key, label in labels.items()]


class FeedbackRules(models.Model):
    """Thời hạn xử lý phản ánh, kiến nghị của một tỉnh (ngày làm việc); without a row, 766's."""

    province = models.OneToOneField(
        "units.Unit", on_delete=models.CASCADE, primary_key=True, related_name="feedback_rules"
    )
    refuse_days = models.PositiveSmallIntegerField("từ chối tiếp nhận trong", default=2)
    ask_days = models.PositiveSmallIntegerField("yêu cầu bổ sung trong", default=5)
    handle_days = models.PositiveSmallIntegerField("xử lý, trả lời trong", default=15)
    publish_days = models.PositiveSmallIntegerField("công khai kết quả trong", default=2)

    class Meta:
        verbose_name = "thời hạn xử lý phản ánh, kiến nghị"
        verbose_name_plural = "thời hạn xử lý phản ánh, kiến nghị"

    def __str__(self) -> str:
        return (
            f"{self.province_id}: {self.refuse_days}/{self.ask_days}/"
            f"{self.handle_days}/{self.publish_days}"
        )


class Feedback(models.Model):
    """Phản ánh, kiến nghị của cá nhân, tổ chức gửi một xã."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    code = models.CharField("mã phản ánh", max_length=32, unique=True)
    # the sender's key to follow it on /phan-anh/<token>/ (never shown to anyone else)
    token = models.CharField(max_length=43, unique=True)
    source = models.CharField("nguồn", max_length=8, choices=_choices(SOURCE_LABELS))
    about = models.CharField("nội dung về", max_length=12, choices=_choices(ABOUT_LABELS))
    procedure = models.ForeignKey(
        "catalog.Procedure", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField("tiêu đề", max_length=200)
    content = models.TextField("nội dung")
    # the sender (personal data: masked where not needed, never published)
    sender_name = models.CharField("họ tên người gửi", max_length=200)
    sender_phone = models.CharField("điện thoại", max_length=20, blank=True)
    sender_email = models.EmailField("thư điện tử", blank=True)
    sender_address = models.CharField("địa chỉ", max_length=300, blank=True)
    message_id = models.CharField("mã thư gốc", max_length=300, blank=True)  # e-mail import

    status = models.CharField(
        "trạng thái", max_length=10, choices=_choices(STATUS_LABELS), default=Status.RECEIVED
    )
    received_at = models.DateTimeField("thời điểm tiếp nhận", db_index=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # the legal clock (local dates; a step is on time done on or before its day)
    refuse_by = models.DateField("hạn từ chối")
    ask_by = models.DateField("hạn yêu cầu bổ sung")
    handle_by = models.DateField("hạn trả lời")
    publish_by = models.DateField("hạn công khai", null=True, blank=True)
    handle_days = models.PositiveSmallIntegerField("số ngày xử lý")
    publish_days = models.PositiveSmallIntegerField("số ngày công khai")

    classified_at = models.DateTimeField("thời điểm phân loại", null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    refused_at = models.DateTimeField(null=True, blank=True)
    first_asked_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField("nội dung trả lời", blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # what the public page shows: the official's reading of the redacted texts
    public_question = models.TextField("nội dung công khai", blank=True)
    public_answer = models.TextField("trả lời công khai", blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    satisfied = models.BooleanField("người gửi hài lòng", null=True, blank=True)
    satisfied_at = models.DateTimeField(null=True, blank=True)
    reopened = models.PositiveSmallIntegerField("số lần phản ánh lại", default=0)

    class Meta:
        verbose_name = "phản ánh, kiến nghị"
        verbose_name_plural = "phản ánh, kiến nghị"
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["unit", "status", "handle_by"], name="feedback_open")]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[Status(self.status)]


class FeedbackEvent(models.Model):
    """Một bước xử lý phản ánh: append-only, the feedback's history (who, when, what)."""

    id = models.BigAutoField(primary_key=True)
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="events")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("bước", max_length=16, choices=list(EVENT_LABELS.items()))
    at = models.DateTimeField("thời điểm")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField("người thực hiện", max_length=200)
    note = models.TextField("ghi chú", blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "bước xử lý phản ánh"
        verbose_name_plural = "bước xử lý phản ánh"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.feedback_id} {self.kind}"


class FeedbackFile(models.Model):
    """Tệp đính kèm phản ánh (PDF, JPEG, PNG, checked from its bytes), kept in the database
    with the feedback so that both commit or neither does."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="files")
    name = models.CharField("tên tệp", max_length=200)
    mime_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()
    from_sender = models.BooleanField(default=True)  # False: attached to the answer
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = "tệp đính kèm phản ánh"
        verbose_name_plural = "tệp đính kèm phản ánh"
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.name


class FeedbackSequence(models.Model):
    """The last feedback number given at a unit in a year (never reused)."""

    unit_code = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit_code", "year"], name="unique_feedback_year")
        ]

    def __str__(self) -> str:
        return f"{self.unit_code} {self.year}: {self.last}"
