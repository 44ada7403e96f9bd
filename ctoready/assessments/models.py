import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctoready.instruments.models import InstrumentVersion


def new_public_id() -> str:
    """An unguessable identifier for URLs (128 bits); never sequential.

    Never starting with "-": commands take these ids as arguments (``ctoready report ID``),
    and a leading dash reads as an option there. Drawing again costs 1/64 of one bit.
    """
    while (public_id := secrets.token_urlsafe(16)).startswith("-"):
        pass
    return public_id


class Attempt(models.Model):
    """One person taking one instrument version, in one target context and language."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        FINISHED = "finished", _("Finished")
        EXPIRED = "expired", _("Expired")

    class Mode(models.TextChoices):
        FIXED = "fixed", "Fixed form"
        ADAPTIVE = "adaptive", "Adaptive"

    public_id = models.CharField(max_length=32, unique=True, default=new_public_id)
    version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attempts",
    )
    context = models.CharField(max_length=64)
    locale = models.CharField(max_length=16)
    mode = models.CharField(max_length=16, choices=Mode.choices, default=Mode.FIXED)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.IN_PROGRESS)
    email = models.EmailField(blank=True)
    # Set when the resume link e-mailed to ``email`` is opened: the address is the
    # candidate's, so e-mail can be sent to others on their behalf (rater invitations).
    email_verified_at = models.DateTimeField(null=True, blank=True)
    adaptive_state = models.JSONField(default=dict, blank=True)
    # The order this attempt shows each scenario's options in ({item id: [option ids]}),
    # shuffled once at the start so resume, report and PDF agree; empty for attempts
    # started before shuffling, which keep the instrument's order.
    option_order = models.JSONField(default=dict, blank=True)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    # Measured time (docs/timing-model.md, "Measured time"): server-clock seconds from the
    # start of a part to its finish, pauses included; null until that part is finished.
    core_seconds = models.PositiveIntegerField(null=True, blank=True)
    deep_started_at = models.DateTimeField(null=True, blank=True)
    deep_finished_at = models.DateTimeField(null=True, blank=True)
    deep_seconds = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "expires_at"], name="attempt_status_expiry"),
            models.Index(fields=["version", "status"], name="attempt_version_status"),
        ]

    def __str__(self) -> str:
        return f"attempt {self.public_id}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.IN_PROGRESS and self.expires_at > timezone.now()

    @property
    def is_finished(self) -> bool:
        return self.status == self.Status.FINISHED

    def options_of(self, item: Any) -> tuple[Any, ...]:
        """A scenario's options in the order this attempt shows them."""
        order = self.option_order.get(item.id)
        if not order:
            return tuple(item.options)
        by_id = {option.id: option for option in item.options}
        return tuple(by_id[ref] for ref in order if ref in by_id)

    @property
    def deep_open(self) -> bool:
        """The deep-dive has been started after the core and is not finished yet."""
        return (
            self.status == self.Status.FINISHED
            and self.deep_started_at is not None
            and self.deep_finished_at is None
        )

    @staticmethod
    def default_expiry() -> datetime:
        return timezone.now() + timedelta(days=settings.ATTEMPT_EXPIRY_DAYS)


class Answer(models.Model):
    """One row per (attempt, item). The higher client sequence number wins."""

    # No index of its own: the unique constraint's, led by the attempt, serves lookups by
    # attempt (a second index would cost every new answer one more write).
    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="answers", db_index=False
    )
    item_id = models.CharField(max_length=64)
    value = models.JSONField(null=True)
    seq = models.BigIntegerField()
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "item_id"], name="one_answer_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}:{self.item_id}={self.value!r}"


class PageVisit(models.Model):
    """When one page of an attempt was first shown and first left, on the server clock.

    Written only by the POST that leads to a page (``record_page_moves``), never by a GET:
    ``shown_at`` is null for a page first opened directly (from the review page or a
    bookmark), ``left_at`` is null for a page not yet submitted.
    """

    # Indexed by the unique constraint, which it leads (as Answer.attempt).
    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="page_visits", db_index=False
    )
    page_id = models.CharField(max_length=64)
    number = models.PositiveSmallIntegerField()  # 1-based position among the version's pages
    part = models.CharField(max_length=8, default="core")  # "core" or "deep"
    shown_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "page_id"], name="one_visit_per_page")
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}:{self.page_id}"

    @property
    def seconds(self) -> float | None:
        if self.shown_at is None or self.left_at is None:
            return None
        return (self.left_at - self.shown_at).total_seconds()


class Link(models.Model):
    """A private URL: only the SHA-256 of its 256-bit token is stored."""

    EMAILED = "e-mail"  # the label of a resume link sent to the attempt's address

    class Purpose(models.TextChoices):
        RESUME = "resume", "Resume an attempt"
        SHARE = "share", "Share a report"

    # Names the link in URLs and the API; random, so it does not tell how many exist.
    public_id = models.CharField(max_length=32, unique=True, default=new_public_id)
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.purpose} link for {self.attempt_id}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class AnswerSheet(models.Model):
    """A finished attempt's answers in one row, for reading many attempts at once.

    Written with the report when the core finishes and again when the deep-dive does
    (``sheets.write_sheet``); the ``Answer`` rows stay the record. Current only while
    ``content_hash`` is the version's and no deep-dive has changed the answers since it was
    written (``sheets.CURRENT``): analytics reads every other attempt from its rows.
    """

    attempt = models.OneToOneField(
        Attempt, primary_key=True, on_delete=models.CASCADE, related_name="sheet"
    )
    content_hash = models.CharField(max_length=64)  # the version's, when written
    # One little-endian int16 per Likert item of the version, in the document's order:
    # the answer, or ``sheets.MISSING`` / ``sheets.NOT_YET``.
    likert = models.BinaryField()
    answers = models.TextField()  # every answer as one JSON object {item id: value}
    written_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"answer sheet of {self.attempt_id}"
