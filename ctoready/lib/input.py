"""One rule for all text sent to the site, web forms and API alike: no control characters
other than tab and line breaks (and no lone surrogates). PostgreSQL cannot store NUL in
text, SQLite would store it silently, and none of them belongs in anything a person types.

Checked once, before any view: the path, the query string, form fields and JSON bodies.
A refusal is a clear 400 page on the web (404 for an address holding them: no page has
one), or the API's JSON error (422 ``invalid_characters``, wherever they are), and changes
nothing.
"""

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from ctoready.lib.errors import page_not_found

# C0 controls except tab, line feed and carriage return (browsers send line breaks in a
# textarea as CR LF), DEL, the C1 controls, and UTF-16 surrogates.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
MAX_JSON_BYTES = 64 * 1024  # larger bodies are refused by the API's own size check
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def has_forbidden(text: str) -> bool:
    return FORBIDDEN.search(text) is not None


def _strings(value: Any, loc: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield (*loc, "<key>"), str(key)
            yield from _strings(item, (*loc, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*loc, str(index)))


def _json_body(request: HttpRequest) -> Any:
    if request.method not in {"POST", "PUT", "PATCH"} or "json" not in (request.content_type or ""):
        return None
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if not 0 < length <= MAX_JSON_BYTES:
        return None
    try:
        return json.loads(request.body)
    except ValueError:
        return None  # not JSON: the API answers that itself


def refused_field(request: HttpRequest) -> tuple[str, ...] | None:
    """Where the first forbidden character is, or None when the request is clean."""
    if has_forbidden(request.path):
        return ("path",)
    for where, data in (("query", request.GET), ("body", None)):
        if data is None:
            if request.method != "POST" or not (request.content_type or "").startswith(FORM_TYPES):
                continue
            data = request.POST
        for key, values in data.lists():
            if has_forbidden(key) or any(has_forbidden(v) for v in values):
                return (where, key)
    for loc, text in _strings(_json_body(request), ("body",)):
        if has_forbidden(text):
            return loc
    return None


def refusal(request: HttpRequest, loc: tuple[str, ...]) -> HttpResponse:
    api = request.path.startswith("/api/")
    if loc == ("path",) and not api:
        return page_not_found(request)  # no page has such an address
    message = _(
        "The text sent contains control characters (such as NUL) that cannot be stored. "
        "Remove them and send it again; nothing was saved."
    )
    if api:
        error = {
            "code": "invalid_characters",
            "message": message,
            "details": [{"loc": list(loc), "msg": "control characters are not allowed"}],
        }
        return JsonResponse({"error": error}, status=422)
    context = {"title": _("Characters that cannot be used"), "message": message, "home": True}
    return HttpResponse(render_to_string("message.html", context, request=request), status=400)


class InputRuleMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        loc = refused_field(request)
        if loc is not None:
            return refusal(request, loc)
        return self.get_response(request)
