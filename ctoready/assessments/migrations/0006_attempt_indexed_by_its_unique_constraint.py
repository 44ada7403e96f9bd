"""Answers and page visits lose the index on their attempt alone: the unique constraint's
index, which the attempt leads, serves every lookup by attempt, and the second index cost
each new row one more write.

Only the index is dropped. Django's own AlterField would rebuild both tables on SQLite
(copying every answer); the names are the ones Django gave the indexes, the same on
SQLite and PostgreSQL.
"""

import django.db.models.deletion
from django.db import migrations, models

INDEXES = {
    "assessments_answer": "assessments_answer_attempt_id_5cbaf2d1",
    "assessments_pagevisit": "assessments_pagevisit_attempt_id_6c06bbf6",
}


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0005_answer_sheet"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    sql=f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX "{name}" ON "{table}" ("attempt_id")',
                )
                for table, name in INDEXES.items()
            ],
            state_operations=[
                migrations.AlterField(
                    model_name=model,
                    name="attempt",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name=related_name,
                        to="assessments.attempt",
                    ),
                )
                for model, related_name in (("answer", "answers"), ("pagevisit", "page_visits"))
            ],
        ),
    ]
