"""Share links: the owner creates, lists and revokes them; anyone holding one reads the
report, read-only. A bad token is a 404, and failures are rate-limited per client."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ctoready.assessments.access import get_attempt_for_request
from ctoready.assessments.models import Attempt, Link
from ctoready.assessments.services import create_link, resolve_link
from ctoready.lib.errors import page_not_found, rate_limited
from ctoready.lib.http import no_referrer
from ctoready.lib.ratelimit import is_limited, record_failure
from ctoready.lib.siteurl import absolute
from ctoready.lib.tokens import looks_like_token
from ctoready.reports.models import Report
from ctoready.reports.reportview import build_report_view
from ctoready.reports.services import latest_report, revoke_share_link, share_links
from ctoready.reports.views import _page_context, pdf_response

SCOPE = "share-link"
FAILURE_LIMIT = 20  # failed token lookups per client per minute
EXPIRY_CHOICES = (
    (7, gettext_noop("7 days")),
    (30, gettext_noop("30 days")),
    (90, gettext_noop("90 days")),
)
DEFAULT_DAYS = 30
LABEL_MAX = 100


def _shared(request: HttpRequest, token: str) -> tuple[Attempt, Report] | HttpResponse:
    """The attempt and report behind a share token, or the 404 or 429 to answer with."""
    if is_limited(request, SCOPE, FAILURE_LIMIT):
        return no_referrer(rate_limited(request))
    link = (
        resolve_link(token=token, purpose=Link.Purpose.SHARE) if looks_like_token(token) else None
    )
    report = latest_report(link.attempt) if link and link.attempt.is_finished else None
    if link is None or report is None:
        record_failure(request, SCOPE)
        return no_referrer(page_not_found(request))
    # A shared report speaks the language its attempt was taken in, like the owner's.
    translation.activate(link.attempt.locale)
    request.LANGUAGE_CODE = link.attempt.locale
    return link.attempt, report


@require_safe
def shared(request: HttpRequest, token: str) -> HttpResponse:
    found = _shared(request, token)
    if isinstance(found, HttpResponse):
        return found
    attempt, report = found
    view = build_report_view(attempt=attempt, report=report, shared=True)
    context = {**_page_context(view), "token": token}
    return no_referrer(render(request, "reports/shared.html", context))


@require_safe
def shared_pdf(request: HttpRequest, token: str) -> HttpResponse:
    found = _shared(request, token)
    if isinstance(found, HttpResponse):
        return found
    attempt, report = found
    return pdf_response(request, attempt, report, shared=True)


def _owned_finished(request: HttpRequest, public_id: str) -> Attempt:
    attempt = get_attempt_for_request(request, public_id)
    if not attempt.is_finished:
        raise Http404("Only a finished report can be shared")
    return attempt


def _days(raw: str | None) -> int | None:
    allowed = {days for days, _ in EXPIRY_CHOICES}
    try:
        days = int(raw or DEFAULT_DAYS)
    except ValueError:
        return None
    return days if days in allowed else None


@require_http_methods(["GET", "HEAD", "POST"])
def share(request: HttpRequest, public_id: str) -> HttpResponse:
    attempt = _owned_finished(request, public_id)
    context: dict[str, object] = {}
    status = 200
    if request.method == "POST":
        label = request.POST.get("label", "").strip()
        days = _days(request.POST.get("days"))
        if days is None or len(label) > LABEL_MAX:
            context["form_error"] = gettext(
                "Choose one of the expiry periods and a label of up to 100 characters."
            )
            status = 400
        else:
            token = create_link(attempt=attempt, purpose=Link.Purpose.SHARE, days=days, label=label)
            # Shown once, in this response only; the database keeps just the hash.
            context["new_url"] = absolute(reverse("reports:shared", args=[token]), request)
            context["new_label"] = label
    context.update(
        {
            "attempt": attempt,
            "links": share_links(attempt),
            "expiry_choices": [(days, gettext(text)) for days, text in EXPIRY_CHOICES],
            "default_days": DEFAULT_DAYS,
        }
    )
    return render(request, "reports/share.html", context, status=status)


@require_POST
def revoke_share(request: HttpRequest, public_id: str, link_id: str) -> HttpResponse:
    attempt = _owned_finished(request, public_id)
    if not revoke_share_link(attempt=attempt, link_id=link_id):
        raise Http404("No such link")
    return redirect("reports:share", public_id=attempt.public_id)
