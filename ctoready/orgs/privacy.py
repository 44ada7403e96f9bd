"""Personal data held by organisations: memberships, consents, and invitations sent to the
person's address. Erasing removes the person from every organisation; an organisation
they alone own goes with them (its members keep their own reports)."""

from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from ctoready.assessments.models import Attempt
from ctoready.orgs.models import Consent, Invitation, Membership, Organisation, Role, Scope

PERSONAL_MODELS = {
    "orgs.membership",
    "orgs.consent",
    "orgs.invitation",
    "orgs.organisation",
    "orgs.cohort",
}


def _signed_in(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def export(attempts: QuerySet[Attempt], user: Any) -> dict[str, Any]:
    if not _signed_in(user):
        return {}
    memberships = Membership.objects.filter(user=user).select_related("organisation")
    consents = Consent.objects.filter(user=user).select_related(
        "cohort", "cohort__organisation", "attempt"
    )
    return {
        "organisation_memberships": [
            {
                "organisation": m.organisation.name,
                "role": m.role,
                "since": m.created_at.isoformat(),
                "accepted_at": m.organisation.development_only_accepted_at.isoformat(),
            }
            for m in memberships.order_by("created_at", "pk")
        ],
        "cohort_consents": [
            {
                "organisation": c.cohort.organisation.name,
                "cohort": c.cohort.name,
                "shares": c.scope,
                "includes_360": c.include_raters,
                "attempt": c.attempt.public_id if c.attempt else None,
                "joined_at": c.joined_at.isoformat(),
                "updated_at": c.updated_at.isoformat(),
            }
            for c in consents.order_by("joined_at", "pk")
        ],
    }


def erase(attempts: QuerySet[Attempt], user: Any) -> None:
    # What pointed at erased attempts shares nothing any more, whoever's browser erased them.
    Consent.objects.filter(attempt__in=attempts).update(scope=Scope.NOTHING, attempt=None)
    if not _signed_in(user):
        return
    owned = Membership.objects.filter(user=user, role=Role.OWNER).values("organisation_id")
    alone = (
        Membership.objects.filter(organisation_id__in=owned, role=Role.OWNER)
        .values("organisation_id")
        .annotate(owners=Count("pk"))
        .filter(owners=1)
        .values_list("organisation_id", flat=True)
    )
    Organisation.objects.filter(pk__in=list(alone)).delete()
    Consent.objects.filter(user=user).delete()
    Membership.objects.filter(user=user).delete()
    if user.email:
        Invitation.objects.filter(email__iexact=user.email).update(
            email="", revoked_at=timezone.now()
        )
