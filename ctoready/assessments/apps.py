import sys
from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AssessmentsConfig(AppConfig):
    name = "ctoready.assessments"
    label = "assessments"

    def ready(self) -> None:
        post_migrate.connect(_write_missing_sheets, sender=self)


def _write_missing_sheets(
    sender: AppConfig, using: str = "default", verbosity: int = 1, **kwargs: Any
) -> None:
    """After ``migrate``: the answer sheet of every finished attempt without a current one
    (attempts finished before sheets existed), with the models as the code has them; said
    on ``migrate``'s own output."""
    from django.db import connections

    from ctoready.assessments.models import AnswerSheet
    from ctoready.assessments.sheets import write_missing

    tables = connections[using].introspection.table_names()
    if using == "default" and AnswerSheet._meta.db_table in tables:  # not when migrating back
        written = write_missing()
        if written and verbosity:
            out = kwargs.get("stdout") or sys.stdout
            out.write(f"  Wrote the answer sheets of {written} finished attempts.\n")
