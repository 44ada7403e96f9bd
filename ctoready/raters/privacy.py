"""Personal data held for 360 feedback, as the candidate may see it: never who responded."""

from typing import Any

from django.db.models import QuerySet

from ctoready.assessments.models import Attempt
from ctoready.raters.models import RaterInvite, RaterRound

PERSONAL_MODELS = {
    "raters.raterround",
    "raters.raterresponse",
    "raters.raterinvite",
    "raters.raterinvitekey",
}


def export(attempts: QuerySet[Attempt], user: Any) -> dict[str, Any]:
    """The invitations the candidate sent (without the invitees' addresses or whether each
    one answered) and the anonymous 360 results they were shown."""
    rounds = RaterRound.objects.filter(attempt__in=attempts).select_related("attempt")
    out = []
    for round_ in rounds.order_by("created_at"):
        invites = RaterInvite.objects.filter(round=round_).order_by("created_at")
        out.append(
            {
                "attempt": round_.attempt.public_id,
                "name_shown_to_raters": round_.candidate_name,
                "created_at": round_.created_at.isoformat(),
                "closed_on": round_.closed_on.isoformat() if round_.closed_on else None,
                "invitations": [
                    {
                        "category": invite.category,
                        "channel": invite.channel,
                        "created_at": invite.created_at.isoformat(),
                        "revoked": invite.revoked_at is not None,
                    }
                    for invite in invites
                ],
                "results": round_.result,
            }
        )
    return {"rater_rounds": out}


def erase(attempts: QuerySet[Attempt], user: Any) -> None:
    RaterRound.objects.filter(attempt__in=attempts).delete()
