"""How much one client, and one attempt, may start and send: the same limits for the web
and the API (docs/security.md). Each is a sliding window in ``ctoready.lib.ratelimit``."""

from django.conf import settings
from django.http import HttpRequest

from ctoready.lib import ratelimit

INVITE_REQUESTS_PER_MINUTE = 10  # invitation requests (links or e-mails) per client
INVITE_EMAILS_PER_MINUTE = 10  # invitation e-mails per client
INVITE_EMAILS_PER_HOUR_PER_ATTEMPT = 20  # whichever clients ask for them


def admit_start(request: HttpRequest) -> bool:
    """Whether this client may start another attempt now (``RATE_LIMIT_STARTS_PER_MINUTE``;
    0 switches the limit off, for load tests)."""
    limit = settings.RATE_LIMIT_STARTS_PER_MINUTE
    return limit <= 0 or ratelimit.allow(request, "start", limit)


def admit_invitation(request: HttpRequest, *, attempt_id: int, emails: int = 0) -> bool:
    """Whether this client may invite now, ``emails`` of them by e-mail, for this attempt.
    Every request counts, granted or not; e-mails count one per address."""
    if not ratelimit.allow(request, "invite", INVITE_REQUESTS_PER_MINUTE):
        return False
    if emails == 0:
        return True
    return ratelimit.allow(
        request, "invite-email", INVITE_EMAILS_PER_MINUTE, cost=emails
    ) and ratelimit.take(
        f"invite-email:attempt:{attempt_id}",
        INVITE_EMAILS_PER_HOUR_PER_ATTEMPT,
        cost=emails,
        seconds=ratelimit.HOUR,
    )
