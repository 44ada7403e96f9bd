"""Organisation views for owners and coaches: organisations, people, cohorts, invitations.

Every object is fetched through :mod:`ctoready.orgs.access`, which filters by the caller's
membership in the query: someone else's organisation is a 404 like one that does not exist.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ctoready.instruments.models import InstrumentVersion
from ctoready.instruments.services import document_for, published_versions
from ctoready.lib.ratelimit import is_limited, record_failure
from ctoready.orgs import access, services
from ctoready.orgs.models import Cohort, Invitation, Membership, Organisation, Role
from ctoready.reports.views import private

INVITE_SCOPE = "org-invite"
INVITES_PER_MINUTE = 10  # invitation requests per client, whatever they hold


def _emails(raw: str) -> list[str]:
    return raw.replace(",", "\n").replace(";", "\n").split()


def _invite_limited(request: HttpRequest) -> str | None:
    if is_limited(request, INVITE_SCOPE, INVITES_PER_MINUTE):
        return gettext("Too many invitations in a short time. Wait a minute and try again.")
    record_failure(request, INVITE_SCOPE)
    return None


@login_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    memberships = (
        Membership.objects.filter(user=access.account(request))
        .exclude(role=Role.MEMBER)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )
    context = {"memberships": memberships, "consents": access.member_consents(request.user)}
    return private(render(request, "orgs/index.html", context))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    context: dict[str, object] = {"statement": gettext(services.DEVELOPMENT_ONLY)}
    if request.method == "POST":
        try:
            organisation = services.create_organisation(
                owner=request.user,
                name=request.POST.get("name", ""),
                accepted_development_only=request.POST.get("accept") == "yes",
            )
        except services.OrgError as error:
            context.update(error=error.message, name=request.POST.get("name", "")[:100])
            return private(render(request, "orgs/create.html", context, status=400))
        return redirect("orgs:organisation", org_id=organisation.public_id)
    return private(render(request, "orgs/create.html", context))


def _organisation_page(
    request: HttpRequest, organisation: Organisation, status: int = 200, **extra: object
) -> HttpResponse:
    is_owner = organisation.memberships.filter(
        user=access.account(request), role=Role.OWNER
    ).exists()
    versions = published_versions()
    # The contexts the published versions offer, once each (the service checks the pair).
    contexts = {c.id: c for v in versions for c in document_for(v).contexts}
    context = {
        "organisation": organisation,
        "is_owner": is_owner,
        "cohorts": organisation.cohorts.select_related("version", "version__instrument"),
        "people": organisation.memberships.exclude(role=Role.MEMBER)
        .select_related("user")
        .order_by("role", "user__email"),
        "coach_invitations": organisation.invitations.filter(
            role=Role.COACH, revoked_at=None
        ).order_by("-created_at"),
        "versions": versions,
        "contexts": contexts.values(),
        **extra,
    }
    return private(render(request, "orgs/organisation.html", context, status=status))


@login_required
@require_safe
def organisation(request: HttpRequest, org_id: str) -> HttpResponse:
    return _organisation_page(request, access.get_organisation(request.user, org_id))


@login_required
@require_POST
def create_cohort(request: HttpRequest, org_id: str) -> HttpResponse:
    organisation = access.get_organisation(request.user, org_id)
    raw = request.POST.get("version", "")
    published = InstrumentVersion.objects.filter(status=InstrumentVersion.Status.PUBLISHED)
    version = published.filter(pk=int(raw)).first() if raw.isdigit() else None
    try:
        if version is None:
            raise services.OrgError(gettext("Choose a published instrument version."))
        cohort = services.create_cohort(
            organisation=organisation,
            name=request.POST.get("name", ""),
            version=version,
            context=request.POST.get("context", ""),
        )
    except services.OrgError as error:
        return _organisation_page(request, organisation, 400, error=error.message)
    return redirect("orgs:cohort", org_id=organisation.public_id, cohort_id=cohort.public_id)


@login_required
@require_POST
def invite_coaches(request: HttpRequest, org_id: str) -> HttpResponse:
    organisation = access.get_organisation(request.user, org_id, owner=True)
    if limited := _invite_limited(request):
        return _organisation_page(request, organisation, 429, error=limited)
    try:
        services.invite_coaches(
            organisation=organisation, emails=_emails(request.POST.get("emails", ""))
        )
    except services.OrgError as error:
        return _organisation_page(request, organisation, 400, error=error.message)
    return redirect("orgs:organisation", org_id=organisation.public_id)


@login_required
@require_POST
def remove_person(request: HttpRequest, org_id: str, membership_id: int) -> HttpResponse:
    membership = access.get_membership(request.user, org_id, membership_id)
    try:
        services.remove_person(membership=membership)
    except services.OrgError as error:
        return _organisation_page(request, membership.organisation, 400, error=error.message)
    return redirect("orgs:organisation", org_id=org_id)


@login_required
@require_POST
def delete(request: HttpRequest, org_id: str) -> HttpResponse:
    organisation = access.get_organisation(request.user, org_id, owner=True)
    if request.POST.get("confirm") != "yes":
        message = gettext("Tick the box to confirm that the organisation should be deleted.")
        return _organisation_page(request, organisation, 400, error=message)
    services.delete_organisation(organisation=organisation)
    return redirect("orgs:index")


def _cohort_page(
    request: HttpRequest, cohort: Cohort, status: int = 200, **extra: object
) -> HttpResponse:
    consents = cohort.consents.all()
    shared = list(access.shared_consents(cohort))
    context = {
        "cohort": cohort,
        "organisation": cohort.organisation,
        "doc": document_for(cohort.version),
        "shared": shared,
        "joined": consents.count(),
        "not_sharing": consents.count() - len(shared),
        "invitations": cohort.invitations.filter(role=Role.MEMBER).order_by("-created_at"),
        "join_days": services.JOIN_DAYS,
        **extra,
    }
    return private(render(request, "orgs/cohort.html", context, status=status))


@login_required
@require_safe
def cohort(request: HttpRequest, org_id: str, cohort_id: str) -> HttpResponse:
    return _cohort_page(request, access.get_cohort(request.user, org_id, cohort_id))


@login_required
@require_POST
def invite_members(request: HttpRequest, org_id: str, cohort_id: str) -> HttpResponse:
    cohort = access.get_cohort(request.user, org_id, cohort_id)
    if limited := _invite_limited(request):
        return _cohort_page(request, cohort, 429, error=limited)
    try:
        services.invite_members(cohort=cohort, emails=_emails(request.POST.get("emails", "")))
    except services.OrgError as error:
        return _cohort_page(request, cohort, 400, error=error.message)
    return redirect("orgs:cohort", org_id=org_id, cohort_id=cohort_id)


@login_required
@require_POST
def create_join_link(request: HttpRequest, org_id: str, cohort_id: str) -> HttpResponse:
    cohort = access.get_cohort(request.user, org_id, cohort_id)
    raw = request.POST.get("days", "30")
    try:
        token = services.create_join_link(cohort=cohort, days=int(raw) if raw.isdigit() else 0)
    except services.OrgError as error:
        return _cohort_page(request, cohort, 400, error=error.message)
    # Shown once, in this response only; the database keeps just the hash.
    url = settings.SITE_URL + reverse("orgs:join_link", kwargs={"token": token})
    return _cohort_page(request, cohort, new_url=url)


@login_required
@require_POST
def revoke_invitation(
    request: HttpRequest, org_id: str, cohort_id: str, invitation_id: int
) -> HttpResponse:
    cohort = access.get_cohort(request.user, org_id, cohort_id)
    invitation = Invitation.objects.filter(cohort=cohort, pk=invitation_id).first()
    if invitation is None:
        raise Http404("No such invitation")
    services.revoke_invitation(invitation=invitation)
    return redirect("orgs:cohort", org_id=org_id, cohort_id=cohort_id)
