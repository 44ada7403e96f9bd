"""Share links get random public ids (an integer id told how many links exist), and an
attempt remembers when its e-mail address was confirmed through the e-mailed link."""

from django.db import migrations, models

import ctoready.assessments.models


def fill_public_ids(apps, schema_editor):  # type: ignore[no-untyped-def]
    Link = apps.get_model("assessments", "Link")
    for link in Link.objects.filter(public_id__isnull=True).only("pk"):
        link.public_id = ctoready.assessments.models.new_public_id()
        link.save(update_fields=["public_id"])


class Migration(migrations.Migration):
    dependencies = [("assessments", "0003_scenario_option_order")]

    operations = [
        migrations.AddField(
            model_name="attempt",
            name="email_verified_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="link",
            name="public_id",
            field=models.CharField(max_length=32, null=True),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="link",
            name="public_id",
            field=models.CharField(
                default=ctoready.assessments.models.new_public_id, max_length=32, unique=True
            ),
        ),
    ]
