"""The organisations API: the same operations and the same consent rules as the pages."""

import json

import pytest

from ctoready.api.auth import create_api_token
from ctoready.orgs.models import Organisation

pytestmark = pytest.mark.django_db


def bearer(world, who):
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user=world.users[who])[1]}"}


def cohort_path(world, tail):
    return f"/api/v1/organisations/{world.acme.public_id}/cohorts/{world.cohort.public_id}/{tail}"


def test_an_account_creates_an_organisation_only_with_the_acceptance(world, client):
    auth = bearer(world, "nina")
    body = {"name": "Nina's practice", "accept_development_only": False}
    refused = client.post("/api/v1/organisations", json.dumps(body), "application/json", **auth)
    assert refused.status_code == 422
    body["accept_development_only"] = True
    created = client.post("/api/v1/organisations", json.dumps(body), "application/json", **auth)
    assert created.status_code == 201 and created.json()["role"] == "owner"
    assert Organisation.objects.filter(name="Nina's practice").exists()
    listed = client.get("/api/v1/organisations", **auth).json()
    assert [o["name"] for o in listed] == ["Nina's practice"]


def test_a_coach_lists_sharing_members_and_scores(world, client):
    for name, scope in (("mia", "full"), ("max", "scores"), ("mo", "scores")):
        world.share(name, scope)
    auth = bearer(world, "colin")
    members = client.get(cohort_path(world, "members"), **auth).json()
    assert {m["member"]: m["shares"] for m in members} == {
        "mia@example.com": "full",
        "max@example.com": "scores",
        "mo@example.com": "scores",
    }
    scores = client.get(cohort_path(world, "scores"), **auth).json()
    assert scores["members_sharing"] == 3 and scores["rows_shown"]
    strategy = next(a for a in scores["averages"] if a["scale"] == "strategy")
    assert strategy["n"] == 3 and strategy["low"] < strategy["mean"] < strategy["high"]
    assert len(scores["members"]) == 3


def test_withdrawing_through_the_api_removes_the_member_at_once(world, client):
    for name in ("mia", "max", "mo"):
        world.share(name)
    coach, mia = bearer(world, "colin"), bearer(world, "mia")
    withdrawn = client.put(
        cohort_path(world, "consent"), json.dumps({"shares": "nothing"}), "application/json", **mia
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["shares"] == "nothing"
    members = client.get(cohort_path(world, "members"), **coach).json()
    assert "mia@example.com" not in [m["member"] for m in members]
    scores = client.get(cohort_path(world, "scores"), **coach).json()
    assert scores["members_sharing"] == 2 and scores["members"] == []


def test_a_member_shares_a_finished_assessment_of_their_own(world, client):
    auth = bearer(world, "max")
    body = {"shares": "scores", "attempt_id": world.attempts["mia"].public_id}
    refused = client.put(
        cohort_path(world, "consent"), json.dumps(body), "application/json", **auth
    )
    assert refused.status_code == 404
    body["attempt_id"] = world.attempts["max"].public_id
    shared = client.put(cohort_path(world, "consent"), json.dumps(body), "application/json", **auth)
    assert shared.status_code == 200 and shared.json()["attempt_id"] == body["attempt_id"]


def test_a_coach_creates_a_cohort_and_invites_by_e_mail(
    world, client, django_capture_on_commit_callbacks
):
    from django.core import mail

    auth = bearer(world, "colin")
    body = {"name": "Next", "instrument": "mini", "version": "1.0.0", "context": "growth"}
    path = f"/api/v1/organisations/{world.acme.public_id}/cohorts"
    created = client.post(path, json.dumps(body), "application/json", **auth)
    assert created.status_code == 201
    cohort_id = created.json()["id"]
    unknown = client.post(path, json.dumps({**body, "context": "moon"}), "application/json", **auth)
    assert unknown.status_code == 422
    with django_capture_on_commit_callbacks(execute=True):
        invited = client.post(
            f"{path}/{cohort_id}/invitations",
            json.dumps({"emails": ["ann@example.com", "bad address"]}),
            "application/json",
            **auth,
        )
        assert invited.status_code == 422 and mail.outbox == []
        invited = client.post(
            f"{path}/{cohort_id}/invitations",
            json.dumps({"emails": ["ann@example.com"]}),
            "application/json",
            **auth,
        )
    assert invited.status_code == 202 and invited.json() == {"invited": ["ann@example.com"]}
    assert [m.to for m in mail.outbox] == [["ann@example.com"]]
