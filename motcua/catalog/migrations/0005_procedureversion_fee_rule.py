"""A procedure version's fee rule (issue 12): how the fee is computed, not only its amount.

Existing versions get the rule they always meant: their amount per case (0: free).
"""

from django.db import migrations, models


def fill_rules(apps, schema_editor):
    # the stored form of motcua.core.fees as of this migration, written out so that a later
    # change of the engine does not change what this migration did
    ProcedureVersion = apps.get_model("catalog", "ProcedureVersion")
    for version in ProcedureVersion.objects.only("pk", "fee").iterator():
        if version.fee:
            version.fee_rule = {"basis": "ho_so", "kind": "le_phi", "price": version.fee}
        else:
            version.fee_rule = {"basis": "mien"}
        version.save(update_fields=["fee_rule"])


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_procedure_portal_code")]

    operations = [
        migrations.AddField(
            model_name="procedureversion",
            name="fee_rule",
            field=models.JSONField(blank=True, default=dict, verbose_name="cách tính phí, lệ phí"),
        ),
        # reversed, the column goes away with its values: nothing to undo first
        migrations.RunPython(fill_rules, migrations.RunPython.noop),
    ]
