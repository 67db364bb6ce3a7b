"""Queue numbers (số thứ tự) at the desk: the tickets of a day. The rules are in
``motcua.core.queue``; the changes in ``motcua.queue.actions`` (docs/queue.md)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from motcua.core.queue import STATUS_LABELS, Status


class QueueTicket(models.Model):
    """Phiếu số thứ tự."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")
    day = models.DateField("ngày")
    counter = models.ForeignKey(
        "roster.ServiceCounter", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    number = models.CharField("số", max_length=8)
    status = models.CharField(
        "trạng thái",
        max_length=8,
        choices=[(s.value, label) for s, label in STATUS_LABELS.items()],
        default=Status.WAITING,
    )
    taken_at = models.DateTimeField("lấy số lúc")
    called_at = models.DateTimeField("gọi lúc", null=True, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # where the official called it to (their counter on the roster, else the ticket's)
    called_to = models.CharField("mời đến", max_length=120, blank=True)
    served_at = models.DateTimeField("xong lúc", null=True, blank=True)

    class Meta:
        verbose_name = "số thứ tự"
        verbose_name_plural = "số thứ tự"
        ordering = ["taken_at"]
        indexes = [models.Index(fields=["unit", "day", "status"], name="ticket_day")]
        constraints = [
            models.UniqueConstraint(fields=["unit", "day", "number"], name="one_number_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.number}"


class QueueSequence(models.Model):
    """The last number given at a unit's counter on a day (counter 0: any counter)."""

    unit_code = models.CharField(max_length=8)
    day = models.DateField()
    counter_number = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit_code", "day", "counter_number"], name="unique_queue_sequence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_code} {self.day} {self.counter_number}: {self.last}"
