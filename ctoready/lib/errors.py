"""Domain errors, and error pages: a clear message in the site's own layout, never a
traceback."""

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext, gettext_noop


class DomainError(Exception):
    """A request the domain refuses. ``message`` is safe to show to the person (translated
    where it is raised); ``code`` is stable, for programs (the API, the terminal, tests)."""

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.message, self.code = message, code


# Each status's title and message, in the reader's language when shown.
PAGES = {
    400: (gettext_noop("Bad request"), gettext_noop("The request could not be understood.")),
    403: (gettext_noop("Not allowed"), gettext_noop("You are not allowed to do that.")),
    404: (
        gettext_noop("Page not found"),
        gettext_noop("There is nothing here. A private link may have expired or been revoked."),
    ),
    429: (
        gettext_noop("Too many attempts"),
        gettext_noop("Too many tries from your connection. Wait a minute."),
    ),
    500: (
        gettext_noop("Something went wrong"),
        gettext_noop("Something went wrong on our side. Your answers are safe."),
    ),
}


def _page(request: HttpRequest, status: int) -> HttpResponse:
    title, message = (gettext(text) for text in PAGES[status])
    wants_json = request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )
    if wants_json:
        from django.http import JsonResponse

        return JsonResponse(
            {"error": {"code": f"http_{status}", "message": message}}, status=status
        )
    context = {"title": title, "message": message, "home": True}
    return HttpResponse(render_to_string("message.html", context, request=request), status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _page(request, 500)


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 429)
