"""Permission-checked fetching of invitations for raters: by the browser's session in the
query, 404 otherwise. A rater's link puts the invitation in the session once; from then
on the token is no longer in any URL."""

from django.http import Http404, HttpRequest
from django.utils import translation

from ctoready.raters.models import RaterInvite

SESSION_KEY = "rater_invites"
MAX_REMEMBERED = 20


def remember_invite(request: HttpRequest, invite: RaterInvite) -> None:
    held = request.session.get(SESSION_KEY, [])
    known = [pk for pk in held if pk != invite.pk]
    if invite.pk not in held:
        # New rights for this browser: a fresh session key prevents fixation.
        request.session.cycle_key()
    request.session[SESSION_KEY] = [invite.pk, *known][:MAX_REMEMBERED]


def get_invite_for_request(request: HttpRequest, public_id: str) -> RaterInvite:
    invite = (
        RaterInvite.objects.filter(pk__in=request.session.get(SESSION_KEY, []), public_id=public_id)
        .select_related("round", "round__attempt", "round__attempt__version", "draft")
        .first()
    )
    if invite is None:
        raise Http404("No such invitation")
    # A rater answers in the language of the assessment they are asked about.
    translation.activate(invite.round.attempt.locale)
    request.LANGUAGE_CODE = invite.round.attempt.locale
    return invite
