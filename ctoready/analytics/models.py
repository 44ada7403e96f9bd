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


class KeyingRound(models.Model):
    """Experts rating the effectiveness of every option of a version's scenarios (1..7)."""

    instrument_slug = models.SlugField(max_length=64)
    instrument_version = models.CharField(max_length=32)
    opened_at = models.DateTimeField(default=timezone.now)
    published_version = models.CharField(max_length=32, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        return f"keying round {self.pk} of {self.instrument_slug}@{self.instrument_version}"

    @property
    def label(self) -> str:
        return f"{self.instrument_slug}@{self.instrument_version}"


class KeyingExpert(models.Model):
    """One expert's private invitation: only the SHA-256 of the link's token is stored."""

    round = models.ForeignKey(KeyingRound, on_delete=models.CASCADE, related_name="experts")
    label = models.CharField(max_length=100, blank=True)  # the operator's own note
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    notes = models.JSONField(default=dict, blank=True)  # scenario id -> the expert's note

    def __str__(self) -> str:
        return f"expert {self.pk} of round {self.round_id}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class KeyingRating(models.Model):
    expert = models.ForeignKey(KeyingExpert, on_delete=models.CASCADE, related_name="ratings")
    scenario_id = models.CharField(max_length=64)
    option_id = models.CharField(max_length=64)
    rating = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "scenario_id", "option_id"], name="one_rating_per_option"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scenario_id}.{self.option_id}={self.rating}"
