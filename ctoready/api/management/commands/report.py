"""ctoready report — write a finished attempt's report as JSON, PDF or HTML (operators)."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ctoready.api import renderings
from ctoready.assessments.models import Attempt

PAPERS = {"a4": "A4", "letter": "letter"}


class Command(BaseCommand):
    help = "Write the report of a finished attempt (its public id) as JSON, PDF or HTML."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("attempt", help="The attempt's public id (as in its URLs).")
        parser.add_argument("--format", choices=renderings.FORMATS, default="json")
        parser.add_argument(
            "-o", "--output", help="File to write (default cto-readiness-ID.FORMAT; - for stdout)."
        )
        parser.add_argument("--paper", choices=sorted(PAPERS), default="a4", help="For PDF.")

    def handle(self, *args: Any, **options: Any) -> None:
        attempt = (
            Attempt.objects.select_related("version", "version__instrument")
            .filter(public_id=options["attempt"])
            .first()
        )
        if attempt is None:
            raise CommandError(f"No attempt with id {options['attempt']!r}.")
        fmt = options["format"]
        try:
            body = renderings.render(attempt, fmt, PAPERS[options["paper"]])
        except renderings.NotFinishedError as exc:
            raise CommandError("That attempt is not finished: it has no report yet.") from exc
        output = options["output"] or f"cto-readiness-{attempt.public_id}.{fmt}"
        if output == "-":
            sys.stdout.buffer.write(body)
            sys.stdout.flush()
            return
        Path(output).write_bytes(body)
        self.stderr.write(f"Wrote {fmt.upper()} report to {Path(output).resolve()}")
