from functools import cached_property
from typing import Any

from django.db import models
from django.utils import timezone

from ctoready.assessments.models import Attempt
from ctoready.instruments.models import InstrumentVersion
from ctoready.reports.snapshot import Snapshot, read_snapshot


class Report(models.Model):
    """A snapshot computed from the answers at finish; never edited once stored.

    Rescoring stores a new snapshot. HTML, PDF and JSON are renderings of one snapshot.
    """

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="reports")
    version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="+")
    engine_version = models.CharField(max_length=32)
    data = models.JSONField()
    # The headline numbers of ``data`` ({"scale:<id>": score, "readiness:<context>": score,
    # "judgement": index}), copied at creation so reference groups never parse snapshots.
    scores = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["version", "attempt", "created_at"], name="report_version_attempt")
        ]

    def __str__(self) -> str:
        return f"report {self.pk} for {self.attempt}"

    @cached_property
    def snapshot(self) -> Snapshot:
        """``data`` read once into typed objects (:mod:`ctoready.reports.snapshot`)."""
        return read_snapshot(self.data)


def headline_scores(data: dict[str, Any]) -> dict[str, float]:
    """The numbers a reference group is built from, taken from a snapshot."""
    return read_snapshot(data).headline_scores()
