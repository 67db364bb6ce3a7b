"""Statistics kept as sums (aggregates), exact in the same transaction as each dossier change."""

from __future__ import annotations

from datetime import date

from django.db import models

# Stands for "no such day" (not ended, never overdue) so the cell key has no NULL in it:
# a unique constraint treats NULLs as distinct on PostgreSQL.
NEVER = date(9999, 12, 31)


class CellCounts(models.Model):
    """The counts a statistics cell holds (``core.statistics.Counts``), day or month."""

    received = models.IntegerField(default=0)
    received_direct = models.IntegerField(default=0)
    received_online = models.IntegerField(default=0)
    received_online_assisted = models.IntegerField(default=0)
    received_post = models.IntegerField(default=0)
    early = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    late = models.IntegerField(default=0)
    digitisable = models.IntegerField(default=0)
    digitised = models.IntegerField(default=0)
    components_digitised = models.IntegerField(default=0)
    results_digitised = models.IntegerField(default=0)
    reused = models.IntegerField(default=0)
    # Added later (issue 12) with a database default too, so an INSERT written before them
    # (the month-cell migration's roll-up, raw SQL) still leaves them 0.
    fee_dossiers = models.IntegerField(default=0, db_default=0)
    paid_online = models.IntegerField(default=0, db_default=0)

    class Meta:
        abstract = True


class StatCell(CellCounts):
    """Ô thống kê: the counts of the dossiers of one unit and field received on one day and
    ended (and overdue from) on the same days. Reports sum cells; they never scan dossiers."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    field = models.ForeignKey("catalog.Field", on_delete=models.PROTECT, related_name="+")
    received_day = models.DateField()
    ended_day = models.DateField()
    overdue_from = models.DateField()

    class Meta:
        verbose_name = "ô thống kê"
        verbose_name_plural = "ô thống kê"
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "received_day", "field", "ended_day", "overdue_from"],
                name="unique_stat_cell",
            )
        ]
        # A report reads day cells only for the months cut by its period: those received,
        # ended or overdue from a day of such a month (the unique index serves the first).
        indexes = [
            models.Index(fields=["unit", "ended_day"], name="stat_cell_unit_ended"),
            models.Index(fields=["unit", "overdue_from"], name="stat_cell_unit_overdue"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.received_day} → {self.ended_day}: {self.received}"


class StatMonthCell(CellCounts):
    """Ô thống kê theo tháng: the day cells summed by month — the same key with the first day
    of the month received, ended and overdue from (or NEVER), kept exact in the same
    transaction as the day cells. A report reads these for the whole months of its period."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    field = models.ForeignKey("catalog.Field", on_delete=models.PROTECT, related_name="+")
    received_month = models.DateField()
    ended_month = models.DateField()
    overdue_month = models.DateField()

    class Meta:
        verbose_name = "ô thống kê theo tháng"
        verbose_name_plural = "ô thống kê theo tháng"
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "received_month", "field", "ended_month", "overdue_month"],
                name="unique_stat_month_cell",
            )
        ]
        # Cells carried into a period (received before it, ended in or after it).
        indexes = [models.Index(fields=["unit", "ended_month"], name="stat_month_unit_ended")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.received_month:%m/%Y} → {self.ended_month}: {self.received}"


class ReportDraft(models.Model):
    """The narrative parts of a unit's drafted report, remembered for the next report."""

    unit = models.OneToOneField("units.Unit", on_delete=models.CASCADE, related_name="+")
    sections = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = "phần lời văn của báo cáo"
        verbose_name_plural = "phần lời văn của báo cáo"

    def __str__(self) -> str:
        return f"Báo cáo của {self.unit_id}"
