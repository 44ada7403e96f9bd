"""The page hot path: an assessment page shown and posted without Django's handler.

A candidate's page requests are, in turn, the GET of a page and the post of its answers
(then a redirect to the next page). Through Django's whole stack, a third of a GET's CPU
and more than half of a post's went to the handler and the sixteen middleware around the
view. Here, in front of Django (``ctoready/wsgi.py``), such requests are answered as the
view answers them when nothing about the request needs more:

- a GET or a URL-encoded post with no query string, for ``/a/<id>/p/<n>/``, on a host
  this site serves, over HTTPS where it is required, with ``DEBUG`` off;
- a browser that holds a well-formed CSRF cookie, no pending messages, and a session
  that holds only the attempts it may open (nobody signed in, no resume link to show),
  among them this one;
- a page of the part that is open now, whose items are already chosen;
- for a GET, a page whose shell this process has rendered: it is read (session, attempt,
  answers) and filled in as ``pages.render_page`` fills it, and nothing is written;
- for a post, a fixed form (an adaptive one chooses the next items), Django's own CSRF
  check and input rule passed, every answer of the page given unless the person goes
  back or to the review (the view would say how many were left out), each answer
  accepted and none older than the one stored (the view would say that newer answers
  were kept): written by the view's own function (``services.save_answers``, which
  records the page moves once every answer is saved), and answered with the view's
  redirect.

The reads that open a request (the session, the attempt, and its answers or the posted
answers' sequence numbers) go to the database together (``rows.together``): one round
trip on PostgreSQL.

Anything else goes on, untouched, to Django and ``views.attempt_page``, which decides as
it always has: 404, 403, 400, a redirect for a closed part, the resume link, a message,
an adaptive page, the first showing of a page in this process. A post is left to Django
only before it writes anything or once saving it again changes nothing (its answers
stored, with their sequence numbers), so Django's answer is the one it would have given
alone; so is a failure. Tests hold every status, header, page and row written to what
Django gives for the same request (``tests/test_pagepath.py``).
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import import_module
from typing import Any
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import DisallowedHost, SuspiciousOperation
from django.core.handlers.wsgi import WSGIRequest, get_script_name
from django.db import close_old_connections
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.middleware import csrf as django_csrf
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import set_script_prefix
from django.utils import csp as django_csp
from django.utils import translation

from ctoready.assessments import services
from ctoready.assessments.access import SESSION_KEY, attempt_read
from ctoready.assessments.adaptive import page_items
from ctoready.assessments.autosave import AutosaveApp, form_body, policy_headers
from ctoready.assessments.forms import item_of_field, parse_page
from ctoready.assessments.models import Attempt
from ctoready.assessments.pages import after_page_url, cached_shell, fill, next_page, page_context
from ctoready.assessments.views import attempt_page
from ctoready.instruments.document import Instrument
from ctoready.instruments.services import cached_document
from ctoready.lib import csrf, sessions
from ctoready.lib.csp import policy
from ctoready.lib.input import refused_field
from ctoready.lib.rows import Found, Read, together

logger = logging.getLogger(__name__)
Headers = list[tuple[str, str]]

PATH = re.compile(r"^/a/(?P<public_id>[A-Za-z0-9_-]{1,32})/p/(?P<number>[1-9][0-9]{0,3})/$")
# What a candidate's session holds while they take the assessment without signing in.
PLAIN_SESSION = frozenset({SESSION_KEY})
MAX_FORM = 16 * 1024  # bytes: a page's form is a few hundred; anything longer goes on


def in_front(app: WSGIApplication) -> WSGIApplication:
    """``app`` (Django's) with the assessment's two hot paths in front: pages shown and
    posted here, then autosaves (``autosave.AutosaveApp``)."""
    return PageApp(AutosaveApp(app))


class PageApp:
    """WSGI: answers the plain GET or post of an assessment page before Django's handler;
    passes every other request, untouched, to ``app``."""

    def __init__(self, app: WSGIApplication) -> None:
        self.app = app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        if method in ("GET", "POST") and not environ.get("QUERY_STRING"):
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
    posted = None
    if environ["REQUEST_METHOD"] == "POST":
        posted = form_body(environ, MAX_FORM)
        if posted is None:
            return None
    set_script_prefix(get_script_name(environ))  # for the addresses reversed, as Django does
    close_old_connections()
    try:
        request = WSGIRequest(environ)
        return (
            _page(request, public_id, number)
            if posted is None
            else _post(request, public_id, number)
        )
    except SuspiciousOperation:
        return None  # too many fields, say: Django refuses it, and logs it, itself
    except Exception:
        logger.exception("Page: the hot path failed; the request goes to Django")
        return None
    finally:
        if posted is not None:
            environ["wsgi.input"] = io.BytesIO(posted)  # a post left to Django reads it as sent
        close_old_connections()


@dataclass(frozen=True)
class _Plain:
    """A request about an open page of an attempt this browser holds, with nothing else to
    show: what both paths start from."""

    attempt: Attempt
    doc: Instrument
    items: tuple[str, ...]
    csrf_secret: str
    secure: bool


def _plain(
    request: WSGIRequest, public_id: str, number: int, also: Read
) -> tuple[_Plain, Found[Any]] | None:
    """The request's attempt and page if nothing about them needs the view, with what
    ``also`` read about the attempt: read with the session and the attempt, in one round
    trip on PostgreSQL (``rows.together``)."""
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
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    store = _session_store(key) if key else None
    if not isinstance(store, sessions.SessionStore):
        return None  # no session (Django answers 404), or one kept elsewhere
    in_session, in_attempt, found = together(store.read(), attempt_read(public_id), also)
    session = store.load_found(in_session)
    if session.keys() != PLAIN_SESSION or not isinstance(session[SESSION_KEY], list):
        return None  # nobody signed in, no resume link to show: the view decides
    attempt = in_attempt.one()
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
    return _Plain(attempt, doc, items, secret, secure), found


def _page(request: WSGIRequest, public_id: str, number: int) -> tuple[str, Headers, bytes] | None:
    """A page shown (GET): read, never written."""
    plained = _plain(request, public_id, number, services.answers_read(public_id))
    if plained is None:
        return None
    plain, in_answers = plained
    attempt = plain.attempt
    with translation.override(attempt.locale):
        answers = dict(in_answers.values())
        context = page_context(request, attempt, plain.doc, number, plain.items, answers=answers)
        shell = cached_shell(context, signed_in=False)
        if shell is None:
            return None  # the view renders it, and keeps it for the next time
        nonce = django_csp.generate_nonce()  # as Django's LazyNonce draws it
        body = fill(shell, context, csrf.mask(plain.csrf_secret), nonce).encode()
    headers = _headers(plain.secure, attempt.locale, len(body), nonce=nonce)
    return "200 OK", headers, body


class _CsrfCheck(CsrfViewMiddleware):
    """Django's CSRF check, whose refusal is left to Django to give (and to log): a request
    refused here goes on to Django, which refuses it the same way."""

    def _reject(self, request: HttpRequest, reason: str) -> HttpResponse:
        return HttpResponseForbidden()


def _post(request: WSGIRequest, public_id: str, number: int) -> tuple[str, Headers, bytes] | None:
    """A page's answers posted, on a fixed form, with nothing to say but where to go next:
    written as the view writes them, in the same statements, or not at all."""
    if refused_field(request) is not None:
        return None  # the input rule's refusal is Django's to give
    # The answers named in the form: their sequence numbers are read with the attempt.
    named = list(dict.fromkeys(item_of_field(f) for f in request.POST if f.startswith("q-")))
    if not 1 <= len(named) <= services.MAX_LISTED:
        return None  # nothing answered (the view says so), or not a page's form
    # What both paths check, then Django's own CSRF check (origin, referer, token).
    plained = _plain(request, public_id, number, services.seqs_read(public_id, named))
    if plained is None or plained[0].attempt.mode == Attempt.Mode.ADAPTIVE:
        return None  # an adaptive post chooses the next items: the view does
    plain, in_seqs = plained
    check = _CsrfCheck(_never_called)
    check.process_request(request)
    if check.process_view(request, attempt_page, (), {}) is not None:
        return None
    attempt, doc = plain.attempt, plain.doc
    direction = request.POST.get("go", "next")
    with translation.override(attempt.locale):
        values, seqs = parse_page(doc, plain.items, request.POST)
        if len(values) < len(plain.items) and direction == "next":
            return None  # the view says how many were left unanswered
        if not values.keys() <= set(named):
            return None  # an answer from a field not named after its item: the view reads it
        following = next_page(doc, number, direction)
        try:
            results = services.save_answers(
                attempt=attempt,
                values=values,
                seq=seqs,
                stored=dict(in_seqs.values()),
                moves=(number, following),
            )
        except services.FlowError:
            return None  # nothing was written: the view says why
        if not all(result.saved for result in results):
            # Newer answers from another tab were kept: saving again changes nothing, and
            # the view shows the page again with a message saying so.
            return None
        location = after_page_url(attempt.public_id, doc, number, direction)
    headers = _headers(plain.secure, attempt.locale, 0, location=location)
    return "302 Found", headers, b""


def _never_called(request: HttpRequest) -> HttpResponse:
    raise AssertionError("only the CSRF middleware's checks are used")


def _csrf_secret(request: WSGIRequest) -> str | None:
    """The CSRF secret of the browser's cookie when it is one Django keeps as it is."""
    if settings.CSRF_USE_SESSIONS:
        return None
    secret = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    if len(secret) != django_csrf.CSRF_SECRET_LENGTH or set(secret) - _CSRF_CHARS:
        return None
    return secret


_CSRF_CHARS = frozenset(django_csrf.CSRF_ALLOWED_CHARS)


def _session_store(key: str) -> Any:
    return import_module(settings.SESSION_ENGINE).SessionStore(key)


def _headers(
    secure: bool, locale: str, length: int, *, nonce: str | None = None, location: str = ""
) -> Headers:
    """What the middleware add to a page's response (a redirect's, with ``location``):
    the same names and values."""
    headers = [("Content-Type", "text/html; charset=utf-8")]
    if location:
        headers.append(("Location", location))
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
