from typing import Any

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


def headline_scores(data: dict[str, Any]) -> dict[str, float]:
    """The numbers a reference group is built from, taken from a snapshot."""
    result = data.get("result", {})
    scores = {
        f"scale:{s['scale']}": s["score"]
        for s in result.get("scales", [])
        if s["score"] is not None
    }
    scores.update(
        {
            f"readiness:{r['context']}": r["score"]
            for r in result.get("readiness", [])
            if r["sufficient"] and r["score"] is not None
        }
    )
    judgement = result.get("judgement", {})
    # Before the deep-dive, the few core scenarios do not make a judgement index to compare.
    deep_pending = data.get("parts", {}).get("deep") == "pending"
    if not deep_pending and judgement.get("sufficient") and judgement.get("index") is not None:
        scores["judgement"] = judgement["index"]
    return scores
