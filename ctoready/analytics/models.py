"""What the analytics app stores: the marker that sets synthetic attempts apart."""

from django.db import models
from django.utils import timezone

from ctoready.assessments.models import Attempt


class SyntheticAttempt(models.Model):
    """Marks an attempt as simulated by ``ctoready demo``, never taken by a person.

    A one-to-one marker rather than a flag on the attempt, so real-data queries exclude
    synthetic attempts with ``synthetic__isnull=True`` and the attempt table stays as the
    respondent flow owns it.
    """

    attempt = models.OneToOneField(
        Attempt, on_delete=models.CASCADE, primary_key=True, related_name="synthetic"
    )
    seed = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"synthetic {self.attempt_id} (seed {self.seed})"


class Calibration(models.Model):
    """Item parameters estimated from finished attempts, held in draft versions until an
    operator publishes them (never while any slope's standard error exceeds the rule)."""

    instrument_slug = models.SlugField(max_length=64)
    source_version = models.CharField(max_length=32)
    draft_version = models.CharField(max_length=32)
    n = models.PositiveIntegerField()
    synthetic = models.PositiveIntegerField(default=0)
    results = models.JSONField()  # item id -> old and new parameters, SEs and fit
    withheld = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"calibration {self.instrument_slug}@{self.draft_version}"


class Norm(models.Model):
    """A named, dated, frozen reference group of one instrument version: the sorted headline
    scores of the real finished attempts it was built from. Never changes once built;
    building the same name again makes the next ``number``."""

    name = models.SlugField(max_length=64)
    number = models.PositiveIntegerField()
    instrument_slug = models.SlugField(max_length=64)
    instrument_version = models.CharField(max_length=32)
    context = models.CharField(max_length=64, blank=True)  # "" = every target context
    population = models.TextField()
    n = models.PositiveIntegerField()
    values = models.JSONField()  # score key -> sorted scores
    built_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "number"], name="one_norm_per_name_number")
        ]
        indexes = [
            models.Index(
                fields=["instrument_slug", "instrument_version", "context"], name="norm_version"
            )
        ]
        ordering = ["-built_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"
