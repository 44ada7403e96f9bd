"""Personal data held by the API: the account's personal tokens (never their secrets)."""

from typing import Any

from django.db.models import QuerySet

from ctoready.api.models import ApiToken
from ctoready.assessments.models import Attempt

PERSONAL_MODELS = {"api.apitoken"}


def export(attempts: QuerySet[Attempt], user: Any) -> dict[str, Any]:
    if user is None or not user.is_authenticated:
        return {}
    tokens = ApiToken.objects.filter(user=user).order_by("created_at")
    return {
        "api_tokens": [
            {
                "label": token.label,
                "created_at": token.created_at.isoformat(),
                "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
                "revoked": token.revoked_at is not None,
            }
            for token in tokens
        ]
    }


def erase(attempts: QuerySet[Attempt], user: Any) -> None:
    if user is not None and user.is_authenticated and not user.is_staff:
        ApiToken.objects.filter(user=user).delete()
