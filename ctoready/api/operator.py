"""For accounts (personal API tokens) and operators (staff users' tokens)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router

from ctoready.api import present, renderings
from ctoready.api.attempts import PDF_RESPONSE, finished_report, json_response, pdf_response
from ctoready.api.auth import bearer, principal_of, require_operator
from ctoready.api.errors import ApiError, errors, not_found
from ctoready.api.schemas import (
    AttemptListOut,
    AttemptOut,
    MeOut,
    OperatorVersionOut,
    Paper,
    PublicId,
)
from ctoready.assessments.models import Attempt
from ctoready.instruments.models import InstrumentVersion

router = Router(tags=["accounts and operators"], auth=bearer)
_COMMON = (401, 403, 422, 429)
MAX_LISTED = 100


def _user(request: HttpRequest) -> Any:
    principal = principal_of(request)
    if principal.user is None:
        raise ApiError(403, "account_only", "This needs a personal API token.")
    return principal.user


@router.get("/me", response={200: MeOut, **errors(*_COMMON)})
def me(request: HttpRequest) -> dict[str, Any]:
    """The account behind a personal API token."""
    user = _user(request)
    return {"email": user.email or user.get_username(), "operator": bool(user.is_staff)}


@router.get("/me/attempts", response={200: AttemptListOut, **errors(*_COMMON)})
def my_attempts(request: HttpRequest) -> dict[str, Any]:
    """The account's own attempts, newest first (at most 100)."""
    user = _user(request)
    attempts = (
        Attempt.objects.filter(owner=user)
        .select_related("version", "version__instrument")
        .order_by("-created_at", "-pk")[:MAX_LISTED]
    )
    return {"attempts": [present.attempt(a) for a in attempts]}


def _any_attempt(request: HttpRequest, public_id: str) -> Attempt:
    require_operator(request)
    attempt = (
        Attempt.objects.select_related("version", "version__instrument")
        .filter(public_id=public_id)
        .first()
    )
    if attempt is None:
        raise not_found("attempt")
    return attempt


@router.get("/operator/attempts/{attempt_id}", response={200: AttemptOut, **errors(*_COMMON, 404)})
def operator_attempt(request: HttpRequest, attempt_id: Path[PublicId]) -> dict[str, Any]:
    """Any attempt's status (operators only)."""
    return present.attempt(_any_attempt(request, attempt_id))


@router.get(
    "/operator/attempts/{attempt_id}/report",
    response={200: dict[str, Any], **errors(*_COMMON, 404, 409)},
)
def operator_report(request: HttpRequest, attempt_id: Path[PublicId]) -> HttpResponse:
    """Any finished attempt's JSON export (operators only)."""
    attempt = _any_attempt(request, attempt_id)
    return json_response(renderings.as_json(attempt, finished_report(attempt)))


@router.get(
    "/operator/attempts/{attempt_id}/report.pdf",
    response=errors(*_COMMON, 404, 409),
    openapi_extra=PDF_RESPONSE,
)
def operator_report_pdf(
    request: HttpRequest, attempt_id: Path[PublicId], paper: Query[Paper] = "a4"
) -> HttpResponse:
    """Any finished attempt's report as a PDF (operators only)."""
    attempt = _any_attempt(request, attempt_id)
    return pdf_response(attempt, finished_report(attempt), paper)


@router.get("/operator/instruments", response={200: list[OperatorVersionOut], **errors(*_COMMON)})
def operator_instruments(request: HttpRequest) -> list[dict[str, Any]]:
    """Every stored instrument version, drafts included (operators only)."""
    require_operator(request)
    versions = InstrumentVersion.objects.select_related("instrument").order_by(
        "instrument__slug", "-created_at", "pk"
    )
    return [
        {
            "id": v.instrument.slug,
            "version": v.version,
            "locale": v.locale,
            "status": v.status,
            "content_hash": v.content_hash,
            "created_at": v.created_at,
            "published_at": v.published_at,
        }
        for v in versions
    ]
