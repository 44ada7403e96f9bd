"""ctoready calibrate — item parameters by marginal ML, from a CSV or from finished attempts."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ctoready import scoring
from ctoready.analytics.calibration import (
    MAX_SE_A,
    MIN_N,
    CalibrationRefusedError,
    calibrate_from_attempts,
    withheld_reason,
)
from ctoready.analytics.versions import versions_for


class Command(BaseCommand):
    help = "Calibrate a graded-response or 2PL model (Bock–Aitkin EM) from a CSV or attempts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE.csv", nargs="?")
        parser.add_argument("--model", choices=["grm", "2pl"], default="grm")
        parser.add_argument("--items", help="Comma-separated columns (default: all).")
        parser.add_argument("--scores", choices=["eap", "map"], help="Also score each row.")
        parser.add_argument("--min-respondents", type=int, default=100)
        parser.add_argument("--instrument", metavar="ID@VERSION")
        parser.add_argument(
            "--from-attempts", action="store_true", help="Calibrate from finished attempts."
        )
        parser.add_argument("--min-n", type=int, default=MIN_N, metavar="N")
        parser.add_argument("--include-synthetic", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["from_attempts"]:
            self._from_attempts(options)
            return
        if not options["file"]:
            raise CommandError("give FILE.csv, or --instrument with --from-attempts", returncode=1)
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

    def _from_attempts(self, options: dict[str, Any]) -> None:
        if not options["instrument"] or options["file"]:
            raise CommandError(
                "--from-attempts takes --instrument ID@VERSION, no FILE", returncode=1
            )
        if options["min_n"] < 50:
            raise CommandError("--min-n must be at least 50", returncode=1)
        versions = versions_for(options["instrument"])
        if not versions:
            raise CommandError(f"no stored instrument {options['instrument']}", returncode=1)
        try:
            made = calibrate_from_attempts(
                versions=versions,
                min_n=options["min_n"],
                include_synthetic=options["include_synthetic"],
            )
        except CalibrationRefusedError as error:
            raise CommandError(str(error), returncode=1) from None
        result = {
            "draft": f"{made.instrument_slug}@{made.draft_version}",
            "n": made.n,
            "synthetic": made.synthetic,
            "standard_errors": "observed information (numerical Hessian of the analytic score)",
            "withheld": withheld_reason(made) if made.withheld else None,
            "max_se_a": MAX_SE_A,
            "items": made.results,
        }
        self.stdout.write(json.dumps(result, indent=2, allow_nan=False))
