"""Personal data held by reports: the snapshots computed from a person's answers."""

from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet

from ctoready.assessments.models import Attempt
from ctoready.reports import pdf
from ctoready.reports.models import Report

PERSONAL_MODELS = {"reports.report"}


def export(attempts: QuerySet[Attempt], user: Any) -> dict[str, Any]:
    reports = Report.objects.filter(attempt__in=attempts).select_related("attempt")
    return {
        "reports": [
            {
                "attempt": report.attempt.public_id,
                "created_at": report.created_at.isoformat(),
                "engine_version": report.engine_version,
                "snapshot": report.data,
            }
            for report in reports.order_by("created_at", "pk")
        ]
    }


def erase(attempts: QuerySet[Attempt], user: Any) -> None:
    public_ids = list(attempts.values_list("public_id", flat=True))
    cache.delete_many([key for public_id in public_ids for key in pdf.cache_keys(public_id)])
    Report.objects.filter(attempt__in=attempts).delete()
