"""Report views: the owner's report, its PDF and export, sharing, retaking, history."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST, require_safe

from ctoready.assessments.access import get_attempt_for_request, owned_attempts, remember_attempt
from ctoready.assessments.models import Attempt
from ctoready.assessments.services import FlowError, start_attempt
from ctoready.instruments.models import InstrumentVersion
from ctoready.instruments.services import document_for, latest_version
from ctoready.lib.http import no_referrer
from ctoready.reports import export, history, pdf
from ctoready.reports.models import Report
from ctoready.reports.norms import MIN_REFERENCE
from ctoready.reports.reportview import build_report_view
from ctoready.reports.services import latest_report


def _finished(request: HttpRequest, public_id: str) -> tuple[Attempt, Report | None]:
    attempt = get_attempt_for_request(request, public_id)
    report = latest_report(attempt) if attempt.is_finished else None
    return attempt, report


def _not_ready(request: HttpRequest, attempt: Attempt) -> HttpResponse:
    url = _flow_start(attempt) if attempt.is_open else None
    context = {"attempt": attempt, "continue_url": url}
    return render(request, "reports/not_ready.html", context)


def _page_context(view: object) -> dict[str, object]:
    return {"r": view, "site": "", "min_reference": MIN_REFERENCE}


@require_safe
def report(request: HttpRequest, public_id: str) -> HttpResponse:
    attempt, snapshot = _finished(request, public_id)
    if snapshot is None:
        return _not_ready(request, attempt)
    view = build_report_view(attempt=attempt, report=snapshot)
    return render(request, "reports/report.html", _page_context(view))


def pdf_response(
    request: HttpRequest, attempt: Attempt, snapshot: Report, shared: bool
) -> HttpResponse:
    view = build_report_view(attempt=attempt, report=snapshot, shared=shared)
    paper = pdf.paper_size(request.GET.get("paper"))
    name = (
        f"cto-readiness-report-{attempt.finished_at:%Y-%m-%d}.pdf"
        if attempt.finished_at
        else "cto-readiness-report.pdf"
    )
    response = pdf.pdf_attachment(pdf.render_pdf(view, paper=paper), name)
    # A shared copy's URL holds its token: never send it on in a Referer header.
    return no_referrer(response) if shared else response


@require_safe
def report_pdf(request: HttpRequest, public_id: str) -> HttpResponse:
    attempt, snapshot = _finished(request, public_id)
    if snapshot is None:
        raise Http404("No report yet")
    return pdf_response(request, attempt, snapshot, shared=False)


@require_safe
def report_export(request: HttpRequest, public_id: str) -> HttpResponse:
    attempt, snapshot = _finished(request, public_id)
    if snapshot is None:
        raise Http404("No report yet")
    body = export.to_json(export.export_data(attempt=attempt, report=snapshot))
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="cto-readiness-{attempt.public_id}.json"'
    )
    return response


def _flow_start(attempt: Attempt) -> str:
    try:
        return reverse("attempt_page", kwargs={"public_id": attempt.public_id, "number": 1})
    except NoReverseMatch:  # the respondent flow's pages are not wired yet
        return reverse("home")


def _start_again(attempt: Attempt, version: InstrumentVersion, request: HttpRequest) -> Attempt:
    new, _token = start_attempt(
        version=version,
        context=attempt.context,
        locale=attempt.locale,
        email=attempt.email,
        owner=request.user,
        previous=attempt,
    )
    return new


@require_POST
def retake(request: HttpRequest, public_id: str) -> HttpResponse:
    attempt, snapshot = _finished(request, public_id)
    if snapshot is None:
        raise Http404("No report yet")
    newest = latest_version(slug=attempt.version.instrument.slug, locale=attempt.locale)
    try:
        new = _start_again(attempt, newest or attempt.version, request)
    except FlowError:
        # The newest version dropped this context: retake the same version instead.
        new = _start_again(attempt, attempt.version, request)
    remember_attempt(request, new)
    return redirect(_flow_start(new))


@require_safe
def history_page(request: HttpRequest) -> HttpResponse:
    attempts = list(
        owned_attempts(request)
        .filter(status=Attempt.Status.FINISHED)
        .select_related("version", "version__instrument")
        .order_by("finished_at", "pk")[:100]
    )
    by_instrument: dict[str, list[Attempt]] = {}
    for attempt in attempts:
        by_instrument.setdefault(attempt.version.instrument.slug, []).append(attempt)
    groups = []
    for group in by_instrument.values():
        doc = document_for(group[-1].version)
        groups.append({"title": doc.title, "history": history.history(doc, group)})
    return render(request, "reports/history.html", {"groups": groups})
