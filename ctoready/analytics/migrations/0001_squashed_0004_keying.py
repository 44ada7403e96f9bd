"""The analytics tables as released together: synthetic attempts, calibrations, norms and
keying rounds (four migrations, 0001 to 0004, squashed into one).

``replaces`` lets a database that applied the four go on as it is; keep it until every
installation has migrated past them."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    replaces = [
        ("analytics", "0001_initial"),
        ("analytics", "0002_calibration"),
        ("analytics", "0003_norm"),
        ("analytics", "0004_keying"),
    ]

    initial = True

    dependencies = [
        ("assessments", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="SyntheticAttempt",
            fields=[
                (
                    "attempt",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="synthetic",
                        serialize=False,
                        to="assessments.attempt",
                    ),
                ),
                ("seed", models.BigIntegerField()),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
        ),
        migrations.CreateModel(
            name="Calibration",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("instrument_slug", models.SlugField(max_length=64)),
                ("source_version", models.CharField(max_length=32)),
                ("draft_version", models.CharField(max_length=32)),
                ("n", models.PositiveIntegerField()),
                ("synthetic", models.PositiveIntegerField(default=0)),
                ("results", models.JSONField()),
                ("withheld", models.BooleanField()),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("published_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "ordering": ["-created_at"],
            },
        ),
        migrations.CreateModel(
            name="Norm",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.SlugField(max_length=64)),
                ("number", models.PositiveIntegerField()),
                ("instrument_slug", models.SlugField(max_length=64)),
                ("instrument_version", models.CharField(max_length=32)),
                ("context", models.CharField(blank=True, max_length=64)),
                ("population", models.TextField()),
                ("n", models.PositiveIntegerField()),
                ("values", models.JSONField()),
                ("built_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "ordering": ["-built_at", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["instrument_slug", "instrument_version", "context"],
                        name="norm_version",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("name", "number"), name="one_norm_per_name_number"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="KeyingRound",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("instrument_slug", models.SlugField(max_length=64)),
                ("instrument_version", models.CharField(max_length=32)),
                ("opened_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("published_version", models.CharField(blank=True, max_length=32)),
                ("published_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "ordering": ["-opened_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="KeyingExpert",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("label", models.CharField(blank=True, max_length=100)),
                ("token_hash", models.CharField(max_length=64, unique=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("expires_at", models.DateTimeField()),
                ("revoked_at", models.DateTimeField(blank=True, null=True)),
                ("submitted_at", models.DateTimeField(blank=True, null=True)),
                ("notes", models.JSONField(blank=True, default=dict)),
                (
                    "round",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="experts",
                        to="analytics.keyinground",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="KeyingRating",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("scenario_id", models.CharField(max_length=64)),
                ("option_id", models.CharField(max_length=64)),
                ("rating", models.PositiveSmallIntegerField()),
                (
                    "expert",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="ratings",
                        to="analytics.keyingexpert",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("expert", "scenario_id", "option_id"), name="one_rating_per_option"
                    )
                ],
            },
        ),
    ]
