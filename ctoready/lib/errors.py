"""Error pages: a clear message in the site's own layout, never a traceback."""

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


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
    return _page(request, 400, "Bad request", "The request could not be understood.")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 403, "Not allowed", "You are not allowed to do that.")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request,
        404,
        "Page not found",
        "There is nothing here. A private link may have expired or been revoked.",
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        500,
        "Something went wrong",
        "Something went wrong on our side. Your answers are safe.",
    )


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request, 429, "Too many attempts", "Too many tries from your connection. Wait a minute."
    )
