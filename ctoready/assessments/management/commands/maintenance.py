"""ctoready maintenance — apply the retention periods (run hourly; `serve` does)."""

from typing import Any

from django.core.management.base import BaseCommand

from ctoready.assessments.services import apply_retention


class Command(BaseCommand):
    help = "Delete what the retention periods say is no longer kept (docs/privacy.md)."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = apply_retention()
        self.stdout.write(", ".join(f"{name}: {count} deleted" for name, count in counts.items()))
