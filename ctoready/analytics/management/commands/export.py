"""ctoready export responses — finished attempts' answers as wide CSV, with item metadata."""

import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ctoready.analytics.data import load_version_data
from ctoready.analytics.exports import metadata_csv, responses_csv
from ctoready.analytics.versions import versions_for
from ctoready.lib import audit


class Command(BaseCommand):
    help = "Export item responses of finished attempts (pseudonymous rows) as CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True, metavar="WHAT")
        responses = sub.add_parser("responses", help="One row per finished attempt.")
        responses.add_argument("--instrument", required=True, metavar="ID[@VERSION]")
        responses.add_argument("--operator", required=True, metavar="EMAIL")
        responses.add_argument("-o", "--output", metavar="FILE.csv")
        responses.add_argument(
            "--items", metavar="FILE.csv", help="Also write the item metadata (one row a column)."
        )
        responses.add_argument(
            "--include-synthetic",
            action="store_true",
            help="Include attempts made by `ctoready demo` (marked in the synthetic column).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        operator = get_user_model().objects.filter(email=options["operator"], is_staff=True).first()
        if operator is None:
            raise CommandError("--operator must be the e-mail of a staff account", returncode=1)
        versions = versions_for(options["instrument"])
        if not versions:
            raise CommandError(f"no stored instrument {options['instrument']}", returncode=1)
        data = load_version_data(versions, include_synthetic=options["include_synthetic"])
        text = responses_csv(data)
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
        if options["items"]:
            Path(options["items"]).write_text(metadata_csv(data), encoding="utf-8")
        audit.record(
            actor=operator,
            action="export_responses",
            target=data.label,
            rows=data.n,
            synthetic=data.n_synthetic,
        )
        note = f", {data.n_synthetic} of them synthetic" if data.n_synthetic else ""
        self.stderr.write(f"exported {data.n} finished attempt(s) of {data.label}{note}")
