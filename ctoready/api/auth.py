"""Who is calling: an attempt's bearer token (its resume link) or a personal API token.

A bearer token that matches nothing counts as a failure for the client (a guesser);
past :data:`FAILURE_LIMIT` failures a minute the client gets 429 until the window ends.
Objects are fetched through the helpers here, filtered by the caller in the query, so
someone else's attempt is a 404 exactly like one that does not exist.
"""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from ctoready.api.errors import ApiError, not_found
from ctoready.api.models import ApiToken
from ctoready.api.services import API_TOKEN_PREFIX
from ctoready.api.services import create_api_token as create_api_token  # its old home
from ctoready.assessments.models import Attempt, Link
from ctoready.assessments.services import resolve_link
from ctoready.lib.ratelimit import is_limited, record_failure
from ctoready.lib.tokens import hash_token, looks_like_token

SCOPE = "api-token"
FAILURE_LIMIT = 20  # failed bearer tokens per client per minute


@dataclass(frozen=True)
class Principal:
    attempt: Attempt | None = None  # an attempt's own bearer token
    user: Any = None  # a personal API token's user

    @property
    def is_operator(self) -> bool:
        return bool(self.user is not None and self.user.is_active and self.user.is_staff)


def _api_token(raw: str) -> ApiToken | None:
    if not looks_like_token(raw.removeprefix(API_TOKEN_PREFIX)):
        return None
    token = ApiToken.objects.select_related("user").filter(token_hash=hash_token(raw)).first()
    if token is None or not token.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


def principal_for(raw: str) -> Principal | None:
    if raw.startswith(API_TOKEN_PREFIX):
        api_token = _api_token(raw)
        return Principal(user=api_token.user) if api_token else None
    if not looks_like_token(raw):
        return None
    link = resolve_link(token=raw, purpose=Link.Purpose.RESUME)
    return Principal(attempt=link.attempt) if link else None


class Bearer(HttpBearer):
    """``Authorization: Bearer <token>``: an attempt token or a personal API token."""

    def __call__(self, request: HttpRequest) -> Principal | None:
        header = request.headers.get("Authorization")
        if not header:
            return None  # no credentials: 401, and nothing to count
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer":
            return self._failed(request)
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Principal | None:
        if is_limited(request, SCOPE, FAILURE_LIMIT):
            raise ApiError(429, "rate_limited", "Too many failed tokens; wait a minute.")
        principal = principal_for(token)
        return principal or self._failed(request)

    def _failed(self, request: HttpRequest) -> Principal | None:
        if is_limited(request, SCOPE, FAILURE_LIMIT):
            raise ApiError(429, "rate_limited", "Too many failed tokens; wait a minute.")
        record_failure(request, SCOPE)
        return None


bearer = Bearer()


def principal_of(request: HttpRequest) -> Principal:
    principal = getattr(request, "auth", None)
    if not isinstance(principal, Principal):
        raise ApiError(401, "unauthenticated", "A valid bearer token is required.")
    return principal


def attempt_for(request: HttpRequest, public_id: str) -> Attempt:
    """The caller's attempt with this id (their token's, or one their account owns)."""
    principal = principal_of(request)
    attempts = Attempt.objects.select_related("version", "version__instrument")
    if principal.attempt is not None:
        attempts = attempts.filter(pk=principal.attempt.pk)
    elif principal.user is not None:
        attempts = attempts.filter(owner=principal.user)
    else:
        raise not_found("attempt")
    attempt = attempts.filter(public_id=public_id).first()
    if attempt is None:
        raise not_found("attempt")
    return attempt


def require_operator(request: HttpRequest) -> Principal:
    principal = principal_of(request)
    if not principal.is_operator:
        raise ApiError(403, "operator_only", "This needs an operator's (staff) API token.")
    return principal
