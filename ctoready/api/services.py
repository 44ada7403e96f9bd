"""Use cases of the API's own data: personal and operator API tokens."""

from typing import Any

from django.utils import timezone

from ctoready.api.models import ApiToken
from ctoready.lib.tokens import hash_token, new_token

API_TOKEN_PREFIX = "ctr_"  # noqa: S105 (a prefix, not a secret)


def create_api_token(*, user: Any, label: str = "") -> tuple[ApiToken, str]:
    """A new personal token; returns the row and the raw token, which is shown once."""
    raw = API_TOKEN_PREFIX + new_token()
    token = ApiToken.objects.create(user=user, token_hash=hash_token(raw), label=label[:100])
    return token, raw


def revoke_api_token(*, token_id: int) -> bool:
    """Revoke a token by its number; False when there is no such token. Revoking twice
    keeps the first revocation time."""
    ApiToken.objects.filter(pk=token_id, revoked_at=None).update(revoked_at=timezone.now())
    return ApiToken.objects.filter(pk=token_id).exists()
