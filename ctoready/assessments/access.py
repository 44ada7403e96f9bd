"""Permission-checked fetching of attempts: by owner in the query, 404 otherwise."""

from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import translation

from ctoready.assessments.models import Attempt

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


def get_attempt_for_request(request: HttpRequest, public_id: str) -> Attempt:
    try:
        attempt = (
            Attempt.objects.select_related("version", "version__instrument")
            # The instrument's content is read (once per process) only when its typed
            # document is not cached yet; loading it on every request cost a sixth of an
            # autosave.
            .defer("version__content")
            # One lookup by the unique public id, the rights checked on the row: half the
            # cost of putting them in the query, on every page.
            .get(public_id=public_id)
        )
    except Attempt.DoesNotExist:
        raise Http404("No such assessment") from None
    if not may_open(request, attempt):
        raise Http404("No such assessment")
    # Every page about an attempt speaks the language it was taken in.
    translation.activate(attempt.locale)
    request.LANGUAGE_CODE = attempt.locale
    return attempt
