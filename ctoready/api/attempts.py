"""Taking the assessment: start, read pages, save answers idempotently, finish, report."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router, Status

from ctoready.api import present, renderings
from ctoready.api.auth import attempt_for, bearer
from ctoready.api.errors import ApiError, errors, not_found
from ctoready.api.schemas import (
    AnswerIn,
    AttemptOut,
    AttemptPageOut,
    BatchIn,
    BatchOut,
    NextOut,
    OptionId,
    Paper,
    PublicId,
    ReportSummaryOut,
    SavedOut,
    StartIn,
    StartOut,
)
from ctoready.assessments.models import Answer, Attempt
from ctoready.assessments.services import FlowError, answers_of, save_answers, start_attempt
from ctoready.instruments.models import InstrumentVersion
from ctoready.instruments.services import document_for, latest_version
from ctoready.reports.models import Report
from ctoready.reports.services import finish_attempt

router = Router(tags=["attempts"], auth=bearer)

AttemptId = Path[PublicId]
PDF_RESPONSE = {
    "responses": {
        200: {
            "description": "The report as a PDF document.",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}
PAPERS = {"a4": "A4", "letter": "letter"}


def _version(body: StartIn) -> InstrumentVersion:
    if body.version is None:
        found = latest_version(slug=body.instrument, locale=body.lang)
    else:
        versions = InstrumentVersion.objects.filter(
            version=body.version, status=InstrumentVersion.Status.PUBLISHED
        ).select_related("instrument")
        if body.instrument:
            versions = versions.filter(instrument__slug=body.instrument)
        found = versions.filter(locale=body.lang).first() or versions.first()
    if found is None:
        raise not_found("published instrument")
    return found


@router.post(
    "/attempts", auth=None, response={201: StartOut, **errors(400, 401, 404, 413, 415, 422, 429)}
)
def start(request: HttpRequest, body: StartIn) -> Status[Any]:
    """Start an attempt. Anonymous, or with a personal API token to own it.

    The response carries the attempt's bearer token once; keep it to continue."""
    owner = None
    if request.headers.get("Authorization"):
        principal = bearer(request)
        if principal is None or principal.user is None:
            raise ApiError(401, "unauthenticated", "Start anonymously or with an API token.")
        owner = principal.user
    if body.email:
        try:
            validate_email(body.email)
        except DjangoValidationError as exc:
            raise ApiError(422, "invalid_email", "That is not a valid e-mail address.") from exc
    version = _version(body)
    attempt, token = start_attempt(
        version=version,
        context=body.context,
        locale=version.locale,
        email=body.email,
        owner=owner,
    )
    return Status(
        201,
        {
            "attempt": present.attempt(attempt, answers={}),
            "token": token,
            "resume_url": present.resume_url(request, token),
        },
    )


_COMMON = (401, 404, 422, 429)


@router.get("/attempts/{attempt_id}", response={200: AttemptOut, **errors(*_COMMON)})
def get_attempt(request: HttpRequest, attempt_id: AttemptId) -> dict[str, Any]:
    """Status and progress, page by page."""
    return present.attempt(attempt_for(request, attempt_id))


def _open(attempt: Attempt) -> None:
    if attempt.is_finished:
        raise FlowError("This assessment is finished.", "finished")
    if not attempt.is_open:
        raise FlowError("This assessment has expired.", "expired")


@router.get("/attempts/{attempt_id}/next", response={200: NextOut, **errors(*_COMMON, 409)})
def next_page(request: HttpRequest, attempt_id: AttemptId) -> dict[str, Any]:
    """The first page with an unanswered question, or ``done`` when every one is answered."""
    attempt = attempt_for(request, attempt_id)
    _open(attempt)
    doc = document_for(attempt.version)
    number = present.next_page_number(attempt, doc, answers_of(attempt))
    return {"done": number is None, "page": present.page(attempt, number) if number else None}


@router.get(
    "/attempts/{attempt_id}/pages/{number}",
    response={200: AttemptPageOut, **errors(*_COMMON, 409)},
)
def get_page(request: HttpRequest, attempt_id: AttemptId, number: Path[int]) -> dict[str, Any]:
    """One page's questions, each with the stored answer and its sequence number."""
    attempt = attempt_for(request, attempt_id)
    _open(attempt)
    if not 1 <= number <= len(document_for(attempt.version).pages):
        raise not_found("page")
    return present.page(attempt, number)


def _saved(attempt: Attempt, item_ids: list[str], saved: dict[str, bool]) -> list[dict[str, Any]]:
    rows = {a.item_id: a for a in Answer.objects.filter(attempt=attempt, item_id__in=item_ids)}
    return [
        {
            "item": item_id,
            "saved": saved[item_id],
            "value": rows[item_id].value if item_id in rows else None,
            "seq": rows[item_id].seq if item_id in rows else 0,
        }
        for item_id in item_ids
    ]


@router.put(
    "/attempts/{attempt_id}/answers/{item_id}",
    response={200: SavedOut, **errors(*_COMMON, 400, 409, 413, 415)},
)
def save_answer(
    request: HttpRequest, attempt_id: AttemptId, item_id: Path[OptionId], body: AnswerIn
) -> dict[str, Any]:
    """Save one answer. Idempotent: a retry with the same ``seq`` is acknowledged, and a
    lower ``seq`` than the stored one leaves the newer answer in place (``saved: false``)."""
    attempt = attempt_for(request, attempt_id)
    results = save_answers(attempt=attempt, values={item_id: body.value}, seq=body.seq)
    return _saved(attempt, [item_id], {r.item_id: r.saved for r in results})[0]


@router.post(
    "/attempts/{attempt_id}/answers",
    response={200: BatchOut, **errors(*_COMMON, 400, 409, 413, 415)},
)
def save_batch(request: HttpRequest, attempt_id: AttemptId, body: BatchIn) -> dict[str, Any]:
    """Save several answers, all or nothing, each with its own sequence number."""
    attempt = attempt_for(request, attempt_id)
    values = {a.item: a.value for a in body.answers}
    seqs = {a.item: a.seq for a in body.answers}
    if len(values) != len(body.answers):
        raise ApiError(422, "duplicate_item", "Each item may appear once per request.")
    results = save_answers(attempt=attempt, values=values, seq=seqs)
    return {"results": _saved(attempt, list(values), {r.item_id: r.saved for r in results})}


@router.post(
    "/attempts/{attempt_id}/finish",
    response={200: ReportSummaryOut, **errors(*_COMMON, 400, 409, 413, 415)},
)
def finish(request: HttpRequest, attempt_id: AttemptId) -> dict[str, Any]:
    """Score and close the attempt (exactly once; finishing again returns the same report)."""
    attempt = attempt_for(request, attempt_id)
    report = finish_attempt(attempt=attempt)
    return present.report_summary(attempt, report)


def finished_report(attempt: Attempt) -> Report:
    try:
        return renderings.report_of(attempt)
    except renderings.NotFinishedError as exc:
        raise ApiError(409, "not_finished", "This assessment is not finished yet.") from exc


@router.get(
    "/attempts/{attempt_id}/report/summary",
    response={200: ReportSummaryOut, **errors(*_COMMON, 409)},
)
def report_summary(request: HttpRequest, attempt_id: AttemptId) -> dict[str, Any]:
    """The report's headline: readiness, scales, strengths, development areas and fit."""
    attempt = attempt_for(request, attempt_id)
    return present.report_summary(attempt, finished_report(attempt))


@router.get(
    "/attempts/{attempt_id}/report", response={200: dict[str, Any], **errors(*_COMMON, 409)}
)
def report_json(request: HttpRequest, attempt_id: AttemptId) -> HttpResponse:
    """The full JSON export of the attempt and its report (schema in docs/report-schema.md)."""
    attempt = attempt_for(request, attempt_id)
    return json_response(renderings.as_json(attempt, finished_report(attempt)))


@router.get(
    "/attempts/{attempt_id}/report.pdf",
    response=errors(*_COMMON, 409),
    openapi_extra=PDF_RESPONSE,
)
def report_pdf(
    request: HttpRequest, attempt_id: AttemptId, paper: Query[Paper] = "a4"
) -> HttpResponse:
    """The report as a PDF (``paper``: a4 or letter)."""
    attempt = attempt_for(request, attempt_id)
    return pdf_response(attempt, finished_report(attempt), paper)


def json_response(body: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def pdf_response(attempt: Attempt, report: Report, paper: str) -> HttpResponse:
    body = renderings.as_pdf(attempt, report, PAPERS[paper])
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="cto-readiness-{attempt.public_id}.pdf"'
    )
    response["Cache-Control"] = "no-store"
    return response
