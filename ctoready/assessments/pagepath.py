"""The page hot path: the plain GET of an assessment page, without Django's handler.

Half of the page requests a candidate makes are the GET of the next page. Through
Django's whole stack about a third of such a request's CPU went to the handler and the
sixteen middleware around a view whose own work is three reads and a page filled in
from its cached shell (``pages.render_page``). Here, in front of Django (``ctoready/wsgi.py``),
such a GET is answered with the same page and the same headers when nothing about the
request needs more than that:

- a GET with no query string, for ``/a/<id>/p/<n>/``, on a host this site serves, over
  HTTPS where it is required, with ``DEBUG`` off;
- a browser that holds a well-formed CSRF cookie, no pending messages, and a session
  that holds only the attempts it may open (nobody signed in, no resume link to show),
  among them this one;
- a page of the part that is open now, whose items are already chosen, whose shell
  this process has rendered.

Anything else goes on, untouched, to Django and ``views.attempt_page``, which decides as
it always has: a 404 for an attempt this browser may not open, a redirect for a closed
part, the resume link, a message, an adaptive page's first showing, the first showing of
a page in this process. Nothing here writes, so a request left to Django after a failure
is answered as if it had gone there first. A test renders each page both ways and
requires the same status, headers and page (``tests/test_pagepath.py``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from importlib import import_module
from typing import Any
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest, get_script_name
from django.db import close_old_connections
from django.middleware import csrf as django_csrf
from django.urls import set_script_prefix
from django.utils import csp as django_csp
from django.utils import translation

from ctoready.assessments import services
from ctoready.assessments.access import SESSION_KEY, fetch_attempt
from ctoready.assessments.adaptive import page_items
from ctoready.assessments.autosave import AutosaveApp, policy_headers
from ctoready.assessments.pages import cached_shell, fill, page_context
from ctoready.instruments.services import cached_document
from ctoready.lib import csrf
from ctoready.lib.csp import policy

logger = logging.getLogger(__name__)
Headers = list[tuple[str, str]]

PATH = re.compile(r"^/a/(?P<public_id>[A-Za-z0-9_-]{1,32})/p/(?P<number>[1-9][0-9]{0,3})/$")
# What a candidate's session holds while they take the assessment without signing in.
PLAIN_SESSION = frozenset({SESSION_KEY})


def in_front(app: WSGIApplication) -> WSGIApplication:
    """``app`` (Django's) with the assessment's two hot paths in front: page GETs here,
    then autosaves (``autosave.AutosaveApp``)."""
    return PageApp(AutosaveApp(app))


class PageApp:
    """WSGI: answers the plain GET of an assessment page before Django's handler; passes
    every other request, untouched, to ``app``."""

    def __init__(self, app: WSGIApplication) -> None:
        self.app = app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") == "GET" and not environ.get("QUERY_STRING"):
            match = PATH.match(environ.get("PATH_INFO", ""))
            if match:
                served = _serve(environ, match["public_id"], int(match["number"]))
                if served is not None:
                    status, headers, body = served
                    start_response(status, headers)
                    return [body]
        return self.app(environ, start_response)


def _serve(
    environ: WSGIEnvironment, public_id: str, number: int
) -> tuple[str, Headers, bytes] | None:
    """The page's response, or None to leave the request to Django; around it, what Django
    does around every request for the database (as the autosave's hot path does)."""
    if settings.DEBUG:
        return None  # templates change while developing: the view renders them
    set_script_prefix(get_script_name(environ))  # for the addresses reversed, as Django does
    close_old_connections()
    try:
        return _page(WSGIRequest(environ), public_id, number)
    except Exception:
        logger.exception("Page: the hot path failed; the request goes to Django")
        return None
    finally:
        close_old_connections()


def _page(request: WSGIRequest, public_id: str, number: int) -> tuple[str, Headers, bytes] | None:
    try:
        request.get_host()
    except DisallowedHost:
        return None  # Django refuses it (400)
    secure = request.is_secure()
    if settings.SECURE_SSL_REDIRECT and not secure:
        return None  # Django redirects it to HTTPS
    secret = _csrf_secret(request)
    if secret is None or CookieStorage.cookie_name in request.COOKIES:
        return None  # Django sends the CSRF cookie, or shows the messages
    session = _plain_session(request)
    if session is None:
        return None
    attempt = fetch_attempt(public_id)
    if attempt is None or attempt.pk not in session[SESSION_KEY]:
        return None  # Django answers 404, or lets the signed-in owner in
    doc = cached_document(attempt.version_id, attempt.version.content_hash)
    if doc is None or not 1 <= number <= len(doc.pages):
        return None
    if services.open_part(attempt) != doc.part_of_page(number):
        return None  # closed, or the other part: Django sends the person on
    items = page_items(attempt, doc, number)
    if not items:
        return None  # an adaptive page not chosen yet, or left empty: the view decides
    with translation.override(attempt.locale):
        answers = services.answers_of(attempt)
        context = page_context(request, attempt, doc, number, items, answers=answers)
        shell = cached_shell(context, signed_in=False)
        if shell is None:
            return None  # the view renders it, and keeps it for the next time
        nonce = django_csp.generate_nonce()  # as Django's LazyNonce draws it
        body = fill(shell, context, csrf.mask(secret), nonce).encode()
    return "200 OK", _headers(secure, attempt.locale, nonce, len(body)), body


def _csrf_secret(request: WSGIRequest) -> str | None:
    """The CSRF secret of the browser's cookie when it is one Django keeps as it is."""
    if settings.CSRF_USE_SESSIONS:
        return None
    secret = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    if len(secret) != django_csrf.CSRF_SECRET_LENGTH or set(secret) - _CSRF_CHARS:
        return None
    return secret


_CSRF_CHARS = frozenset(django_csrf.CSRF_ALLOWED_CHARS)


def _plain_session(request: WSGIRequest) -> dict[str, Any] | None:
    """The session's data if it holds the attempts this browser may open and nothing else."""
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return None
    data: dict[str, Any] = _session_store(key).load()
    if data.keys() != PLAIN_SESSION or not isinstance(data[SESSION_KEY], list):
        return None
    return data


def _session_store(key: str) -> Any:
    return import_module(settings.SESSION_ENGINE).SessionStore(key)


def _headers(secure: bool, locale: str, nonce: str, length: int) -> Headers:
    """What the middleware adds to a page's response: the same names and values."""
    headers = [("Content-Type", "text/html; charset=utf-8")]
    for name, config in (
        ("Content-Security-Policy", settings.SECURE_CSP),
        ("Content-Security-Policy-Report-Only", settings.SECURE_CSP_REPORT_ONLY),
    ):
        if config:
            headers.append((name, policy(config, nonce)))
    headers += [
        ("X-Frame-Options", settings.X_FRAME_OPTIONS.upper()),
        ("Content-Length", str(length)),
        ("Vary", "Accept-Language, Cookie"),
        ("Content-Language", locale),
    ]
    return headers + policy_headers(secure)
