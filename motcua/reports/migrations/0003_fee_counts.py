"""The fee counts of a statistics cell (issue 12, 766 indicators 3.5b and 3.6).

``fee_dossiers``: dossiers of a procedure version whose fee is not 0; ``paid_online``: of
those, the ones whose fee stands paid by bank transfer or on the portal's platform. New
columns start at 0; the data step then counts the dossiers already received, in the day
cells, the month cells and each dossier's remembered contribution (``stat_cell``) alike, so
``motcua stats verify`` stays clean and the next event of such a dossier moves its counts
exactly (``reports.cells.count_dossier`` compares ``stat_cell`` with the recomputed text).
"""

import json
from collections import Counter

from django.db import migrations, models
from django.db.models import F

# As of this migration (written out so that a later change of the code does not change
# what it did): reports.models.NEVER, dossiers.models.ONLINE_PAYMENT, and the stored form of
# a contribution, reports.cells.encode — [unit, field, received, ended, overdue, [names of the
# counts that are 1, in the order of core.statistics.COUNT_FIELDS]]; the two new counts are
# the last two of that order.
NEVER = "9999-12-31"
ONLINE = ("bank", "portal")
NEW = ("fee_dossiers", "paid_online")


def _month(day: str) -> str:
    return day if day == NEVER else day[:8] + "01"


def count_fees(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    StatCell = apps.get_model("reports", "StatCell")
    StatMonthCell = apps.get_model("reports", "StatMonthCell")
    days: Counter = Counter()
    rows = (
        Dossier.objects.filter(received_at__isnull=False, procedure_version__fee__gt=0)
        .exclude(stat_cell="")
        .values_list("pk", "stat_cell", "fee_paid_via")
    )
    updates = []
    for pk, text, via in rows.iterator(chunk_size=5000):
        unit, field, received, ended, overdue, ones = json.loads(text)
        added = [n for n in NEW if n == "fee_dossiers" or via in ONLINE]
        if any(n in ones for n in added):
            continue  # counted already (the step ran before on these rows)
        key = (unit, field, received, ended or NEVER, overdue or NEVER)
        for name in added:
            days[(key, name)] += 1
        new_text = json.dumps(
            [unit, field, received, ended, overdue, [*ones, *added]], separators=(",", ":")
        )
        updates.append(Dossier(pk=pk, stat_cell=new_text))
    Dossier.objects.bulk_update(updates, ["stat_cell"], batch_size=2000)
    months: Counter = Counter()
    for ((unit, field, received, ended, overdue), name), n in days.items():
        months[((unit, field, _month(received), _month(ended), _month(overdue)), name)] += n
    for model, counts, columns in (
        (StatCell, days, ("received_day", "ended_day", "overdue_from")),
        (StatMonthCell, months, ("received_month", "ended_month", "overdue_month")),
    ):
        for ((unit, field, *key_days), name), n in counts.items():
            model.objects.filter(
                unit_id=unit, field_id=field, **dict(zip(columns, key_days, strict=True))
            ).update(**{name: F(name) + n})


def forget_fees(apps, schema_editor):
    """Reversed: the columns go away with their values; the contributions forget the names."""
    Dossier = apps.get_model("dossiers", "Dossier")
    updates = []
    rows = Dossier.objects.filter(stat_cell__contains="fee_dossiers").values_list("pk", "stat_cell")
    for pk, text in rows.iterator(chunk_size=5000):
        *key, ones = json.loads(text)
        kept = [n for n in ones if n not in NEW]
        updates.append(Dossier(pk=pk, stat_cell=json.dumps([*key, kept], separators=(",", ":"))))
    Dossier.objects.bulk_update(updates, ["stat_cell"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0008_dossier_fee_amount_dossier_fee_paid_at_and_more"),
        ("reports", "0002_month_cells"),
    ]

    operations = [
        migrations.AddField(
            model_name="statcell",
            name="fee_dossiers",
            field=models.IntegerField(db_default=0, default=0),
        ),
        migrations.AddField(
            model_name="statcell",
            name="paid_online",
            field=models.IntegerField(db_default=0, default=0),
        ),
        migrations.AddField(
            model_name="statmonthcell",
            name="fee_dossiers",
            field=models.IntegerField(db_default=0, default=0),
        ),
        migrations.AddField(
            model_name="statmonthcell",
            name="paid_online",
            field=models.IntegerField(db_default=0, default=0),
        ),
        migrations.RunPython(count_fees, forget_fees),
    ]
