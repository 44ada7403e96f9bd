"""Permission-checked fetching of attempts: by owner in the query, 404 otherwise."""

from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import translation

from ctoready.assessments.models import Attempt
from ctoready.lib.rows import Read, Select

SESSION_KEY = "attempts"
MAX_REMEMBERED = 50


def remember_attempt(request: HttpRequest, attempt: Attempt) -> None:
    """Let this browser reach the attempt (after starting it or opening its resume link)."""
    held = request.session.get(SESSION_KEY, [])
    known = [pk for pk in held if pk != attempt.pk]
    request.session[SESSION_KEY] = [attempt.pk, *known][:MAX_REMEMBERED]
    if attempt.pk not in held:
        # New rights for this browser: a fresh session key, so a key planted or seen
        # before (session fixation) never carries them.
        request.session.cycle_key()


def forget_attempt(request: HttpRequest, attempt: Attempt) -> None:
    request.session[SESSION_KEY] = [
        pk for pk in request.session.get(SESSION_KEY, []) if pk != attempt.pk
    ]


def owned_attempts(request: HttpRequest):  # type: ignore[no-untyped-def]
    allowed = Q(pk__in=request.session.get(SESSION_KEY, []))
    if request.user.is_authenticated:
        allowed |= Q(owner=request.user)
    return Attempt.objects.filter(allowed)


def may_open(request: HttpRequest, attempt: Attempt) -> bool:
    """Whether this browser holds the attempt, or its signed-in owner asks: what
    :func:`owned_attempts` selects, for one attempt already fetched."""
    if attempt.pk in request.session.get(SESSION_KEY, []):
        return True
    return bool(request.user.is_authenticated and attempt.owner_id == request.user.pk)


# The attempt with its instrument version and instrument, by its unique public id; the
# version's content is read (once per process) only when its typed document is not cached
# yet. Every page and post about an attempt starts here: through the ORM this one read
# cost a fifth of a page request.
_BY_PUBLIC_ID = Select(
    Attempt,
    where="t0.public_id = %s",
    related=("version", "version__instrument"),
    defer=("version__content",),
)


def fetch_attempt(public_id: str) -> Attempt | None:
    """The attempt with this public id, whoever asks: callers check the right to open it."""
    return _BY_PUBLIC_ID.one([public_id])


def attempt_read(public_id: str) -> Read:
    """:func:`fetch_attempt`'s read, for ``rows.together``."""
    return _BY_PUBLIC_ID.read([public_id])


def get_attempt_for_request(request: HttpRequest, public_id: str) -> Attempt:
    # Rights are checked on the row (not put in the query): one lookup by the unique id.
    attempt = fetch_attempt(public_id)
    if attempt is None or not may_open(request, attempt):
        raise Http404("No such assessment")
    # Every page about an attempt speaks the language it was taken in.
    translation.activate(attempt.locale)
    request.LANGUAGE_CODE = attempt.locale
    return attempt
