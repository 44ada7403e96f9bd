"""The candidate's side of 360 feedback: invite, follow counts, remind, withdraw, close."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from ctoready.assessments.access import get_attempt_for_request
from ctoready.assessments.models import Attempt
from ctoready.lib.ratelimit import is_limited, record_failure
from ctoready.lib.siteurl import absolute, site_url
from ctoready.raters import services
from ctoready.raters.anonymity import MIN_GROUP
from ctoready.raters.forms import EmailInviteForm, LinkInviteForm
from ctoready.raters.models import Category, RaterInvite, RaterRound
from ctoready.raters.views import no_store

SCOPE = "rater-invite"
REQUESTS_PER_MINUTE = 10  # invitation requests per client, counted whether or not they succeed


def _finished(request: HttpRequest, public_id: str) -> Attempt:
    attempt = get_attempt_for_request(request, public_id)
    if not attempt.is_finished:
        raise Http404("Raters can be invited once the assessment is finished")
    return attempt


def _context(
    attempt: Attempt,
    email_form: EmailInviteForm | None = None,
    link_form: LinkInviteForm | None = None,
    **extra: Any,
) -> dict[str, Any]:
    round_ = services.round_of(attempt)
    initial = {"name": round_.candidate_name} if round_ else {}
    counts = services.response_counts(round_) if round_ else {}
    invites = (
        RaterInvite.objects.filter(round=round_).order_by("created_at", "pk") if round_ else []
    )
    return {
        "attempt": attempt,
        "round": round_,
        "email_form": email_form or EmailInviteForm(initial=initial, prefix="e"),
        "link_form": link_form or LinkInviteForm(initial=initial, prefix="l"),
        "counts": [(label, counts.get(value, 0)) for value, label in Category.choices],
        "responses": sum(counts.values()),
        "invites": invites,
        "min_group": MIN_GROUP,
        "max_invites": services.MAX_INVITES,
        **extra,
    }


def _limited(request: HttpRequest) -> bool:
    if is_limited(request, SCOPE, REQUESTS_PER_MINUTE):
        return True
    record_failure(request, SCOPE)
    return False


@require_http_methods(["GET", "HEAD", "POST"])
def invite(request: HttpRequest, public_id: str) -> HttpResponse:
    attempt = _finished(request, public_id)
    if request.method != "POST":
        return no_store(render(request, "raters/invite.html", _context(attempt)))
    form = EmailInviteForm(request.POST, prefix="e")
    error, status = None, 400
    if _limited(request):
        error, status = "Too many invitations in a short time. Wait a minute and try again.", 429
    elif form.is_valid():
        try:
            sent = services.invite_by_email(
                attempt=attempt,
                candidate_name=form.cleaned_data["name"],
                category=form.cleaned_data["category"],
                emails=form.cleaned_data["emails"],
                base_url=site_url(request),
                manager_alone=form.cleaned_data["manager_alone"],
            )
        except services.RaterError as exc:
            error = exc.message
        else:
            messages.success(
                request,
                f"{len(sent)} invitation{'s are' if len(sent) > 1 else ' is'} on the way.",
            )
            return redirect("raters:invite", public_id=public_id)
    context = _context(attempt, email_form=form, error=error)
    return no_store(render(request, "raters/invite.html", context, status=status))


@require_POST
def create_link(request: HttpRequest, public_id: str) -> HttpResponse:
    attempt = _finished(request, public_id)
    form = LinkInviteForm(request.POST, prefix="l")
    error, status = None, 400
    if _limited(request):
        error, status = "Too many invitations in a short time. Wait a minute and try again.", 429
    elif form.is_valid():
        try:
            link, token = services.invite_by_link(
                attempt=attempt,
                candidate_name=form.cleaned_data["name"],
                category=form.cleaned_data["category"],
                manager_alone=form.cleaned_data["manager_alone"],
            )
        except services.RaterError as exc:
            error = exc.message
        else:
            # Shown once, in this response only; the database keeps just the hash.
            url = absolute(reverse("raters:open", kwargs={"token": token}), request)
            context = _context(attempt, new_url=url, new_invite=link)
            return no_store(render(request, "raters/invite.html", context))
    context = _context(attempt, link_form=form, error=error)
    return no_store(render(request, "raters/invite.html", context, status=status))


def _round(attempt: Attempt) -> RaterRound:
    round_ = services.round_of(attempt)
    if round_ is None:
        raise Http404("No raters invited yet")
    return round_


@require_POST
def revoke(request: HttpRequest, public_id: str, invite_id: str) -> HttpResponse:
    round_ = _round(_finished(request, public_id))
    found = RaterInvite.objects.filter(round=round_, public_id=invite_id).first()
    if found is None:
        raise Http404("No such invitation")
    services.revoke_invite(invite=found)
    messages.success(request, "The invitation was withdrawn; its link no longer works.")
    return redirect("raters:invite", public_id=public_id)


@require_POST
def remind(request: HttpRequest, public_id: str) -> HttpResponse:
    round_ = _round(_finished(request, public_id))
    try:
        services.send_reminders(round_=round_, base_url=site_url(request))
    except services.RaterError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "A reminder is on its way to everyone who has not answered.")
    return redirect("raters:invite", public_id=public_id)


@require_POST
def close(request: HttpRequest, public_id: str) -> HttpResponse:
    attempt = _finished(request, public_id)
    try:
        services.close_round(round_=_round(attempt))
    except services.RaterError as exc:
        messages.error(request, exc.message)
        return redirect("raters:invite", public_id=public_id)
    return redirect(reverse("reports:report", kwargs={"public_id": public_id}) + "#feedback-title")
