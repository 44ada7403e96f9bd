"""ctoready serve — the web server (granian, WSGI) and the background-task worker together.

`--no-worker` serves only; then run `ctoready worker` (tasks and hourly maintenance)
separately, as many as needed, on the same database.
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


def _at_least_one(variable: str) -> Callable[[str], int]:
    """An argument type: a whole number of at least 1, from the flag or from ``variable``."""

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            number = 0
        if number < 1:
            raise argparse.ArgumentTypeError(
                f"{value!r} is not a whole number of at least 1 (from the flag or {variable})"
            )
        return number

    return parse


class Command(BaseCommand):
    help = "Serve the app with granian and run the task worker; --dev for autoreload."
    # This process only supervises its children, which run the checks themselves; skipping
    # them here keeps it from importing every view (about 110 MB).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        # Defaults as text, so that a bad value in the environment is refused as a flag's is.
        parser.add_argument(
            "--workers",
            type=_at_least_one("WEB_CONCURRENCY"),
            default=os.environ.get("WEB_CONCURRENCY", "2"),
            help="web server processes (WEB_CONCURRENCY; default 2)",
        )
        parser.add_argument(
            "--threads",
            type=_at_least_one("WEB_THREADS"),
            default=os.environ.get("WEB_THREADS", "1"),
            help="threads per process running the app (WEB_THREADS; default 1)",
        )
        parser.add_argument("--dev", action="store_true", help="Django's autoreloading server.")
        parser.add_argument(
            "--no-worker", action="store_true", help="Serve only; run `ctoready worker` apart."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        bind = f"{options['host']}:{options['port']}"
        # Links made without a request (PDFs, tasks) in development follow this port too.
        os.environ["PORT"] = str(options["port"])
        ctoready = [sys.executable, "-m", "ctoready.cli"]
        if options["dev"]:
            web = [*ctoready, "runserver", bind]
        else:
            web = [
                sys.executable,
                "-m",
                "granian",
                "--interface",
                "wsgi",
                "--host",
                options["host"],
                "--port",
                str(options["port"]),
                "--workers",
                str(options["workers"]),
                "--blocking-threads",
                str(options["threads"]),
                "--http",
                "1",
                "--no-ws",
                "--access-log",
                # A worker that dies is replaced; one that does not stop within 10 s of
                # SIGTERM is killed.
                "--respawn-failed-workers",
                "--workers-kill-timeout",
                "10",
                "ctoready.wsgi:application",
            ]
        commands = {"web": web}
        if not options["no_worker"]:
            reload = ["--reload"] if options["dev"] else []
            commands["worker"] = [*ctoready, "worker", *reload]
        self.stdout.write(f"ctoready serving on http://{bind}/ (Ctrl-C stops)")
        # Our own interpreter and fixed arguments: nothing here comes from a user.
        processes = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}  # noqa: S603
        stop = False

        def on_signal(signum: int, frame: Any) -> None:
            nonlocal stop
            stop = True

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        try:
            while not stop and all(p.poll() is None for p in processes.values()):
                time.sleep(0.5)
        finally:
            for process in processes.values():
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for process in processes.values():
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
        codes = [p.returncode for p in processes.values()]
        if not stop and any(codes):
            sys.exit(1)
