"""Personal data held by reports: the snapshots computed from a person's answers."""

from typing import Any

from django.db.models import QuerySet

from ctoready.assessments.models import Attempt
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
    Report.objects.filter(attempt__in=attempts).delete()
