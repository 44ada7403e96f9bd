"""Every API error is ``{"error": {"code": ..., "message": ...}}`` with a stable code."""

import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from ctoready.assessments.services import FlowError
from ctoready.lib.errors import DomainError
from ctoready.raters.services import RaterError

logger = logging.getLogger(__name__)

# FlowError codes from the services, and the HTTP status each one is answered with.
FLOW_STATUS = {
    "finished": 409,
    "expired": 409,
    "not_finished": 409,
    "unknown_context": 422,
    "unknown_item": 422,
    "bad_value": 422,
    # RaterError codes
    "completed": 409,
    "ended": 409,
    "closed": 409,
    "too_few": 409,
    "no_report": 409,
    "reminded": 409,
    "no_answers": 409,
    "email_unconfirmed": 403,
}


class ErrorBody(Schema):
    code: str
    message: str
    details: list[dict[str, Any]] | None = None


class ErrorOut(Schema):
    error: ErrorBody


class ApiError(DomainError):
    """A refusal raised anywhere in the API layer; answered as JSON with its code."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message, code)
        self.status = status


def not_found(what: str = "object") -> ApiError:
    return ApiError(404, "not_found", f"No such {what}, or it is not yours.")


def error_response(
    status: int, code: str, message: str, details: list[dict[str, Any]] | None = None
) -> JsonResponse:
    body: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        body["details"] = details
    return JsonResponse({"error": body}, status=status)


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The error responses an operation documents in the OpenAPI schema."""
    return dict.fromkeys(statuses, ErrorOut)


def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    response = error_response(exc.status, exc.code, exc.message)
    if exc.status == 429:
        response["Retry-After"] = "60"
    return response


def _flow_error(request: HttpRequest, exc: FlowError | RaterError) -> HttpResponse:
    return error_response(FLOW_STATUS.get(exc.code, 422), exc.code, exc.message)


def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = [
        {"loc": [str(part) for part in error.get("loc", ())], "msg": str(error.get("msg", ""))}
        for error in exc.errors
    ]
    return error_response(422, "invalid_request", "The request is not valid.", details)


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc, AuthenticationError):
        response = error_response(401, "unauthenticated", "A valid bearer token is required.")
        response["WWW-Authenticate"] = "Bearer"
        return response
    if exc.status_code == 400:
        # Raised by django-ninja when the body is not JSON.
        return error_response(400, "malformed_json", "The request body is not valid JSON.")
    return error_response(exc.status_code, f"http_{exc.status_code}", str(exc))


def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(404, "not_found", "No such object, or it is not yours.")


def _too_big(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(413, "body_too_large", "The request body is too large.")


def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
    return error_response(500, "server_error", "Something went wrong on our side.")


HANDLERS: tuple[tuple[type[Exception], Callable[..., HttpResponse]], ...] = (
    (Exception, _server_error),
    (ApiError, _api_error),
    (FlowError, _flow_error),
    (RaterError, _flow_error),
    (ValidationError, _validation_error),
    (HttpError, _http_error),
    (Http404, _not_found),
    (RequestDataTooBig, _too_big),
)


def install(api: NinjaAPI) -> None:
    for exc_class, handler in HANDLERS:
        api.add_exception_handler(exc_class, handler)
