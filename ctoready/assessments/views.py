"""The respondent flow: start, pages with autosave, resume by link, review and finish."""

from dataclasses import replace

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ctoready.assessments import services
from ctoready.assessments.access import get_attempt_for_request, remember_attempt
from ctoready.assessments.adaptive import assign_pages, page_items, served_items
from ctoready.assessments.autosave import answered_count, save_response
from ctoready.assessments.duration import part_duration
from ctoready.assessments.forms import StartForm, parse_any, parse_page
from ctoready.assessments.models import Attempt, Link
from ctoready.assessments.pages import (
    after_page_url,
    deep_offer,
    newer_answers_kept,
    next_page,
    page_context,
    render_page,
)
from ctoready.assessments.tasks import send_resume_link
from ctoready.instruments.document import Instrument
from ctoready.instruments.services import document_for, latest_version
from ctoready.lib import limits, ratelimit
from ctoready.lib.errors import rate_limited
from ctoready.lib.http import no_referrer
from ctoready.lib.siteurl import absolute, site_url
from ctoready.lib.tokens import looks_like_token
from ctoready.reports.services import finish_attempt, finish_deep_dive

TOKEN_FAILURES_PER_MINUTE = 20


def _lang(request: HttpRequest) -> str:
    """The language asked for on the landing page (?lang=), which then applies to the page."""
    lang = request.GET.get("lang") or request.POST.get("lang") or request.LANGUAGE_CODE
    lang = lang if lang in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    translation.activate(lang)
    request.LANGUAGE_CODE = lang
    return lang


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    lang = _lang(request)
    version = latest_version(locale=lang)
    doc = document_for(version) if version else None
    form = StartForm(
        initial={"lang": lang},
        contexts=[(c.id, c.name) for c in doc.contexts] if doc else [],
    )
    context = {
        "doc": doc,
        "form": form,
        "lang": lang,
        "expiry_days": settings.ATTEMPT_EXPIRY_DAYS,
        "duration": part_duration(version) if version else None,
    }
    return render(request, "assessments/home.html", context)


@require_POST
def start(request: HttpRequest) -> HttpResponse:
    lang = _lang(request)
    version = latest_version(locale=lang)
    if version is None:
        raise Http404("No assessment is published yet.")
    if not limits.admit_start(request):
        return rate_limited(request)
    doc = document_for(version)
    form = StartForm(request.POST, contexts=[(c.id, c.name) for c in doc.contexts])
    if not form.is_valid():
        context = {
            "doc": doc,
            "form": form,
            "lang": lang,
            "expiry_days": settings.ATTEMPT_EXPIRY_DAYS,
        }
        return render(request, "assessments/home.html", context, status=400)
    attempt, token = services.start_attempt(
        version=version,
        context=form.cleaned_data["context"],
        locale=version.locale,
        email=form.cleaned_data["email"],
        owner=request.user,
    )
    remember_attempt(request, attempt)
    services.record_page_moves(attempt=attempt, doc=doc, shown=1)
    request.session["new_resume_token"] = token
    if attempt.email:
        send_resume_link.enqueue(attempt_id=attempt.pk, base_url=site_url(request))
    return redirect("attempt_page", public_id=attempt.public_id, number=1)


@require_safe
def resume(request: HttpRequest, token: str) -> HttpResponse:
    """A resume link puts the attempt in this browser's session, then leaves the URL."""
    if ratelimit.is_limited(request, "token", TOKEN_FAILURES_PER_MINUTE):
        return no_referrer(render(request, "assessments/too_many.html", status=429))
    link = services.resolve_link(token=token, purpose=Link.Purpose.RESUME)
    if link is None or not looks_like_token(token):
        ratelimit.record_failure(request, "token")
        raise Http404("No such link")
    remember_attempt(request, link.attempt)
    services.extend_expiry(attempt=link.attempt)
    services.confirm_email(link=link)
    return no_referrer(redirect("attempt_home", public_id=link.attempt.public_id))


def _closed(request: HttpRequest, attempt: Attempt, part: str | None = None) -> HttpResponse | None:
    """Where pages that cannot change now send the person instead: a finished core goes
    to the report (unless its deep-dive is open), an expired attempt says so. ``part`` is
    the part of the page asked for, when there is one."""
    open_part = services.open_part(attempt)
    if open_part is not None and part in (None, open_part):
        return None
    if attempt.is_finished:
        return redirect("reports:report", public_id=attempt.public_id)
    if open_part == "core":  # a deep-dive page before the core is finished
        return redirect("attempt_home", public_id=attempt.public_id)
    return render(request, "assessments/expired.html", {"attempt": attempt}, status=410)


@require_safe
def attempt_home(request: HttpRequest, public_id: str) -> HttpResponse:
    """Send the person to where they left off in the part they are taking."""
    attempt = get_attempt_for_request(request, public_id)
    if closed := _closed(request, attempt):
        return closed
    doc = document_for(attempt.version)
    answers = services.answers_of(attempt)
    done = services.answered_ids(answers)
    for number in doc.page_numbers(services.open_part(attempt) or "core"):
        items = page_items(attempt, doc, number)
        if items is None or any(ref not in done for ref in items):  # None: not shown yet
            return redirect("attempt_page", public_id=public_id, number=number)
    return redirect("attempt_review", public_id=public_id)


@require_POST
def deep_dive(request: HttpRequest, public_id: str) -> HttpResponse:
    """Start (or go back to) the optional deep-dive of a finished core."""
    attempt = get_attempt_for_request(request, public_id)
    try:
        services.start_deep_dive(attempt=attempt)
    except services.FlowError:
        return redirect("reports:report", public_id=public_id)
    return redirect("attempt_home", public_id=public_id)


@require_http_methods(["GET", "HEAD", "POST"])
def attempt_page(request: HttpRequest, public_id: str, number: int) -> HttpResponse:
    attempt = get_attempt_for_request(request, public_id)
    doc = document_for(attempt.version)
    if not 1 <= number <= len(doc.pages):
        raise Http404("No such page")
    if closed := _closed(request, attempt, doc.part_of_page(number)):
        return closed
    # An adaptive page's items are chosen when it is first served (usually already by the
    # POST that led here, below), then only read. A post reads the stored answers only then.
    answers = None
    items = page_items(attempt, doc, number)
    if items is None or request.method != "POST":
        answers = services.answers_of(attempt)
        items = served_items(attempt, doc, number, answers)
    if request.method == "POST":
        values, seqs = parse_page(doc, items, request.POST)
        following = _next_number(request, number, doc)
        # A fixed form's moves are recorded with its answers, once all are saved; an
        # adaptive one's once the pages ahead are chosen.
        adaptive = attempt.mode == Attempt.Mode.ADAPTIVE
        moves = None if adaptive else (number, following)
        try:
            results = services.save_answers(attempt=attempt, values=values, seq=seqs, moves=moves)
        except services.FlowError as error:
            context = page_context(request, attempt, doc, number, items, error=error.message)
            # Show what was chosen, with the message beside the question it is about.
            context["questions"] = [
                replace(q, value=values.get(q.item.id, q.value)) for q in context["questions"]
            ]
            context["error_item"] = error.item_id
            return render(request, "assessments/page.html", context, status=400)
        if newer_answers_kept(request, results):
            return redirect("attempt_page", public_id=public_id, number=number)
        skipped = len(items) - len(values)
        if adaptive:
            # The post that leads to a page chooses its adaptive items (all that are left
            # in this part when it leads to the review), so showing it only reads.
            numbers = doc.page_numbers(doc.part_of_page(number))
            ahead = numbers.stop - 1 if following is None else following
            answers = services.answers_of(attempt)  # with the ones just saved
            assign_pages(attempt=attempt, doc=doc, answers=answers, through=ahead)
            services.record_page_moves(attempt=attempt, doc=doc, left=number, shown=following)
        return _after_page(request, attempt, number, doc, skipped)
    if not items:
        # An adaptive page left empty: the scoring core needs no more Likert answers.
        numbers = doc.page_numbers(doc.part_of_page(number))
        backwards = request.GET.get("from") == "next-page" and number > numbers.start
        return _move(attempt, number - 1 if backwards else number + 1, numbers, backwards)
    context = page_context(request, attempt, doc, number, items, answers=answers)
    token = request.session.pop("new_resume_token", None)
    if token:
        context["resume_url"] = absolute(reverse("resume", args=[token]), request)
    return render_page(request, context)


def _next_number(request: HttpRequest, number: int, doc: Instrument) -> int | None:
    """The page a page's POST leads to (None for the review page)."""
    return next_page(doc, number, request.POST.get("go", "next"))


def _after_page(
    request: HttpRequest, attempt: Attempt, number: int, doc: Instrument, skipped: int
) -> HttpResponse:
    direction = request.POST.get("go", "next")
    if skipped > 0 and direction == "next":
        message = ngettext(
            "You left %(count)d question unanswered on the previous page. That is fine; "
            "you can come back to it from the review page.",
            "You left %(count)d questions unanswered on the previous page. That is fine; "
            "you can come back to them from the review page.",
            skipped,
        )
        messages.info(request, message % {"count": skipped})
    return redirect(after_page_url(attempt.public_id, doc, number, direction))


def _move(attempt: Attempt, number: int, numbers: range, backwards: bool = False) -> HttpResponse:
    if number >= numbers.stop:
        return redirect("attempt_review", public_id=attempt.public_id)
    url = reverse("attempt_page", kwargs={"public_id": attempt.public_id, "number": number})
    return redirect(url + ("?from=next-page" if backwards else ""))


@require_POST
def autosave(request: HttpRequest, public_id: str) -> HttpResponse:
    """Save the answers posted (one question, as it is chosen); JSON or an htmx status.

    Plain autosaves carrying the page's key are answered earlier, by
    ``autosave.AutosaveApp`` in front of Django; this view answers the rest (no key, several
    questions, refusals) through the session, with the same responses.
    """
    attempt = get_attempt_for_request(request, public_id)
    doc = document_for(attempt.version)
    values, seqs = parse_any(doc, request.POST)
    if not values:
        return save_response(request, 400, "invalid", _("No answer was sent."))
    try:
        results = services.save_answers(attempt=attempt, values=values, seq=seqs)
    except services.FlowError as error:
        status = 409 if error.code in {"finished", "expired"} else 400
        return save_response(request, status, error.code, error.message)
    answered = total = None
    if getattr(request, "htmx", False):
        part = doc.part_of_item.get(next(iter(values)), "core")
        answered, total = answered_count(attempt.pk, doc, part)
    if any(not r.saved for r in results):
        message = _("A newer answer from another tab was kept.")
        return save_response(request, 200, "stale", message, answered=answered, total=total)
    return save_response(request, 200, "saved", _("Saved"), answered=answered, total=total)


@require_safe
def review(request: HttpRequest, public_id: str) -> HttpResponse:
    attempt = get_attempt_for_request(request, public_id)
    if closed := _closed(request, attempt):
        return closed
    doc = document_for(attempt.version)
    answers = services.answers_of(attempt)
    part = services.open_part(attempt) or "core"
    numbers = doc.page_numbers(part)
    if any(page_items(attempt, doc, n) is None for n in numbers):
        # Reached without the page post that leads here: choose what is left, once.
        assign_pages(attempt=attempt, doc=doc, answers=answers, through=numbers.stop - 1)
    items = [page_items(attempt, doc, n) or () for n in numbers]
    status = [row for row in services.page_status(items, answers) if row[2] > 0]
    rows = [
        {
            "number": number + numbers.start - 1,
            "position": number,
            "page": doc.pages[number + numbers.start - 2],
            "done": done,
            "total": total,
            "missing": total - done,
        }
        for number, done, total in status
    ]
    unanswered = sum(total - done for _, done, total in status)
    context = {
        "attempt": attempt,
        "doc": doc,
        "rows": rows,
        "unanswered": unanswered,
        "part": part,
        "deep_offer": deep_offer(doc, attempt.version) if part == "core" else None,
    }
    return render(request, "assessments/review.html", context)


@require_POST
def finish(request: HttpRequest, public_id: str) -> HttpResponse:
    """Finish the part being taken; after the core, go on to the deep-dive when asked."""
    attempt = get_attempt_for_request(request, public_id)
    try:
        if attempt.deep_open:
            finish_deep_dive(attempt=attempt)
        else:
            finish_attempt(attempt=attempt)
            if request.POST.get("then") == "deep":
                return deep_dive(request, public_id)
    except services.FlowError:
        return render(request, "assessments/expired.html", {"attempt": attempt}, status=410)
    return redirect(reverse("reports:report", kwargs={"public_id": public_id}))
