"""The cast: Alice and Bob each took the mini instrument with their own bearer token; an
anonymous caller has none; Carol has an account and a personal API token; Olivia is an
operator (staff) with hers."""

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from ctoready.api.services import create_api_token
from ctoready.assessments.models import Attempt
from ctoready.assessments.services import save_answers, start_attempt
from ctoready.reports.services import finish_attempt
from ctoready.testing import MINI_ANSWERS


@dataclass
class Candidate:
    attempt: Attempt
    token: str

    @property
    def id(self) -> str:
        return self.attempt.public_id

    @property
    def auth(self) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}"}


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _candidate(version: Any, context: str = "growth", owner: Any = None) -> Candidate:
    attempt, token = start_attempt(
        version=version, context=context, locale="en", email="", owner=owner
    )
    return Candidate(attempt, token)


@pytest.fixture
def alice(mini) -> Candidate:
    return _candidate(mini)


@pytest.fixture
def bob(mini) -> Candidate:
    return _candidate(mini, context="seed")


@pytest.fixture
def finished_alice(alice) -> Candidate:
    save_answers(attempt=alice.attempt, values=MINI_ANSWERS, seq=1)
    finish_attempt(attempt=alice.attempt)
    alice.attempt.refresh_from_db()
    return alice


@pytest.fixture
def finished_bob(bob) -> Candidate:
    save_answers(attempt=bob.attempt, values={**MINI_ANSWERS, "st-1": 1}, seq=1)
    finish_attempt(attempt=bob.attempt)
    bob.attempt.refresh_from_db()
    return bob


@pytest.fixture
def carol(db) -> tuple[Any, str]:
    """An account holder (not staff) and her personal API token."""
    user = get_user_model().objects.create_user("carol", "carol@example.com", None)
    return user, create_api_token(user=user)[1]


@pytest.fixture
def olivia(db) -> tuple[Any, str]:
    """An operator (staff) and her API token."""
    user = get_user_model().objects.create_user("olivia", "olivia@example.com", None, is_staff=True)
    return user, create_api_token(user=user)[1]


@pytest.fixture
def client() -> Client:
    return Client()


def post_json(client: Client, url: str, data: Any, **extra: Any) -> Any:
    return client.post(url, data, content_type="application/json", **extra)


def put_json(client: Client, url: str, data: Any, **extra: Any) -> Any:
    return client.put(url, data, content_type="application/json", **extra)


@pytest.fixture
def bobs_rater(finished_bob) -> tuple[Any, str]:
    """A rater Bob invited by private link, and the link's token."""
    from ctoready.raters.services import invite_by_link

    return invite_by_link(attempt=finished_bob.attempt, candidate_name="Bob", category="peer")
