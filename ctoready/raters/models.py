"""360 raters: a round per attempt, invitations, and responses that carry no identity.

A submitted :class:`RaterResponse` belongs to a round and a category, under a random id;
it holds no pointer to an invitation, no e-mail address, no sequence numbers and no time
finer than the day. docs/raters.md explains what links exist, when, and why.
"""

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_noop

from ctoready.assessments.models import Attempt, new_public_id


def new_response_id() -> str:
    """A random primary key, so a response's id says nothing about when it was made."""
    return secrets.token_urlsafe(16)


class Category(models.TextChoices):
    # Labels translated where they are shown; marked here so that `make messages` keeps
    # their translations (stored in English, they change no migration).
    MANAGER = "manager", gettext_noop("Manager")
    PEER = "peer", gettext_noop("Peer")
    DIRECT = "direct", gettext_noop("Direct report")
    OTHER = "other", gettext_noop("Other")


class RaterRound(models.Model):
    """The 360 feedback of one finished attempt. Closing it freezes the results."""

    attempt = models.OneToOneField(Attempt, on_delete=models.CASCADE, related_name="rater_round")
    candidate_name = models.CharField(max_length=80)
    created_at = models.DateTimeField(default=timezone.now)
    reminded_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)  # the section, built once at closing

    def __str__(self) -> str:
        return f"rater round of {self.attempt}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class RaterResponse(models.Model):
    """One rater's answers. While a draft, answers carry sequence numbers for autosave;
    at submission those are dropped and the invitation lets go of the response."""

    id = models.CharField(primary_key=True, max_length=32, default=new_response_id)
    round = models.ForeignKey(RaterRound, on_delete=models.CASCADE, related_name="responses")
    category = models.CharField(max_length=16, choices=Category.choices)
    manager_alone = models.BooleanField(default=False)
    # Draft: {item_id: {"v": value, "s": seq}}; submitted: {item_id: value}.
    answers = models.JSONField(default=dict)
    comments = models.JSONField(default=dict)  # same shapes, keyed "keep" and "change"
    submitted_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["round", "submitted_on"], name="rater_response_round")]

    def __str__(self) -> str:
        return f"{self.category} response"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_on is not None


class RaterInvite(models.Model):
    """An invitation to rate, by e-mail or as a private link the candidate copies."""

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        LINK = "link", "Private link"

    round = models.ForeignKey(RaterRound, on_delete=models.CASCADE, related_name="invites")
    public_id = models.CharField(max_length=32, unique=True, default=new_public_id)
    category = models.CharField(max_length=16, choices=Category.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    email = models.EmailField(blank=True)  # cleared when the round closes
    manager_alone = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    completed = models.BooleanField(default=False)
    # Only while the rater has not submitted: lets them resume; set to None at submission.
    draft = models.OneToOneField(
        RaterResponse, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["round", "created_at"], name="rater_invite_round")]

    def __str__(self) -> str:
        return f"{self.category} invitation {self.public_id}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def opens(self) -> bool:
        """Whether its token still opens anything (web or API): while the round is open,
        an answered invitation shows its thanks; a withdrawn or expired one, or any once
        the round has closed, nothing."""
        return self.round.is_open and (self.completed or self.is_active)


class RaterInviteKey(models.Model):
    """The SHA-256 of one 256-bit link token of an invitation (the first, and one per
    reminder, since a raw token is never stored and so cannot be sent again)."""

    invite = models.ForeignKey(RaterInvite, on_delete=models.CASCADE, related_name="keys")
    token_hash = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return f"key of {self.invite_id}"
