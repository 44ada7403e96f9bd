"""Keying rounds: the operator's pages (404 for everyone else) and the expert's private link."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ctoready.analytics import keying
from ctoready.analytics.access import operator_only
from ctoready.analytics.models import KeyingExpert, KeyingRound
from ctoready.analytics.versions import versions_for
from ctoready.instruments.services import published_versions
from ctoready.lib.ratelimit import is_limited, record_failure
from ctoready.lib.tokens import looks_like_token


@require_safe
@operator_only
def rounds(request: HttpRequest) -> HttpResponse:
    labels = sorted({v.label for v in published_versions()})
    context = {"rounds": KeyingRound.objects.all()[:50], "labels": labels}
    return render(request, "analytics/keying_rounds.html", context)


@require_POST
@operator_only
def open_round(request: HttpRequest) -> HttpResponse:
    versions = [v for v in versions_for(request.POST.get("version", "")) if v.is_published]
    if not versions or "@" not in request.POST.get("version", ""):
        messages.error(request, _("Choose a published version."))
        return redirect("analytics:keying")
    found = keying.open_round(version=versions[0])
    return redirect("analytics:keying_round", pk=found.pk)


@require_safe
@operator_only
def round_page(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(KeyingRound, pk=pk)
    context = {
        "round": found,
        "results": keying.scenario_results(found),
        "experts": found.experts.order_by("pk"),
        "rule": {
            "experts": keying.MIN_EXPERTS,
            "lead": keying.MIN_LEAD,
            "sd": keying.MAX_BEST_SD,
            "rwg": keying.MIN_RWG_J,
        },
    }
    return render(request, "analytics/keying_round.html", context)


@require_POST
@operator_only
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(KeyingRound, pk=pk)
    try:
        _expert, token = keying.invite_expert(round=found, label=request.POST.get("label", ""))
    except keying.KeyingError as error:
        messages.error(request, str(error))
    else:
        link = f"{settings.SITE_URL}/keying/{token}/"
        messages.success(
            request,
            _("Send this private link to the expert (it is shown only once): %(link)s")
            % {"link": link},
        )
    return redirect("analytics:keying_round", pk=found.pk)


@require_POST
@operator_only
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(KeyingRound, pk=pk)
    try:
        number = keying.publish_round(round=found, operator=request.user)
    except keying.KeyingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Published version %(number)s.") % {"number": number})
    return redirect("analytics:keying_round", pk=found.pk)


LOOKUP_SCOPE = "keying-link"
FAILURE_LIMIT = 20  # failed token lookups per client per minute


def _expert_or_404(request: HttpRequest, token: str) -> KeyingExpert:
    """The invitation behind a token. The page keeps the site's same-origin referrer
    policy: "no-referrer" would make browsers post ``Origin: null``, which CSRF refuses."""
    if is_limited(request, LOOKUP_SCOPE, FAILURE_LIMIT):
        raise Http404("No such invitation")
    expert = keying.resolve_expert(token) if looks_like_token(token) else None
    if expert is None:
        record_failure(request, LOOKUP_SCOPE)
        raise Http404("No such invitation")
    return expert


@require_http_methods(["GET", "HEAD", "POST"])
def expert(request: HttpRequest, token: str) -> HttpResponse:
    found = _expert_or_404(request, token)
    doc = keying.round_document(found.round)
    scenarios = doc.items_of("scenario")
    if request.method == "POST":
        ratings, notes = {}, {}
        for item in scenarios:
            notes[item.id] = request.POST.get(f"note-{item.id}", "")
            for option in item.options:
                raw = request.POST.get(f"r-{item.id}-{option.id}", "")
                ratings[(item.id, option.id)] = int(raw) if raw.isdigit() else 0
        try:
            keying.submit_ratings(expert=found, ratings=ratings, notes=notes)
        except keying.KeyingError as error:
            response = render(
                request,
                "analytics/keying_expert.html",
                {"scenarios": scenarios, "error": str(error), "given": request.POST},
                status=400,
            )
            response["Cache-Control"] = "no-store"
            return response
        messages.success(
            request,
            _("Thank you: your ratings are saved. You can change them until the panel is closed."),
        )
        return redirect("keying_expert", token=token)
    given = {f"r-{r.scenario_id}-{r.option_id}": str(r.rating) for r in found.ratings.all()} | {
        f"note-{k}": v for k, v in found.notes.items()
    }
    response = render(
        request, "analytics/keying_expert.html", {"scenarios": scenarios, "given": given}
    )
    response["Cache-Control"] = "no-store"
    return response
