"""ctoready stats reliability FILE.csv --scale NAME=COL,COL,... — reliability as JSON."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ctoready import scoring


def parse_scale(text: str) -> tuple[str, list[str]]:
    name, sep, columns = text.partition("=")
    cols = [c.strip() for c in columns.split(",") if c.strip()]
    if not sep or not name.strip() or not cols:
        raise CommandError(f"--scale takes NAME=COL,COL,... (got {text!r})", returncode=1)
    return name.strip(), cols


class Command(BaseCommand):
    help = "Item and scale statistics from a CSV of responses."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        rel = sub.add_parser("reliability", help="Cronbach's alpha, omega, item-total r.")
        rel.add_argument("file", metavar="FILE.csv")
        rel.add_argument("--scale", action="append", required=True, metavar="NAME=COL,COL")
        rel.add_argument("--reverse", nargs="*", default=[], metavar="COL")
        rel.add_argument("--min", type=float, default=1.0, help="Lowest response value.")
        rel.add_argument("--max", type=float, default=5.0, help="Highest response value.")
        rel.add_argument("--missing", choices=["listwise", "pairwise"], default="listwise")

    def handle(self, *args: Any, **options: Any) -> None:
        scales = dict(parse_scale(text) for text in options["scale"])
        try:
            report = scoring.reliability_report(
                options["file"],
                scales,
                reverse=options["reverse"],
                min=options["min"],
                max=options["max"],
                missing=options["missing"],
            )
        except (scoring.ScoringError, OSError) as error:
            raise CommandError(str(error), returncode=1) from None
        self.stdout.write(json.dumps(report, indent=2, allow_nan=False))
