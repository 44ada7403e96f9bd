"""The cast: Alice owns a finished attempt and invites raters; Bob owns another attempt;
a visitor owns nothing; raters hold only their invitation links."""

from typing import Any

import pytest
from django.test import Client

from ctoready.assessments.models import Attempt
from ctoready.raters import services
from ctoready.raters.models import RaterInvite
from ctoready.testing import confirmed, finished_attempt

SELF_ANSWERS: dict[str, Any] = {
    "bg-years": "few",
    "st-1": 5,
    "st-2": 5,
    "st-3": 1,
    "le-1": 2,
    "le-2": 2,
    "le-3": 4,
    "re-1": 3,
    "re-2": 3,
    "re-3": 3,
    "sjt-costs": {"best": "b", "worst": "c"},
    "pref-role": "a",
    "pref-type": "c",
    "check-revenue": "partly",
}
# Raters see strategy lower and leadership higher than Alice does.
RATER_ANSWERS: dict[str, Any] = {
    "st-1": 1,
    "st-2": 2,
    "st-3": 5,
    "le-1": 5,
    "le-2": 5,
    "le-3": 1,
    "re-1": 3,
    "re-2": 3,
    "re-3": 3,
}


def link_invite(
    attempt: Attempt, category: str = "peer", manager_alone: bool = False
) -> tuple[RaterInvite, str]:
    return services.invite_by_link(
        attempt=attempt,
        candidate_name="Alice Martin",
        category=category,
        manager_alone=manager_alone,
    )


def respond(
    attempt: Attempt,
    category: str = "peer",
    answers: dict[str, Any] | None = None,
    comments: dict[str, str] | None = None,
    manager_alone: bool = False,
) -> RaterInvite:
    """One rater answers and submits, through the services."""
    invite, _ = link_invite(attempt, category, manager_alone)
    values = dict(answers or RATER_ANSWERS)
    comments = comments or {}
    seqs = dict.fromkeys(values, 10) | {f"c-{k}": 10 for k in comments}
    services.save_ratings(invite=invite, values=values, seqs=seqs, comments=comments)
    services.submit_response(invite=invite)
    return invite


def rater(token: str) -> Client:
    """A rater's browser after opening their link."""
    client = Client()
    response = client.get(f"/rate/i/{token}/")
    assert response.status_code == 302, response.status_code
    return client


@pytest.fixture
def alice_attempt(mini):
    """Alice confirmed her address (she opened the resume link sent to it)."""
    return confirmed(finished_attempt(mini, SELF_ANSWERS, email="alice@example.com"))


@pytest.fixture
def bob_attempt(mini):
    return finished_attempt(mini, SELF_ANSWERS, email="bob@example.com")
