from django.db import models
from django.utils import timezone

from ctoready.assessments.models import Attempt
from ctoready.instruments.models import InstrumentVersion


class Report(models.Model):
    """A snapshot computed from the answers at finish; never edited once stored.

    Rescoring stores a new snapshot. HTML, PDF and JSON are renderings of one snapshot.
    """

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="reports")
    version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="+")
    engine_version = models.CharField(max_length=32)
    data = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"report {self.pk} for {self.attempt}"
