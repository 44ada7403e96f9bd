"""ctoready maintenance — expire unfinished attempts and purge old counters (run hourly)."""

from typing import Any

from django.core.management.base import BaseCommand

from ctoready.assessments.services import expire_attempts
from ctoready.lib.ratelimit import purge_old_counters


class Command(BaseCommand):
    help = "Periodic housekeeping; `ctoready serve` runs it every hour."

    def handle(self, *args: Any, **options: Any) -> None:
        expired = expire_attempts()
        counters = purge_old_counters()
        self.stdout.write(f"expired {expired} unfinished attempt(s); purged {counters} counter(s)")
