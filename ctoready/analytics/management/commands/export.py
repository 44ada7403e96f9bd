"""ctoready export responses — finished attempts' answers as CSV, for calibration."""

import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ctoready.assessments.models import Answer, Attempt
from ctoready.instruments.models import InstrumentVersion
from ctoready.instruments.services import document_for
from ctoready.lib import audit
from ctoready.lib.csvsafe import write_csv


class Command(BaseCommand):
    help = "Export item responses of finished attempts (pseudonymous rows) as CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True, metavar="WHAT")
        responses = sub.add_parser("responses", help="One row per finished attempt.")
        responses.add_argument("--instrument", required=True, metavar="ID[@VERSION]")
        responses.add_argument("--operator", required=True, metavar="EMAIL")
        responses.add_argument("-o", "--output", metavar="FILE.csv")

    def handle(self, *args: Any, **options: Any) -> None:
        operator = get_user_model().objects.filter(email=options["operator"], is_staff=True).first()
        if operator is None:
            raise CommandError("--operator must be the e-mail of a staff account", returncode=1)
        slug, _, number = options["instrument"].partition("@")
        versions = InstrumentVersion.objects.filter(instrument__slug=slug)
        if number:
            versions = versions.filter(version=number)
        version = max(versions, key=lambda v: v.semver, default=None)
        if version is None:
            raise CommandError(f"no stored instrument {options['instrument']}", returncode=1)
        text, count = responses_csv(version)
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
        audit.record(actor=operator, action="export_responses", target=version.label, rows=count)
        self.stderr.write(f"exported {count} finished attempt(s) of {version.label}")


def responses_csv(version: InstrumentVersion) -> tuple[str, int]:
    """Likert values (empty for "no opportunity yet" or skipped) per attempt; no identity."""
    doc = document_for(version)
    same = InstrumentVersion.objects.filter(instrument=version.instrument, version=version.version)
    attempts = Attempt.objects.filter(version__in=same, status=Attempt.Status.FINISHED)
    items = [item.id for item in doc.likert_items]
    values: dict[int, dict[str, Any]] = {}
    rows = Answer.objects.filter(attempt__in=attempts, item_id__in=items)
    for attempt_id, item_id, value in rows.values_list("attempt_id", "item_id", "value"):
        values.setdefault(attempt_id, {})[item_id] = value if isinstance(value, int) else None
    meta = attempts.order_by("finished_at").values_list("pk", "context", "locale")
    table = [
        [n, context, locale, *(values.get(pk, {}).get(item) for item in items)]
        for n, (pk, context, locale) in enumerate(meta, start=1)
    ]
    return write_csv(["row", "context", "locale", *items], table), len(table)
