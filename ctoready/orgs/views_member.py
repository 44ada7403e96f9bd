"""A member's side: join through a link, choose what a cohort sees, change or withdraw it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctoready.assessments.access import remember_attempt
from ctoready.assessments.models import Attempt
from ctoready.lib.errors import page_not_found, rate_limited
from ctoready.lib.ratelimit import is_limited, record_failure
from ctoready.lib.tokens import looks_like_token
from ctoready.orgs import access, services
from ctoready.orgs.models import Consent, Invitation, Role, Scope
from ctoready.reports.views import private

SCOPE = "org-token"
FAILURE_LIMIT = 20  # failed token lookups per client per minute
SESSION_KEY = "org_invitation"


@require_GET
def join_link(request: HttpRequest, token: str) -> HttpResponse:
    """A join link puts the invitation in this browser's session, then leaves the URL.
    Opening it changes nothing else."""
    if is_limited(request, SCOPE, FAILURE_LIMIT):
        return private(rate_limited(request), token_url=True)
    invitation = services.resolve_invitation(token=token) if looks_like_token(token) else None
    if invitation is None:
        record_failure(request, SCOPE)
        return private(page_not_found(request), token_url=True)
    if request.session.get(SESSION_KEY) != invitation.pk:
        # New rights for this browser: a fresh session key prevents fixation.
        request.session.cycle_key()
    request.session[SESSION_KEY] = invitation.pk
    return private(redirect("orgs:join"), token_url=True)


def _pending(request: HttpRequest) -> Invitation | None:
    pk = request.session.get(SESSION_KEY)
    invitation = (
        Invitation.objects.filter(pk=pk).select_related("organisation", "cohort").first()
        if isinstance(pk, int)
        else None
    )
    return invitation if invitation is not None and invitation.is_active else None


@require_http_methods(["GET", "HEAD", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    invitation = _pending(request)
    if invitation is None:
        return private(page_not_found(request))
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"/account/login/?next={request.path}")
        try:
            consent = services.accept_invitation(invitation=invitation, user=request.user)
        except services.OrgError as error:
            context = {"invitation": invitation, "coach": True, "error": error.message}
            return private(render(request, "orgs/join.html", context, status=400))
        del request.session[SESSION_KEY]
        if consent is None:
            return redirect("orgs:organisation", org_id=invitation.organisation.public_id)
        return redirect("orgs:consent", cohort_id=consent.cohort.public_id)
    context = {"invitation": invitation, "coach": invitation.role == Role.COACH}
    return private(render(request, "orgs/join.html", context))


def _consent_page(
    request: HttpRequest, consent: Consent, status: int = 200, error: str = ""
) -> HttpResponse:
    cohort = consent.cohort
    attempts = (
        Attempt.objects.filter(
            owner_id=request.user.pk,
            status=Attempt.Status.FINISHED,
            version__instrument_id=cohort.version.instrument_id,
        )
        .select_related("version")
        .order_by("-finished_at")
    )
    viewers = (
        cohort.organisation.memberships.exclude(role=Role.MEMBER)
        .select_related("user")
        .order_by("role", "user__email")
    )
    context = {
        "consent": consent,
        "cohort": cohort,
        "organisation": cohort.organisation,
        "viewers": viewers,
        "attempts": attempts,
        "scopes": Scope.choices,
        "error": error,
    }
    return private(render(request, "orgs/consent.html", context, status=status))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def consent(request: HttpRequest, cohort_id: str) -> HttpResponse:
    own = access.get_own_consent(request.user, cohort_id)
    if request.method != "POST":
        return _consent_page(request, own)
    chosen = request.POST.get("attempt", "")
    attempt = (
        Attempt.objects.filter(
            owner_id=request.user.pk, public_id=chosen, status=Attempt.Status.FINISHED
        ).first()
        if chosen
        else None
    )
    try:
        if chosen and attempt is None:
            raise services.OrgError(gettext("Choose one of your finished assessments."))
        services.set_consent(
            consent=own,
            scope=request.POST.get("scope", ""),
            attempt=attempt,
            include_raters=request.POST.get("raters") == "yes",
        )
    except services.OrgError as error:
        return _consent_page(request, own, 400, error.message)
    messages.success(request, gettext("Your choice is saved and applies at once."))
    return redirect("orgs:consent", cohort_id=cohort_id)


@login_required
@require_POST
def start_assessment(request: HttpRequest, cohort_id: str) -> HttpResponse:
    own = access.get_own_consent(request.user, cohort_id)
    attempt, _token = services.start_cohort_attempt(
        consent=own, locale=getattr(request, "LANGUAGE_CODE", "en")
    )
    remember_attempt(request, attempt)
    return redirect("attempt_page", public_id=attempt.public_id, number=1)


@login_required
@require_POST
def leave(request: HttpRequest, cohort_id: str) -> HttpResponse:
    own = access.get_own_consent(request.user, cohort_id)
    services.leave_cohort(consent=own)
    messages.success(request, gettext("You have left the cohort; it sees nothing of yours."))
    return redirect("orgs:index")
