"""Use cases of organisations: create, invite, join, consent, start, remove, delete.

Every write about organisations happens here. Reading what a cohort may see goes through
:mod:`ctoready.orgs.access`, which filters on the consent in the query.
"""

from datetime import timedelta
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ctoready.assessments.models import Attempt
from ctoready.assessments.services import start_attempt
from ctoready.instruments.models import InstrumentVersion
from ctoready.instruments.services import document_for
from ctoready.lib.tokens import hash_token, new_token
from ctoready.orgs.models import (
    Cohort,
    Consent,
    Invitation,
    Membership,
    Organisation,
    Role,
    Scope,
)

DEVELOPMENT_ONLY = gettext_noop(
    "Results shared with this organisation are for the members' development. They will not "
    "be used for hiring, promotion, pay or any other employment decision."
)
JOIN_DAYS = (7, 30, 90)
INVITE_DAYS = 30
MAX_BATCH = 20  # e-mail addresses in one request
NAME_MAX = 100


class OrgError(Exception):
    """A request the organisation flow refuses; the message is safe to show to the person."""

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.message, self.code = message, code


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name or len(name) > NAME_MAX:
        raise OrgError(_("Give a name of 1 to 100 characters."), "bad_name")
    return name


def create_organisation(*, owner: Any, name: str, accepted_development_only: bool) -> Organisation:
    """A new organisation owned by ``owner``, once they accept the development-only rule."""
    if not getattr(owner, "is_authenticated", False):
        raise OrgError(_("Sign in to create an organisation."), "unauthenticated")
    if not accepted_development_only:
        raise OrgError(
            _("Accept that results are for development, not for hiring or promotion."),
            "not_accepted",
        )
    with transaction.atomic():
        organisation = Organisation.objects.create(
            name=_clean_name(name),
            development_only_accepted_at=timezone.now(),
            development_only_accepted_by=owner.email or owner.get_username(),
            development_only_statement=DEVELOPMENT_ONLY,
        )
        Membership.objects.create(organisation=organisation, user=owner, role=Role.OWNER)
    return organisation


def create_cohort(
    *, organisation: Organisation, name: str, version: InstrumentVersion, context: str
) -> Cohort:
    if not version.is_published:
        raise OrgError(_("Choose a published instrument version."), "unknown_version")
    if context not in document_for(version).context_by_id:
        raise OrgError(_("Choose the role the cohort is aiming for."), "unknown_context")
    return Cohort.objects.create(
        organisation=organisation, name=_clean_name(name), version=version, context=context
    )


def create_join_link(*, cohort: Cohort, days: int = 30) -> str:
    """A link anyone holding it can use to join the cohort (with an account); returns the
    raw token, which is shown once."""
    if days not in JOIN_DAYS:
        raise OrgError(_("Choose one of the expiry periods."), "bad_days")
    token = new_token()
    Invitation.objects.create(
        organisation=cohort.organisation,
        cohort=cohort,
        role=Role.MEMBER,
        token_hash=hash_token(token),
        expires_at=timezone.now() + timedelta(days=days),
    )
    return token


def _clean_emails(emails: list[str]) -> list[str]:
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    cleaned = list(dict.fromkeys(e.strip().lower() for e in emails if e.strip()))
    if not cleaned or len(cleaned) > MAX_BATCH:
        raise OrgError(_("Give 1 to 20 e-mail addresses."), "bad_emails")
    for email in cleaned:
        try:
            validate_email(email)
        except ValidationError:
            message = _("“%(email)s” is not an e-mail address.") % {"email": email[:80]}
            raise OrgError(message, "bad_emails") from None
    return cleaned


def _invite(
    organisation: Organisation, cohort: Cohort | None, role: str, emails: list[str]
) -> list[Invitation]:
    from ctoready.orgs.tasks import send_invitation

    invitations = []
    with transaction.atomic():
        for email in _clean_emails(emails):
            invitation = Invitation.objects.create(
                organisation=organisation,
                cohort=cohort,
                role=role,
                email=email,
                expires_at=timezone.now() + timedelta(days=INVITE_DAYS),
            )
            invitations.append(invitation)
            # The token is made inside the task, so no raw token sits in the queue.
            transaction.on_commit(partial(send_invitation.enqueue, invitation_id=invitation.pk))
    return invitations


def invite_members(*, cohort: Cohort, emails: list[str]) -> list[Invitation]:
    return _invite(cohort.organisation, cohort, Role.MEMBER, emails)


def invite_coaches(*, organisation: Organisation, emails: list[str]) -> list[Invitation]:
    return _invite(organisation, None, Role.COACH, emails)


def issue_token(*, invitation: Invitation) -> str:
    """A fresh token for an e-mailed invitation (the previous one stops working)."""
    token = new_token()
    invitation.token_hash = hash_token(token)
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["token_hash", "sent_at"])
    return token


def resolve_invitation(*, token: str) -> Invitation | None:
    invitation = (
        Invitation.objects.select_related("organisation", "cohort")
        .filter(token_hash=hash_token(token))
        .first()
    )
    return invitation if invitation is not None and invitation.is_active else None


def revoke_invitation(*, invitation: Invitation) -> None:
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])


def accept_invitation(*, invitation: Invitation, user: Any) -> Consent | None:
    """Join the organisation in the invitation's role; a cohort invitation also records a
    consent that shares nothing until the member chooses. A coach invitation is used once."""
    if not invitation.is_active:
        raise OrgError(_("This invitation has expired or was revoked."), "ended")
    # Coaching gives access to what members share: only the invited address may accept.
    if invitation.role == Role.COACH and invitation.email.lower() != (user.email or "").lower():
        message = _("This invitation is for %(email)s: sign in with that address.")
        raise OrgError(message % {"email": invitation.email}, "other_address")
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            organisation=invitation.organisation, user=user, defaults={"role": invitation.role}
        )
        if not created and invitation.role == Role.COACH and membership.role == Role.MEMBER:
            membership.role = Role.COACH
            membership.save(update_fields=["role"])
        if invitation.role == Role.COACH:
            revoke_invitation(invitation=invitation)
            return None
        consent, _created = Consent.objects.get_or_create(cohort=invitation.cohort, user=user)
    return consent


def _check_attempt(consent: Consent, attempt: Attempt) -> None:
    cohort = consent.cohort
    if attempt.owner_id != consent.user_id:
        raise OrgError(_("Choose one of your own assessments."), "not_yours")
    if attempt.version.instrument_id != cohort.version.instrument_id:
        raise OrgError(_("Choose an assessment of the cohort's instrument."), "other_instrument")


def set_consent(
    *, consent: Consent, scope: str, attempt: Attempt | None = None, include_raters: bool = False
) -> Consent:
    """Change what the cohort sees; ``Scope.NOTHING`` withdraws at once everywhere."""
    if scope not in Scope.values:
        raise OrgError(_("Choose what the cohort may see."), "bad_scope")
    if attempt is not None:
        _check_attempt(consent, attempt)
    elif scope != Scope.NOTHING and consent.attempt_id is None:
        raise OrgError(_("Choose which assessment to share."), "no_attempt")
    consent.scope = scope
    consent.attempt = attempt or consent.attempt
    consent.include_raters = include_raters and scope == Scope.FULL
    consent.updated_at = timezone.now()
    consent.save(update_fields=["scope", "attempt", "include_raters", "updated_at"])
    return consent


def start_cohort_attempt(*, consent: Consent, locale: str) -> tuple[Attempt, str]:
    """Start the cohort's assessment for the member, linked to their consent (which still
    shares nothing until they choose)."""
    cohort = consent.cohort
    attempt, token = start_attempt(
        version=cohort.version,
        context=cohort.context,
        locale=cohort.version.locale or locale,
        email=consent.user.email,
        owner=consent.user,
    )
    consent.attempt = attempt
    consent.save(update_fields=["attempt"])
    return attempt, token


def leave_cohort(*, consent: Consent) -> None:
    consent.delete()


def remove_person(*, membership: Membership) -> None:
    """Remove a coach or member from the organisation: their access ends on the next
    request, and a member's consents in its cohorts go with them. Owners stay."""
    if membership.role == Role.OWNER:
        raise OrgError(_("An owner cannot be removed."), "owner")
    with transaction.atomic():
        Consent.objects.filter(
            cohort__organisation=membership.organisation, user=membership.user
        ).delete()
        membership.delete()


def delete_organisation(*, organisation: Organisation) -> None:
    """Delete the organisation, its cohorts, invitations, memberships and consents. The
    members' own assessments and reports are theirs and stay."""
    organisation.delete()
