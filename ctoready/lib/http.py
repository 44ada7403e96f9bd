"""How every response is cached and referred: the one home of these rules.

Private by default: a response that does not say otherwise carries
``Cache-Control: no-store``, so no browser, proxy or shared cache keeps a report, a
token or a page about a person. A response that may be cached (immutable static assets)
says so itself, and a test over the route inventory checks every private route.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

NO_STORE = "no-store"


def no_referrer(response: HttpResponse) -> HttpResponse:
    """For responses to a URL holding a token: never sent on in a Referer header. Only
    those: on other pages, with no-referrer, browsers send ``Origin: null`` on form posts,
    which the CSRF check rightly refuses."""
    response["Referrer-Policy"] = "no-referrer"
    return response


def private(response: HttpResponse, *, token_url: bool = False) -> HttpResponse:
    """A response about someone: ``no-store`` comes from the middleware below; a URL
    holding a token also gets :func:`no_referrer`."""
    return no_referrer(response) if token_url else response


class PrivateByDefaultMiddleware:
    """``Cache-Control: no-store`` on every response that sets no caching policy itself."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = NO_STORE
        return response
