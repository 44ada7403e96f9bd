"""Checks every API request passes before django-ninja sees it: body size and type, HEAD
answered like GET (the server sends no body), and a JSON answer for a method the path
does not allow."""

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

from ctoready.api.errors import error_response

MAX_BODY_BYTES = 64 * 1024
BODY_METHODS = {"POST", "PUT", "PATCH"}


def is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def body_error(request: HttpRequest) -> HttpResponse | None:
    if request.method not in BODY_METHODS:
        return None
    raw = request.META.get("CONTENT_LENGTH") or "0"
    try:
        length = int(raw)
    except ValueError:
        return error_response(400, "bad_content_length", "Content-Length is not a number.")
    if length > MAX_BODY_BYTES:
        return error_response(
            413, "body_too_large", f"The request body is over {MAX_BODY_BYTES // 1024} KB."
        )
    if length > 0 and not is_json(request.content_type or ""):
        return error_response(415, "unsupported_media_type", "Send the body as application/json.")
    return None


def guarded(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refused = body_error(request)
        if refused is not None:
            return refused
        if request.method == "HEAD":
            request.method = "GET"
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = error_response(405, "method_not_allowed", f"Allowed: {allowed}.")
            response["Allow"] = allowed
        return response

    return wrapper
