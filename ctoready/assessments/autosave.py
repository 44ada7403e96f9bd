"""The autosave hot path: one answer saved at close to the cost of a bare request.

Every question a candidate answers is saved at once, so autosaves are most of the
requests the site serves. The page carries an *autosave key*: a signed, expiring
capability for one attempt (its id, its instrument version, its language), given only
to whoever may see the page. A request with a valid key is answered here, by the WSGI
application in front of Django's (``ctoready/wsgi.py``): no request object, no
middleware, no session read, no CSRF cookie (the key travels in a header a cross-site
page cannot set, and cannot know), and one upsert statement, which also counts the
questions answered for the progress bar, run on the driver's connection
(:func:`ctoready.lib.rows.direct`):

    INSERT … SELECT … WHERE <the attempt's part is open>
    ON CONFLICT (attempt_id, item_id) DO UPDATE … WHERE stored seq < new seq
    RETURNING item_id

Every guarantee of ``services.save_answers`` holds in that one statement: the answer
lands only while its part is open, an older sequence number never overwrites a newer
one, and a retry of the same answer is acknowledged without writing. The response
carries the headers the middleware gives every response (:func:`policy_headers`).
Anything else — no key, an expired or foreign key, several questions at once, a refused
answer, a closed attempt, a host this site does not serve, plain HTTP where HTTPS is
required, a failure — goes on through the whole stack to :func:`views.autosave`, which
says why. The two paths answer with the same fragment (:func:`status_fragment`).
"""

from __future__ import annotations

import io
import json
import logging
import re
import time
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache
from typing import Any
from urllib.parse import parse_qsl
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from django.conf import settings
from django.core import signing
from django.core.exceptions import DisallowedHost
from django.core.serializers.json import DjangoJSONEncoder
from django.db import close_old_connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.security import SecurityMiddleware
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from ctoready.assessments.forms import parse_any
from ctoready.assessments.models import Answer, Attempt
from ctoready.assessments.services import same_option_twice, save_if_open
from ctoready.instruments.document import Instrument, valid_answer
from ctoready.instruments.services import cached_document
from ctoready.lib.http import PrivateByDefaultMiddleware
from ctoready.lib.rows import direct

logger = logging.getLogger(__name__)
Headers = list[tuple[str, str]]

META_KEY = "HTTP_X_AUTOSAVE_KEY"  # the X-Autosave-Key header (page.html sets it for htmx)
SALT = "ctoready.assessments.autosave"
# A page left open longer than this autosaves through the session instead (same result).
MAX_AGE = 12 * 60 * 60
# The count in the sentence under a page's progress bar ("… 3 of 66 answered …").
ANSWERED_ID = "answered-count"
PATH = re.compile(r"^/a/(?P<public_id>[A-Za-z0-9_-]{1,32})/save/$")


# A key signed less than this long ago is given again (a page served later in the same
# stretch carries the same key), so a page of the assessment rarely pays for a signature;
# every key still lives at least MAX_AGE - REISSUE_AFTER after it is last given.
REISSUE_AFTER = 10 * 60


def autosave_key(attempt: Attempt) -> str:
    """The capability a page gives its autosaves: this attempt, its version, its language."""
    version = attempt.version
    payload = (
        f"{attempt.public_id}:{attempt.pk}:{version.pk}:{version.content_hash}:{attempt.locale}"
    )
    return _signed(payload, int(time.time()) // REISSUE_AFTER)


@lru_cache(maxsize=4096)
def _signed(payload: str, stretch: int) -> str:
    """``payload`` signed now; kept for the rest of the ``stretch`` of REISSUE_AFTER
    seconds (its number is part of the cache's key, so a later stretch signs again)."""
    return signing.TimestampSigner(salt=SALT).sign(payload)


def read_key(value: str, public_id: str) -> tuple[int, int, str, str] | None:
    """(attempt pk, version pk, content hash, locale) from a valid key for ``public_id``."""
    signed = _signed_payload(value)
    if signed is None:
        return None
    payload, signed_at = signed
    if time.time() - signed_at > MAX_AGE:
        return None
    key_public_id, pk, version_pk, content_hash, locale = payload.split(":")
    if key_public_id != public_id:
        return None
    return int(pk), int(version_pk), content_hash, locale


def _signed_payload(value: str) -> tuple[str, int] | None:
    """A key's payload and when it was signed, None if its signature does not hold."""
    try:
        return _verified(value)
    except (signing.BadSignature, ValueError):
        return None


@lru_cache(maxsize=4096)
def _verified(value: str) -> tuple[str, int]:
    """The signature of a key checked once per process (a page's key comes with each of its
    autosaves; its age is checked every time). Only keys this site signed are kept: a
    refusal raises, and nothing a client makes up takes room here."""
    signer = signing.TimestampSigner(salt=SALT)
    payload, signed_at = signing.Signer.unsign(signer, value).rsplit(signer.sep, 1)
    return payload, signing.b62_decode(signed_at)


@cache
def _texts(locale: str) -> dict[str, str]:
    with translation.override(locale):
        return {
            "saved": _("Saved"),
            "not_saved": _("Not saved"),
            "stale": _("A newer answer from another tab was kept."),
            # The same message the template of earlier versions carried, so it is translated.
            "progress": _("%(answered)s of %(total)s questions answered"),
        }


def status_fragment(
    code: str,
    message: str,
    *,
    answered: int | None = None,
    total: int | None = None,
    locale: str | None = None,
) -> str:
    """The htmx answer to an autosave: the progress bar (out of band) and the status, in
    ``locale`` (by default the active language)."""
    texts = _texts(locale or translation.get_language() or "en")
    parts = []
    if answered is not None and total is not None:
        label = texts["progress"] % {"answered": answered, "total": total}
        parts.append(
            f'<progress id="progress-bar" hx-swap-oob="true" max="{total}" value="{answered}" '
            f'aria-label="{escape(label)}"></progress>'
            f'<span id="{ANSWERED_ID}" hx-swap-oob="true">{answered}</span>'
        )
    if code == "saved":
        parts.append(f'<span class="saved">{escape(texts["saved"])}</span>')
    elif code == "stale":
        parts.append(f'<span class="stale">{escape(message)}</span>')
    else:
        parts.append(f'<span class="error">{escape(texts["not_saved"])} — {escape(message)}</span>')
    return "".join(parts)


def save_response(
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    *,
    answered: int | None = None,
    total: int | None = None,
    locale: str | None = None,
) -> HttpResponse:
    """An autosave's answer (candidates' and raters'): the status fragment to htmx, JSON
    to anything else."""
    if is_htmx(request.META):
        body = status_fragment(code, message, answered=answered, total=total, locale=locale)
        response = HttpResponse(body, status=status)
        if status >= 400:
            # Show the message where the status sits, even for an error.
            response["HX-Reswap"] = "innerHTML"
        return response
    if status >= 400:
        return JsonResponse({"error": {"code": code, "message": message}}, status=status)
    return JsonResponse({"status": code, "message": message}, status=status)


def is_htmx(environ: Mapping[str, Any]) -> bool:
    """Whether htmx sent the request whose WSGI environ (``request.META``) this is; read
    from the environ: ``request.headers`` would build a mapping of every header first."""
    return environ.get("HTTP_HX_REQUEST") == "true"


def answered_count(attempt_pk: int, doc: Instrument, part: str) -> tuple[int, int]:
    """(questions answered, questions) in ``part``: the autosave's progress bar."""
    in_part = doc.items_in(part)
    if part == "core":
        # While the core is open the deep-dive has not started (it opens after finishing),
        # so every stored answer is a core answer: no list of items to match.
        ((answered,),) = direct(_COUNT, [attempt_pk])
        return answered, len(in_part)
    answers = Answer.objects.filter(attempt_id=attempt_pk, value__isnull=False)
    return answers.filter(item_id__in=[item.id for item in in_part]).count(), len(in_part)


_COUNT = "SELECT count(*) FROM assessments_answer WHERE attempt_id = %s AND value IS NOT NULL"


class AutosaveApp:
    """WSGI: answers autosaves that carry a valid key before Django's handler; passes every
    other request, untouched, to ``app`` (Django's)."""

    def __init__(self, app: WSGIApplication) -> None:
        self.app = app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") == "POST" and META_KEY in environ:
            match = PATH.match(environ.get("PATH_INFO", ""))
            if match:
                answered = _answer(environ, match["public_id"])
                if answered is not None:
                    status, headers, body = answered
                    start_response(status, headers)
                    return [body]
        return self.app(environ, start_response)


def _answer(environ: WSGIEnvironment, public_id: str) -> tuple[str, Headers, bytes] | None:
    """A plain autosave's response, or None to leave the request to Django. Around it, what
    Django does around every request for the database: a connection that errored, or
    outlived its age, is closed (the next statement opens another)."""
    close_old_connections()
    try:
        return _fast_save(environ, public_id)
    except Exception:
        # Nothing is half done (one statement); the full stack answers, as it answers
        # any request: the same save again (a retry of the same sequence number is
        # acknowledged), or its error page.
        logger.exception("Autosave: the fast path failed; the request goes to Django")
        return None
    finally:
        close_old_connections()


def _fast_save(environ: WSGIEnvironment, public_id: str) -> tuple[str, Headers, bytes] | None:
    request = _Scheme(environ)
    if not _host_allowed(request):
        return None  # Django refuses it (400), as any request for a host not served here
    secure = request.is_secure()
    if settings.SECURE_SSL_REDIRECT and not secure:
        return None  # Django redirects it to HTTPS
    key = read_key(environ[META_KEY], public_id)
    if key is None:
        return None
    data = _form(environ)
    if data is None:
        return None
    attempt_pk, version_pk, content_hash, locale = key
    doc = cached_document(version_pk, content_hash)
    if doc is None:
        return None  # this process has not built the instrument yet: the view will
    values, seqs = parse_any(doc, data)
    if len(values) != 1:
        return None
    ((item_id, value),) = values.items()
    item = doc.item_by_id.get(item_id)
    if item is None or not valid_answer(item, value, doc) or same_option_twice(value):
        return None  # refused, with the reason, by the view
    part = doc.part_of_item.get(item_id, "core")
    seq = seqs[item_id]
    saved = save_if_open(attempt_pk=attempt_pk, item_id=item_id, value=value, seq=seq, part=part)
    if saved is None:
        return None  # the part is closed or the attempt is gone: the view says so
    code, answered = saved
    texts = _texts(locale)
    message = texts["saved"] if code == "saved" else texts["stale"]
    if is_htmx(environ):
        if answered is None:
            answered, total = answered_count(attempt_pk, doc, part)
        else:
            total = len(doc.items_in(part))
        body = status_fragment(code, message, answered=answered, total=total, locale=locale)
        content_type = "text/html; charset=utf-8"
    else:
        body = json.dumps({"status": code, "message": message}, cls=DjangoJSONEncoder)
        content_type = "application/json"
    headers = [("Content-Type", content_type), ("Content-Language", locale)]
    return "200 OK", headers + policy_headers(secure), body.encode()


def form_body(environ: WSGIEnvironment, limit: int) -> bytes | None:
    """The body of a posted web form (URL-encoded: not a file upload) of at most ``limit``
    bytes, read and put back for whoever reads it next; None for any other body, which is
    left unread."""
    content_type = environ.get("CONTENT_TYPE", "")
    if content_type.split(";", 1)[0].strip().lower() != "application/x-www-form-urlencoded":
        return None
    try:
        length = int(environ.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None
    if not 0 < length <= limit:
        return None
    body: bytes = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)
    return body


MAX_BODY = 4096  # bytes: an autosave posts one question's fields; anything longer goes on


def _form(environ: WSGIEnvironment) -> dict[str, str] | None:
    """The posted form's fields (the last value of a repeated one, as ``request.POST.get``
    gives it), or None for a body this path does not read. The body read is put back, so
    a request left to Django reads it as sent."""
    body = form_body(environ, MAX_BODY)
    if body is None:
        return None
    try:
        return dict(parse_qsl(body.decode(), keep_blank_values=True, max_num_fields=8))
    except ValueError:  # not UTF-8, or more fields than one question has
        return None


class _Scheme(HttpRequest):
    """Just enough of a request for Django to tell whether it came over HTTPS (its
    ``is_secure``: the proxy's header when ``SECURE_PROXY_SSL_HEADER`` names one, else the
    server's scheme) and for which host (its ``get_host``, checked against
    ``ALLOWED_HOSTS``), without parsing the rest."""

    def __init__(self, environ: WSGIEnvironment) -> None:
        self.META = environ  # all that is_secure reads (HttpRequest.__init__ is not needed)

    def _get_scheme(self) -> str:
        return str(self.META.get("wsgi.url_scheme", "http"))


def _host_allowed(request: _Scheme) -> bool:
    """Whether the request's host is one this site serves, as Django checks it for every
    request (``ALLOWED_HOSTS``, the forwarded host when ``USE_X_FORWARDED_HOST`` is on)."""
    try:
        request.get_host()
    except DisallowedHost:
        return False
    return True


@cache
def policy_headers(secure: bool) -> Headers:
    """The headers the middleware in front of every response adds (caching, content
    sniffing, referrer and opener policies, HSTS over HTTPS): taken, once per process,
    from those middleware themselves."""
    probe = HttpResponse()
    del probe["Content-Type"]

    def give(request: HttpRequest) -> HttpResponse:
        return probe

    request = _Scheme({"wsgi.url_scheme": "https" if secure else "http"})
    # In the order MIDDLEWARE gives them, from the inside out.
    PrivateByDefaultMiddleware(give)(request)
    SecurityMiddleware(give).process_response(request, probe)
    return list(probe.items())
