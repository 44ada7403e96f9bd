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


def get_attempt_for_request(request: HttpRequest, public_id: str) -> Attempt:
    attempt: Attempt | None = (
        owned_attempts(request)
        .filter(public_id=public_id)
        .select_related("version", "version__instrument")
        # The instrument's content is read (once per process) only when its typed document
        # is not cached yet; loading it on every request cost a sixth of an autosave.
        .defer("version__content")
        .first()
    )
    if attempt is None:
        raise Http404("No such assessment")
    # Every page about an attempt speaks the language it was taken in.
    translation.activate(attempt.locale)
    request.LANGUAGE_CODE = attempt.locale
    return attempt
