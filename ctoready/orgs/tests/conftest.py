"""The cast: Olga owns Acme and its cohort; Colin coaches there; Wanda owns and coaches
Rival, another organisation; Mia, Max and Mo are members who finished the assessment and
joined the cohort (sharing nothing yet); Nina joined and never shares; an anonymous
visitor and a rater (who opened an invitation to rate Mia) hold no account in Acme."""

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from ctoready.assessments.models import Attempt
from ctoready.orgs import services
from ctoready.orgs.models import Cohort, Consent, Organisation
from ctoready.raters.services import invite_by_link
from ctoready.testing import MINI_ANSWERS, finished_attempt

MEMBER_ANSWERS = {
    "mia": MINI_ANSWERS,
    "max": {**MINI_ANSWERS, "st-1": 2, "st-2": 3, "le-1": 4, "le-2": 4},
    "mo": {**MINI_ANSWERS, "st-1": 1, "st-2": 1, "st-3": 5, "le-1": 5, "le-2": 5, "le-3": 1},
    "nina": MINI_ANSWERS,
}


def make_user(name: str) -> Any:
    return get_user_model().objects.create_user(name, f"{name}@example.com", None)


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@dataclass
class World:
    version: Any
    acme: Organisation
    cohort: Cohort
    rival: Organisation
    rival_cohort: Cohort
    users: dict[str, Any]
    attempts: dict[str, Attempt]
    consents: dict[str, Consent]

    def client(self, name: str) -> Client:
        if name == "anonymous":
            return Client()
        return signed_in(self.users[name])

    def share(self, name: str, scope: str = "scores", raters: bool = False) -> Consent:
        return services.set_consent(
            consent=self.consents[name],
            scope=scope,
            attempt=self.attempts[name],
            include_raters=raters,
        )


@pytest.fixture
def world(mini) -> World:
    users = {n: make_user(n) for n in ("olga", "colin", "wanda", "mia", "max", "mo", "nina")}
    acme = services.create_organisation(
        owner=users["olga"], name="Acme", accepted_development_only=True
    )
    cohort = services.create_cohort(
        organisation=acme, name="2027 leadership", version=mini, context="growth"
    )
    rival = services.create_organisation(
        owner=users["wanda"], name="Rival", accepted_development_only=True
    )
    rival_cohort = services.create_cohort(
        organisation=rival, name="Rival cohort", version=mini, context="growth"
    )
    token = services.create_join_link(cohort=cohort)
    link = services.resolve_invitation(token=token)
    coach_invite = services.invite_coaches(organisation=acme, emails=["colin@example.com"])[0]
    services.accept_invitation(invitation=coach_invite, user=users["colin"])
    attempts, consents = {}, {}
    for name, answers in MEMBER_ANSWERS.items():
        attempts[name] = finished_attempt(
            mini, answers, context="growth", owner=users[name], email=f"{name}@example.com"
        )
        consents[name] = services.accept_invitation(invitation=link, user=users[name])
    return World(mini, acme, cohort, rival, rival_cohort, users, attempts, consents)


@pytest.fixture
def rater(world) -> Client:
    """A rater who opened an invitation to rate Mia: they hold a session, no account."""
    _invite, token = invite_by_link(
        attempt=world.attempts["mia"], candidate_name="Mia", category="peer", manager_alone=False
    )
    client = Client()
    assert client.get(f"/rate/i/{token}/").status_code == 302
    return client
