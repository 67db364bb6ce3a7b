"""Office hours are whole minutes (docs/time.md, "Office hours"): a desk's bound given to the
second, which the form used to accept, is rewritten as HH:MM, its seconds dropped as the
periods always counted them; each rewrite is a row of the configuration log."""

from datetime import time

from django.db import migrations, models

NOTE = (
    "Giờ làm việc tính theo phút: phần giây của giờ bắt đầu, giờ kết thúc được bỏ khi nâng cấp "
    "phần mềm."
)


def in_minutes(text: str) -> str:
    """The hours with every bound as HH:MM, e.g. 07:30:30-11:30 → 07:30-11:30 (text that does
    not parse is left as it is)."""
    try:
        periods = [
            [time.fromisoformat(bound.strip()) for bound in part.split("-")]
            for part in text.split(",")
        ]
    except ValueError:
        return text
    return ",".join("-".join(f"{bound:%H:%M}" for bound in period) for period in periods)


def forwards(apps, schema_editor):
    Desk = apps.get_model("units", "Desk")
    ConfigChange = apps.get_model("units", "ConfigChange")
    ConfigGeneration = apps.get_model("units", "ConfigGeneration")
    rewritten = False
    for desk in Desk.objects.all():
        after = in_minutes(desk.office_hours)
        if after == desk.office_hours:
            continue
        ConfigChange.objects.create(
            unit_id=desk.unit_id,
            kind="office_hours",
            actor=None,
            actor_name="Hệ thống (nâng cấp)",
            target=desk.name,
            before={"office_hours": desk.office_hours},
            after={"office_hours": after},
            note=NOTE,
        )
        desk.office_hours = after
        desk.save(update_fields=["office_hours"])
        rewritten = True
    if rewritten:  # processes still running read the desks afresh (motcua.units.cache)
        ConfigGeneration.objects.filter(pk=1).update(value=models.F("value") + 1)


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0008_desk_rules"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
