"""The CSRF token a page's form carries, as Django's ``get_token`` gives it, for less.

A form's token is the request's CSRF secret masked with a fresh random mask, so that no two
responses carry the same token (a compressed page cannot then leak the secret, the attack
known as BREACH). Django draws the mask's 32 characters one by one, each from a separate
read of the system's randomness: 32 system calls and about 165 µs on every page of the
assessment. Here the mask comes from one read, with the same alphabet, the same uniform
distribution and the same format, so Django's ``CsrfViewMiddleware`` checks the token as
its own. A request with no secret yet gets Django's token (which also makes the secret).

With :class:`CookieKeptMiddleware`, Django's ``CsrfViewMiddleware`` does not send the
CSRF cookie again to a browser that sent it unchanged: Django re-sends it with every page
that has a form, only to restart its expiry (a year), and every page of the assessment
has one.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.middleware import csrf

CHARS = csrf.CSRF_ALLOWED_CHARS
_INDEX = {char: number for number, char in enumerate(CHARS)}
# Bytes below this limit map onto the alphabet evenly (248 = 4 × 62); the rest are drawn again.
_EVEN = 256 - 256 % len(CHARS)
# Bytes read at once: 32 are needed, and 48 hold 32 even ones all but once in 10¹³ reads.
_READ = 48


def get_token(request: HttpRequest) -> str:
    """The masked CSRF token for ``request``'s form; like Django's ``get_token``, it asks
    for the CSRF cookie to be sent (:class:`CookieKeptMiddleware` decides)."""
    secret = request.META.get("CSRF_COOKIE")
    if not isinstance(secret, str) or len(secret) != csrf.CSRF_SECRET_LENGTH:
        return csrf.get_token(request)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return mask(secret)


def mask(secret: str) -> str:
    """``secret`` under a fresh random mask: the mask, then each character of the secret
    shifted by the mask's character at its place (the format Django unmasks)."""
    shifts = _shifts(len(secret))
    pairs = zip(secret, shifts, strict=True)
    masked = (CHARS[(_INDEX[char] + shift) % len(CHARS)] for char, shift in pairs)
    return "".join(CHARS[shift] for shift in shifts) + "".join(masked)


def _shifts(count: int) -> list[int]:
    """``count`` uniformly random positions in the alphabet."""
    shifts: list[int] = []
    while len(shifts) < count:
        shifts += [byte % len(CHARS) for byte in secrets.token_bytes(_READ) if byte < _EVEN]
    return shifts[:count]


class CookieKeptMiddleware:
    """Placed just after Django's ``CsrfViewMiddleware``, whose response it sees first:
    the CSRF cookie is sent only when the browser lacks the current secret (it had none, an
    old or malformed one, or the secret changed: signing in rotates it). A cookie the
    browser sent as it is is not sent back just to restart its year, which cost every
    page of the assessment a ``Set-Cookie`` header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        meta = request.META
        if (
            meta.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not settings.CSRF_USE_SESSIONS
            and request.COOKIES.get(settings.CSRF_COOKIE_NAME) == meta.get("CSRF_COOKIE")
        ):
            meta["CSRF_COOKIE_NEEDS_UPDATE"] = False
        return response
