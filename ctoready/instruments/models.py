from django.db import models
from django.utils import timezone


class Instrument(models.Model):
    slug = models.SlugField(max_length=64, unique=True)
    title = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug


class InstrumentVersion(models.Model):
    """One version of an instrument in one locale. Published versions never change."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="versions")
    version = models.CharField(max_length=32)
    locale = models.CharField(max_length=16)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    content = models.JSONField()
    content_hash = models.CharField(max_length=64)
    adaptive_enabled = models.BooleanField(
        default=False, help_text="Serve Likert items adaptively (needs IRT parameters)."
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "version", "locale"], name="unique_instrument_version_locale"
            )
        ]
        ordering = ["instrument", "-created_at"]

    def __str__(self) -> str:
        return f"{self.instrument.slug}@{self.version} ({self.locale}, {self.status})"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def semver(self) -> tuple[int, ...]:
        return tuple(int(part) for part in self.version.split("."))

    @property
    def label(self) -> str:
        return f"{self.instrument.slug}@{self.version}"
