"""The autosave hot path: one answer saved at close to the cost of a bare request.

Every question a candidate answers is saved at once, so autosaves are most of the
requests the site serves. The page carries an *autosave key*: a signed, expiring
capability for one attempt (its id, its instrument version, its language), given only
to whoever may see the page. A request with a valid key is answered here, in a
middleware placed right after the response-policy ones, with no session read, no CSRF
cookie (the key travels in a header a cross-site page cannot set, and cannot know),
one upsert statement and one count, both run on the driver's connection
(:func:`ctoready.lib.rows.direct`):

    INSERT … SELECT … WHERE <the attempt's part is open>
    ON CONFLICT (attempt_id, item_id) DO UPDATE … WHERE stored seq < new seq
    RETURNING item_id

Every guarantee of ``services.save_answers`` holds in that one statement: the answer
lands only while its part is open, an older sequence number never overwrites a newer
one, and a retry of the same answer is acknowledged without writing. Anything else —
no key, an expired or foreign key, several questions at once, a refused answer, a
closed attempt — goes on through the whole stack to :func:`views.autosave`, which says
why. The two paths answer with the same fragment (:func:`status_fragment`).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from functools import cache, lru_cache

from django.core import signing
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from ctoready.assessments.forms import parse_any
from ctoready.assessments.models import Answer, Attempt
from ctoready.assessments.services import same_option_twice, save_if_open
from ctoready.instruments.document import Instrument, valid_answer
from ctoready.instruments.services import cached_document
from ctoready.lib.rows import direct

META_KEY = "HTTP_X_AUTOSAVE_KEY"  # the X-Autosave-Key header (page.html sets it for htmx)
SALT = "ctoready.assessments.autosave"
# A page left open longer than this autosaves through the session instead (same result).
MAX_AGE = 12 * 60 * 60
# The count in the sentence under a page's progress bar ("… 3 of 66 answered …").
ANSWERED_ID = "answered-count"
PATH = re.compile(r"^/a/(?P<public_id>[A-Za-z0-9_-]{1,32})/save/$")


def autosave_key(attempt: Attempt) -> str:
    """The capability a page gives its autosaves: this attempt, its version, its language."""
    version = attempt.version
    payload = (
        f"{attempt.public_id}:{attempt.pk}:{version.pk}:{version.content_hash}:{attempt.locale}"
    )
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
    if is_htmx(request):
        body = status_fragment(code, message, answered=answered, total=total, locale=locale)
        response = HttpResponse(body, status=status)
        if status >= 400:
            # Show the message where the status sits, even for an error.
            response["HX-Reswap"] = "innerHTML"
        return response
    if status >= 400:
        return JsonResponse({"error": {"code": code, "message": message}}, status=status)
    return JsonResponse({"status": code, "message": message}, status=status)


def is_htmx(request: HttpRequest) -> bool:
    """Whether htmx sent the request (read from the environ: ``request.headers`` would
    build a mapping of every header first)."""
    return request.META.get("HTTP_HX_REQUEST") == "true"


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


class AutosaveMiddleware:
    """Answers autosaves that carry a valid key; passes every other request on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and META_KEY in request.META:
            match = PATH.match(request.path_info)
            if match:
                response = _fast_save(request, match["public_id"])
                if response is not None:
                    return response
        return self.get_response(request)


def _fast_save(request: HttpRequest, public_id: str) -> HttpResponse | None:
    """The response to a plain autosave, or None to leave the request to the full stack."""
    key = read_key(request.META[META_KEY], public_id)
    if key is None:
        return None
    attempt_pk, version_pk, content_hash, locale = key
    doc = cached_document(version_pk, content_hash)
    if doc is None:
        return None  # this process has not built the instrument yet: the view will
    values, seqs = parse_any(doc, request.POST)
    if len(values) != 1:
        return None
    ((item_id, value),) = values.items()
    item = doc.item_by_id.get(item_id)
    if item is None or not valid_answer(item, value, doc) or same_option_twice(value):
        return None  # refused, with the reason, by the view
    part = doc.part_of_item.get(item_id, "core")
    seq = seqs[item_id]
    code = save_if_open(attempt_pk=attempt_pk, item_id=item_id, value=value, seq=seq, part=part)
    if code is None:
        return None  # the part is closed or the attempt is gone: the view says so
    answered, total = answered_count(attempt_pk, doc, part) if is_htmx(request) else (None, None)
    texts = _texts(locale)
    message = texts["saved"] if code == "saved" else texts["stale"]
    response = save_response(
        request, 200, code, message, answered=answered, total=total, locale=locale
    )
    response["Content-Language"] = locale
    return response
