"""Domain errors, and error pages: a clear message in the site's own layout, never a
traceback."""

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


class DomainError(Exception):
    """A request the domain refuses. ``message`` is safe to show to the person (translated
    where it is raised); ``code`` is stable, for programs (the API, the terminal, tests)."""

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.message, self.code = message, code


def _page(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    wants_json = request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )
    if wants_json:
        from django.http import JsonResponse

        return JsonResponse(
            {"error": {"code": f"http_{status}", "message": message}}, status=status
        )
    html = render_to_string(
        "error.html", {"title": title, "message": message, "status": status}, request=request
    )
    return HttpResponse(html, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 400, _("Bad request"), _("The request could not be understood."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 403, _("Not allowed"), _("You are not allowed to do that."))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request,
        404,
        _("Page not found"),
        _("There is nothing here. A private link may have expired or been revoked."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        500,
        _("Something went wrong"),
        _("Something went wrong on our side. Your answers are safe."),
    )


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request,
        429,
        _("Too many attempts"),
        _("Too many tries from your connection. Wait a minute."),
    )
