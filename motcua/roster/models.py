"""The duty roster (lịch trực) of a desk: its counters and its shifts. The rules are in
``motcua.core.roster``; every change is one function of ``motcua.roster.actions``, written in
the configuration log (docs/roster.md)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from motcua.core.roster import PART_LABELS


class ServiceCounter(models.Model):
    """Quầy tiếp nhận và trả kết quả của Bộ phận Một cửa."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField("số quầy")
    name = models.CharField("tên quầy", max_length=120, blank=True)
    fields = models.ManyToManyField(
        "catalog.Field", verbose_name="lĩnh vực", blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "quầy"
        verbose_name_plural = "quầy"
        ordering = ["unit_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="one_counter_number")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"Quầy {self.number}" + (f" — {self.name}" if self.name else "")


class Shift(models.Model):
    """Ca trực: one official on duty on a day, morning, afternoon or all day, at a counter or
    at their own office."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")
    day = models.DateField("ngày", db_index=True)
    part = models.CharField("buổi", max_length=10, choices=list(PART_LABELS.items()))
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="shifts"
    )
    counter = models.ForeignKey(
        ServiceCounter, on_delete=models.PROTECT, null=True, blank=True, related_name="shifts"
    )
    # the seed's option: the commune police (or military) receive at their own office
    at_own_office = models.BooleanField("tiếp nhận tại trụ sở riêng", default=False)
    place = models.CharField("nơi tiếp nhận", max_length=300, blank=True)
    # empty: the official's own fields
    fields = models.ManyToManyField(
        "catalog.Field", verbose_name="lĩnh vực", blank=True, related_name="+"
    )
    stand_in_for = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="trực thay cho",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField("ghi chú", max_length=200, blank=True)

    class Meta:
        verbose_name = "ca trực"
        verbose_name_plural = "ca trực"
        ordering = ["day", "part", "counter__number"]
        indexes = [models.Index(fields=["unit", "day"], name="shift_day")]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.part} {self.official_id}"

    @property
    def part_label(self) -> str:
        return PART_LABELS[self.part]
