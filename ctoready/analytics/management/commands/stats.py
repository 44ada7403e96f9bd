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


def split_columns(values: list[str]) -> list[str]:
    """Every column named, whether the flag was repeated or given a comma list."""
    return [c.strip() for value in values for c in value.split(",") if c.strip()]


class Command(BaseCommand):
    help = "Item and scale statistics from a CSV of responses."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        rel = sub.add_parser("reliability", help="Cronbach's alpha, omega, item-total r.")
        rel.add_argument("file", metavar="FILE.csv")
        rel.add_argument("--scale", action="append", required=True, metavar="NAME=COL,COL")
        rel.add_argument(
            "--reverse",
            action="extend",
            nargs="+",
            default=[],
            metavar="COL",
            help="Reverse-keyed columns; repeat the flag or list them (A1,C4 or A1 C4).",
        )
        rel.add_argument(
            "--min", type=float, help="Lowest possible response (default: lowest in the data)."
        )
        rel.add_argument(
            "--max", type=float, help="Highest possible response (default: highest in the data)."
        )
        rel.add_argument("--missing", choices=["listwise", "pairwise"], default="listwise")

    def handle(self, *args: Any, **options: Any) -> None:
        scales = dict(parse_scale(text) for text in options["scale"])
        try:
            report = scoring.reliability_report(
                options["file"],
                scales,
                reverse=split_columns(options["reverse"]),
                min=options["min"],
                max=options["max"],
                missing=options["missing"],
            )
        except (scoring.ScoringError, OSError) as error:
            raise CommandError(str(error), returncode=1) from None
        self.stdout.write(json.dumps(report, indent=2, allow_nan=False))
