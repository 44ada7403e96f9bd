"""ctoready worker — the background-task worker, with the hourly maintenance (retention,
expired sessions).

One story for every topology: `ctoready serve` runs the web server and one of these beside
it; `ctoready serve --no-worker` runs only the web server, and as many `ctoready worker`
processes as you like run elsewhere on the same database queue. Each task is claimed by
exactly one worker (a row lock, skipped by the others).
"""

import logging
import os
import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connections

MAINTENANCE_SECONDS = 3600
FIRST_MAINTENANCE_SECONDS = 5
logger = logging.getLogger(__name__)


def _maintenance_loop(stop: threading.Event) -> None:
    delay = FIRST_MAINTENANCE_SECONDS
    while not stop.wait(delay):
        delay = MAINTENANCE_SECONDS
        try:
            call_command("maintenance", verbosity=0)
            # Expired sessions: one row per visitor otherwise stays for good.
            call_command("clearsessions", verbosity=0)
        except Exception:
            # Housekeeping must never take the task worker down with it.
            logger.exception("maintenance failed; retrying in an hour")
        finally:
            connections.close_all()


class Command(BaseCommand):
    help = "Run background tasks (e-mail, reference groups) and hourly maintenance."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")
        parser.add_argument("--reload", action="store_true", help="Restart on code changes.")
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then exit.")
        parser.add_argument(
            "--no-maintenance", action="store_true", help="Leave retention to another process."
        )
        parser.add_argument("--worker-id", default=None, help="Unique per worker (default random).")

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        # Under --reload the parent only watches files; the child does the work.
        working = not options["reload"] or os.environ.get("RUN_MAIN") == "true"
        if working and not options["no_maintenance"] and not options["batch"]:
            threading.Thread(target=_maintenance_loop, args=(stop,), daemon=True).start()
        worker = {"worker_id": options["worker_id"]} if options["worker_id"] else {}
        try:
            call_command(
                "db_worker",
                interval=options["interval"],
                reload=options["reload"],
                batch=options["batch"],
                startup_delay=not options["batch"],
                verbosity=options["verbosity"],
                **worker,
            )
        finally:
            stop.set()
