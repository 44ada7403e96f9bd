"""What the attempts gained in one release (three migrations, 0002 to 0004, squashed):
measured time per part and page visits, the scenario options' order, the date an
e-mail address was confirmed, and random public ids for share links (an integer id told
how many links exist; existing links get theirs here).

``replaces`` lets a database that applied the three go on as it is; keep it until every
installation has migrated past them."""

import ctoready.assessments.models
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill_public_ids(apps, schema_editor):  # type: ignore[no-untyped-def]
    Link = apps.get_model("assessments", "Link")
    for link in Link.objects.filter(public_id__isnull=True).only("pk"):
        link.public_id = ctoready.assessments.models.new_public_id()
        link.save(update_fields=["public_id"])


class Migration(migrations.Migration):
    replaces = [
        ("assessments", "0002_measured_time"),
        ("assessments", "0003_scenario_option_order"),
        ("assessments", "0004_link_public_id_attempt_email_verified_at"),
    ]

    dependencies = [
        ("assessments", "0001_initial"),
        ("instruments", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PageVisit",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("page_id", models.CharField(max_length=64)),
                ("number", models.PositiveSmallIntegerField()),
                ("part", models.CharField(default="core", max_length=8)),
                ("shown_at", models.DateTimeField(blank=True, null=True)),
                ("left_at", models.DateTimeField(blank=True, null=True)),
            ],
        ),
        migrations.AddField(
            model_name="attempt",
            name="core_seconds",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="attempt",
            name="deep_finished_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="attempt",
            name="deep_seconds",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="attempt",
            name="deep_started_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="attempt",
            index=models.Index(fields=["version", "status"], name="attempt_version_status"),
        ),
        migrations.AddField(
            model_name="pagevisit",
            name="attempt",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="page_visits",
                to="assessments.attempt",
            ),
        ),
        migrations.AddConstraint(
            model_name="pagevisit",
            constraint=models.UniqueConstraint(
                fields=("attempt", "page_id"), name="one_visit_per_page"
            ),
        ),
        migrations.AddField(
            model_name="attempt",
            name="option_order",
            field=models.JSONField(blank=True, default=dict),
        ),
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
        migrations.RunPython(
            code=fill_public_ids,
            reverse_code=migrations.RunPython.noop,
        ),
        migrations.AlterField(
            model_name="link",
            name="public_id",
            field=models.CharField(
                default=ctoready.assessments.models.new_public_id, max_length=32, unique=True
            ),
        ),
    ]
