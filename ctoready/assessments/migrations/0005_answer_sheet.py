"""Each finished attempt's answers in one row (``AnswerSheet``), for analytics to read
many attempts at once. Sheets of attempts finished before this are written by
``ctoready migrate`` after it (``sheets.write_missing``)."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0002_squashed_0004_public_ids'),
    ]

    operations = [
        migrations.CreateModel(
            name='AnswerSheet',
            fields=[
                ('attempt', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='sheet', serialize=False, to='assessments.attempt')),
                ('content_hash', models.CharField(max_length=64)),
                ('likert', models.BinaryField()),
                ('answers', models.TextField()),
                ('written_at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
        ),
    ]
