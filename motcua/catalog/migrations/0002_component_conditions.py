"""Record, for the papers of every stored procedure version, whether each is conditional
("(nếu có)", "trường hợp …") and the form the list names (core.components); the names do not
change. Reversible: the old entries had only name, mandatory (always true) and count."""

from django.db import migrations

from motcua.core.components import parse_component


def with_conditions(apps, schema_editor):
    Version = apps.get_model("catalog", "ProcedureVersion")
    for version in Version.objects.all().iterator(chunk_size=500):
        version.components = [
            {**parse_component(c["name"]).as_dict(), "count": c.get("count", 1)}
            for c in version.components
        ]
        version.save(update_fields=["components"])


def without_conditions(apps, schema_editor):
    Version = apps.get_model("catalog", "ProcedureVersion")
    for version in Version.objects.all().iterator(chunk_size=500):
        version.components = [
            {"name": c["name"], "mandatory": True, "count": c.get("count", 1)}
            for c in version.components
        ]
        version.save(update_fields=["components"])


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(with_conditions, without_conditions)]
