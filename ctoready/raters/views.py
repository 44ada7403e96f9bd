"""Rater views: answering through a private invitation, with autosave and resume."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from ctoready.assessments.access import owned_attempts
from ctoready.assessments.autosave import save_response
from ctoready.assessments.pages import newer_answers_kept
from ctoready.assessments.services import now_seq
from ctoready.instruments.services import document_for
from ctoready.lib.errors import page_not_found
from ctoready.lib.http import no_referrer
from ctoready.lib.ratelimit import is_limited, record_failure
from ctoready.lib.tokens import looks_like_token
from ctoready.raters import pages, services
from ctoready.raters.access import get_invite_for_request, remember_invite
from ctoready.raters.anonymity import MIN_GROUP
from ctoready.raters.forms import parse_ratings
from ctoready.raters.models import RaterInvite

SCOPE = "rater-token"
FAILURE_LIMIT = 20  # failed token lookups per client per minute


@require_safe
def open_link(request: HttpRequest, token: str) -> HttpResponse:
    """An invitation link puts the invitation in this browser's session, then leaves the
    URL. Opening it changes nothing else: a GET never uses the invitation up."""
    if is_limited(request, SCOPE, FAILURE_LIMIT):
        return no_referrer(render(request, "assessments/too_many.html", status=429))
    invite = services.resolve_invite(token=token) if looks_like_token(token) else None
    if invite is None or not invite.opens:
        record_failure(request, SCOPE)
        return no_referrer(page_not_found(request))
    if owned_attempts(request).filter(pk=invite.round.attempt_id).exists():
        translation.activate(invite.round.attempt.locale)
        context = {
            "title": _("This is your own invitation"),
            "message": _(
                "This browser holds the assessment the invitation is about, so it cannot be "
                "used to rate it. Send the link to the person you made it for."
            ),
        }
        return no_referrer(render(request, "message.html", context, status=403))
    remember_invite(request, invite)
    return no_referrer(redirect("raters:rate_home", public_id=invite.public_id))


def _ended(request: HttpRequest, invite: RaterInvite) -> HttpResponse | None:
    if invite.completed:
        return redirect("raters:done", public_id=invite.public_id)
    if not invite.round.is_open or not invite.is_active:
        context = {
            "title": _("This invitation has ended"),
            "message": _(
                "It expired, was withdrawn, or the feedback round was closed, so no more "
                "answers can be sent. Answers that were not sent are deleted when the round "
                "closes."
            ),
        }
        return render(request, "message.html", context, status=410)
    return None


@require_safe
def rate_home(request: HttpRequest, public_id: str) -> HttpResponse:
    invite = get_invite_for_request(request, public_id)
    ended = _ended(request, invite)
    if ended:
        return ended
    doc = document_for(invite.round.attempt.version)
    answers, _ = services.draft_values(invite)
    number = pages.first_open_page(doc, answers)
    return redirect("raters:rate_page", public_id=public_id, number=number)


def _page_context(invite: RaterInvite, number: int, error: str | None = None) -> dict[str, object]:
    doc = document_for(invite.round.attempt.version)
    answers, comments = services.draft_values(invite)
    questions, stem = pages.questions(doc, number, answers)
    total = len(pages.rater_items(doc))
    return {
        "invite": invite,
        "name": invite.round.candidate_name,
        "number": number,
        "pages": pages.page_count(doc),
        "questions": questions,
        "stem": stem,
        "comments": comments,
        "answered": sum(1 for item in pages.rater_items(doc) if item.id in answers),
        "total": total,
        "seq": now_seq(),
        "error": error,
        "min_group": MIN_GROUP,
        "autosave_url": reverse("raters:autosave", kwargs={"public_id": invite.public_id}),
    }


@require_http_methods(["GET", "HEAD", "POST"])
def rate_page(request: HttpRequest, public_id: str, number: int) -> HttpResponse:
    invite = get_invite_for_request(request, public_id)
    ended = _ended(request, invite)
    if ended:
        return ended
    last = pages.page_count(document_for(invite.round.attempt.version))
    if not 1 <= number <= last:
        return page_not_found(request)
    if request.method == "POST":
        values, comments, seqs = parse_ratings(request.POST)
        go = request.POST.get("go", "next")
        try:
            results = services.save_ratings(
                invite=invite, values=values, seqs=seqs, comments=comments
            )
            invite.refresh_from_db()
            if newer_answers_kept(request, results):
                return redirect("raters:rate_page", public_id=public_id, number=number)
            if go == "send":
                services.submit_response(invite=invite)
                return _to_thanks(request, public_id)
        except services.RaterError as error:
            if error.code in {"completed", "ended"}:
                return _ended(request, invite) or redirect("raters:rate_home", public_id)
            context = _page_context(invite, number, error=error.message)
            return render(request, "raters/rate.html", context, status=400)
        target = max(1, number - 1) if go == "back" else min(last, number + 1)
        return redirect("raters:rate_page", public_id=public_id, number=target)
    return render(request, "raters/rate.html", _page_context(invite, number))


def _to_thanks(request: HttpRequest, public_id: str) -> HttpResponse:
    """The thank-you page at its own address, also when the form was sent by htmx (which
    would otherwise keep the last question page's address in the address bar)."""
    url = reverse("raters:done", kwargs={"public_id": public_id})
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return redirect(url)


@require_POST
def autosave(request: HttpRequest, public_id: str) -> HttpResponse:
    """Save what was just chosen or typed; an htmx status line, or JSON."""
    invite = get_invite_for_request(request, public_id)
    values, comments, seqs = parse_ratings(request.POST)
    if not values and not comments:
        return save_response(request, 400, "invalid", _("No answer was sent."))
    try:
        results = services.save_ratings(invite=invite, values=values, seqs=seqs, comments=comments)
    except services.RaterError as error:
        status = 409 if error.code in {"completed", "ended"} else 400
        return save_response(request, status, error.code, error.message)
    if any(not r.saved for r in results):
        message = _("A newer answer from another tab was kept.")
        return save_response(request, 200, "stale", message)
    return save_response(request, 200, "saved", _("Saved"))


@require_safe
def done(request: HttpRequest, public_id: str) -> HttpResponse:
    invite = get_invite_for_request(request, public_id)
    if not invite.completed:
        return redirect("raters:rate_home", public_id=public_id)
    context = {
        "title": _("Thank you"),
        "message": _(
            "Your answers about %(name)s are in. They count only inside averages of at least "
            "%(min_group)s people, and your comments appear without your name."
        )
        % {"name": invite.round.candidate_name, "min_group": MIN_GROUP},
        "detail": _(
            "There is nothing more to do. Your answers can no longer be changed, and you can "
            "close this page."
        ),
    }
    return render(request, "message.html", context)
