"""ctoready take — the whole assessment in the terminal, here or against a server."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console

from ctoready.terminal.client import (
    Backend,
    LocalBackend,
    RemoteBackend,
    StateFile,
    TakeError,
    default_state_file,
)
from ctoready.terminal.session import Options, Session


class Command(BaseCommand):
    help = (
        "Take the CTO Readiness Assessment in the terminal; resumes where you left off. "
        "Local database by default, or a server's API with --url."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--instrument", help="Instrument id (default: the newest).")
        parser.add_argument("--context", help="Target context (stage) id; asked if omitted.")
        parser.add_argument("--lang", default="en", choices=["en", "fr"])
        parser.add_argument("--url", help="A ctoready server, e.g. https://example.org")
        parser.add_argument(
            "--state", type=Path, help=f"Progress file (default {default_state_file()})."
        )
        parser.add_argument(
            "--out", type=Path, default=Path(), help="Folder for the JSON and PDF report."
        )
        parser.add_argument("--new", action="store_true", help="Start over, forgetting progress.")

    def handle(self, *args: Any, **options: Any) -> None:
        backend: Backend = RemoteBackend(options["url"]) if options["url"] else LocalBackend()
        state = StateFile(options["state"] or default_state_file())
        console = Console(highlight=False)
        session = Session(console, backend, state)
        choices = Options(
            instrument=options["instrument"],
            context=options["context"],
            lang=options["lang"],
            out_dir=options["out"],
            new=options["new"],
        )
        try:
            code = session.run(choices)
        except TakeError as exc:
            raise CommandError(f"{exc.message} ({exc.code})") from exc
        except (KeyboardInterrupt, EOFError) as exc:
            raise CommandError("Stopped. Your answers are saved; run ctoready take again.") from exc
        if code:
            raise CommandError("The assessment could not continue.", returncode=code)
