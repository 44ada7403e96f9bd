"""Permission-checked fetching for organisations: membership and consent are filtered in
the query, and anything else is a 404, so existence is never leaked.

Owners and coaches of an organisation reach its cohorts; a member's results reach them
only while that member's consent shares them (scope ``scores`` or ``full``), for the
assessment the member linked, as long as it is still theirs and finished.
"""

from typing import Any

from django.db.models import F, Q, QuerySet
from django.http import Http404, HttpRequest

from ctoready.assessments.models import Attempt
from ctoready.orgs.models import STAFF_ROLES, Cohort, Consent, Membership, Organisation, Role, Scope


def _user(user: Any) -> Any:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        raise Http404("No such organisation")
    return user


def account(request: HttpRequest) -> Any:
    """The signed-in caller (views check sign-in first); anyone else gets a 404."""
    return _user(request.user)


def staff_organisations(user: Any, *, owner: bool = False) -> QuerySet[Organisation]:
    roles = [Role.OWNER] if owner else list(STAFF_ROLES)
    return Organisation.objects.filter(
        memberships__user=_user(user), memberships__role__in=roles
    ).distinct()


def get_organisation(user: Any, public_id: str, *, owner: bool = False) -> Organisation:
    organisation = staff_organisations(user, owner=owner).filter(public_id=public_id).first()
    if organisation is None:
        raise Http404("No such organisation")
    return organisation


def get_cohort(user: Any, org_id: str, cohort_id: str) -> Cohort:
    cohort = (
        Cohort.objects.filter(
            public_id=cohort_id,
            organisation__public_id=org_id,
            organisation__memberships__user=_user(user),
            organisation__memberships__role__in=list(STAFF_ROLES),
        )
        .select_related("organisation", "version", "version__instrument")
        .first()
    )
    if cohort is None:
        raise Http404("No such cohort")
    return cohort


def get_membership(user: Any, org_id: str, membership_id: int) -> Membership:
    """Someone in an organisation the caller owns."""
    organisation = get_organisation(user, org_id, owner=True)
    membership = (
        Membership.objects.filter(organisation=organisation, pk=membership_id)
        .select_related("user", "organisation")
        .first()
    )
    if membership is None:
        raise Http404("No such person")
    return membership


SHARING = Q(scope__in=[Scope.SCORES, Scope.FULL], attempt__status=Attempt.Status.FINISHED)


def shared_consents(cohort: Cohort) -> QuerySet[Consent]:
    """The consents that share something now, with the member still in the organisation
    and the linked assessment still theirs and finished."""
    return (
        Consent.objects.filter(SHARING, cohort=cohort, attempt__owner=F("user"))
        .filter(
            user__org_memberships__organisation_id=cohort.organisation_id,
            user__is_active=True,
        )
        .select_related("user", "attempt", "attempt__version")
        .order_by("user__email", "pk")
    )


def get_shared_consent(user: Any, org_id: str, cohort_id: str, consent_id: str) -> Consent:
    cohort = get_cohort(user, org_id, cohort_id)
    consent = shared_consents(cohort).filter(public_id=consent_id).first()
    if consent is None:
        raise Http404("No such member")
    consent.cohort = cohort
    return consent


def member_consents(user: Any) -> QuerySet[Consent]:
    return (
        Consent.objects.filter(user=_user(user), cohort__organisation__memberships__user=user)
        .select_related("cohort", "cohort__organisation", "cohort__version", "attempt")
        .distinct()
        .order_by("-joined_at", "-pk")
    )


def get_own_consent(user: Any, cohort_id: str) -> Consent:
    consent = member_consents(user).filter(cohort__public_id=cohort_id).first()
    if consent is None:
        raise Http404("No such cohort")
    return consent
