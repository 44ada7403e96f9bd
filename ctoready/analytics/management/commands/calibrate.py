"""ctoready calibrate FILE.csv --model grm|2pl — item parameters by marginal ML, as JSON."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ctoready import scoring


class Command(BaseCommand):
    help = "Calibrate a graded-response or 2PL model (Bock–Aitkin EM) from a CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE.csv")
        parser.add_argument("--model", choices=["grm", "2pl"], default="grm")
        parser.add_argument("--items", help="Comma-separated columns (default: all).")
        parser.add_argument("--scores", choices=["eap", "map"], help="Also score each row.")
        parser.add_argument("--min-respondents", type=int, default=100)

    def handle(self, *args: Any, **options: Any) -> None:
        items = [c.strip() for c in options["items"].split(",")] if options["items"] else None
        try:
            report = scoring.calibration_report(
                options["file"],
                model=options["model"],
                items=items,
                scores=options["scores"],
                min_respondents=options["min_respondents"],
            )
        except (scoring.ScoringError, OSError) as error:
            raise CommandError(str(error), returncode=1) from None
        self.stdout.write(json.dumps(report, indent=2, allow_nan=False))
