"""Organisations run cohorts; a member's results reach them only through a standing consent.

Nothing here points from an attempt or a report to an organisation: deleting an
organisation deletes its memberships, cohorts, invitations and consents, never a report.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctoready.assessments.models import Attempt, new_public_id
from ctoready.instruments.models import InstrumentVersion


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    COACH = "coach", _("Coach")
    MEMBER = "member", _("Member")


STAFF_ROLES = (Role.OWNER, Role.COACH)


class Organisation(models.Model):
    """A company, a coaching practice or a community running development programmes."""

    public_id = models.CharField(max_length=32, unique=True, default=new_public_id)
    name = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)
    # The owner's acceptance that results serve development, never hiring or promotion.
    development_only_accepted_at = models.DateTimeField()
    development_only_accepted_by = models.CharField(max_length=254)
    development_only_statement = models.TextField()

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="org_memberships"
    )
    role = models.CharField(max_length=8, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_membership")
        ]

    def __str__(self) -> str:
        return f"{self.role} of {self.organisation_id}"


class Cohort(models.Model):
    """A programme inside an organisation: one instrument version, one default context."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="cohorts")
    public_id = models.CharField(max_length=32, unique=True, default=new_public_id)
    name = models.CharField(max_length=100)
    version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="+")
    context = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class Invitation(models.Model):
    """A private way in: a cohort's join link, an e-mailed cohort invitation, or an owner's
    invitation to a coach. Only the SHA-256 of the 256-bit token is stored; an e-mailed
    invitation gets its token inside the task that sends it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    cohort = models.ForeignKey(
        Cohort, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(max_length=8, choices=Role.choices)
    email = models.EmailField(blank=True)
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.role} invitation to {self.organisation_id}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class Scope(models.TextChoices):
    NOTHING = "nothing", _("Nothing yet")
    SCORES = "scores", _("Scores only")
    FULL = "full", _("The full report")


class Consent(models.Model):
    """What one member lets one cohort see, and of which assessment. Changing it takes
    effect on the next request anywhere: every reader filters on it in the query."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="consents")
    public_id = models.CharField(max_length=32, unique=True, default=new_public_id)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="org_consents"
    )
    attempt = models.ForeignKey(
        Attempt, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scope = models.CharField(max_length=8, choices=Scope.choices, default=Scope.NOTHING)
    include_raters = models.BooleanField(default=False)
    joined_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cohort", "user"], name="one_consent")]
        indexes = [models.Index(fields=["cohort", "scope"], name="consent_cohort_scope")]

    def __str__(self) -> str:
        return f"{self.scope} for {self.cohort_id}"

    @property
    def shares(self) -> bool:
        return self.scope != Scope.NOTHING and self.attempt_id is not None
