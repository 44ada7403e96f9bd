"""How long data is kept (docs/privacy.md): applied hourly by `ctoready maintenance`."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from ctoready.assessments.models import Attempt, Link
from ctoready.lib.privacy import erase_personal_data
from ctoready.lib.ratelimit import purge_old_counters


def apply_retention() -> dict[str, int]:
    """Delete unfinished attempts past their expiry date, expired private links, failure
    counters, and (when RETENTION_FINISHED_DAYS is set) finished attempts older than that."""
    now = timezone.now()
    unfinished = Attempt.objects.filter(
        Q(status=Attempt.Status.EXPIRED) | Q(status=Attempt.Status.IN_PROGRESS, expires_at__lte=now)
    )
    counts = {"unfinished_attempts": unfinished.delete()[1].get("assessments.Attempt", 0)}
    counts["links"] = Link.objects.filter(expires_at__lte=now).delete()[0]
    counts["finished_attempts"] = 0
    if settings.RETENTION_FINISHED_DAYS > 0:
        cutoff = now - timedelta(days=settings.RETENTION_FINISHED_DAYS)
        old = Attempt.objects.filter(status=Attempt.Status.FINISHED, finished_at__lt=cutoff)
        counts["finished_attempts"] = old.count()
        erase_personal_data(attempts=old)  # with their cached renderings
    counts["counters"] = purge_old_counters()
    return counts
