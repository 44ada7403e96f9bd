"""ctoready demo --attempts N --seed S — synthetic attempts simulated from the instrument."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ctoready.analytics.synthetic import create_demo_attempts
from ctoready.analytics.versions import default_spec, versions_for


class Command(BaseCommand):
    help = "Create finished attempts simulated from an instrument's model, marked synthetic."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--attempts", type=int, required=True, metavar="N")
        parser.add_argument("--seed", type=int, default=1, metavar="S")
        parser.add_argument(
            "--instrument", metavar="ID[@VERSION]", help="Default: the newest published version."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not 1 <= options["attempts"] <= 100_000:
            raise CommandError("--attempts must be between 1 and 100,000", returncode=1)
        spec = options["instrument"] or default_spec()
        versions = [v for v in versions_for(spec) if v.is_published] if spec else []
        if not versions:
            raise CommandError(f"no published instrument {spec or '(none stored)'}", returncode=1)
        made = create_demo_attempts(
            versions=versions, attempts=options["attempts"], seed=options["seed"]
        )
        languages = ", ".join(v.locale for v in versions)
        self.stdout.write(
            f"created {len(made)} synthetic finished attempt(s) of {versions[0].label} "
            f"({languages}), seed {options['seed']}; they are excluded from norms and "
            "real-data figures"
        )
