"""The access probe: every organisation route, tried by the wrong coach, a member, a rater
and an anonymous visitor, answers 404 (or sends the anonymous to sign in) and changes
nothing; the API's organisation operations likewise."""

import json
import re

import pytest
from django.urls import reverse

from ctoready.api.auth import create_api_token
from ctoready.lib.tests.test_routes import ORGANISATION, ROUTES, database_state, url_patterns
from ctoready.orgs.models import Invitation, Membership

pytestmark = pytest.mark.django_db

ORG_ROUTES = sorted(n for n, c in ROUTES.items() if c == ORGANISATION)
OWNER_ONLY = {"orgs:invite_coaches", "orgs:remove_person", "orgs:delete"}


def refused(response) -> bool:
    if response.status_code in {404, 405}:
        return True
    return response.status_code == 302 and response["Location"].startswith("/account/login/")


def url_for(name, world):
    route = next(r for r, n in url_patterns() if n == name)
    kwargs = {"org_id": world.acme.public_id}
    if "<str:cohort_id>" in route:
        kwargs["cohort_id"] = world.cohort.public_id
    if "<str:consent_id>" in route:
        kwargs["consent_id"] = world.consents["mia"].public_id
    if "<int:membership_id>" in route:
        kwargs["membership_id"] = Membership.objects.get(user=world.users["colin"]).pk
    if "<int:invitation_id>" in route:
        kwargs["invitation_id"] = Invitation.objects.filter(cohort=world.cohort).first().pk
    return reverse(name, kwargs=kwargs)


POST = {
    "name": "Taken over",
    "accept": "yes",
    "confirm": "yes",
    "emails": "eve@example.com",
    "days": "30",
    "version": "1",
    "context": "growth",
}


def test_every_organisation_route_is_probed():
    assert len(ORG_ROUTES) == 13


@pytest.mark.parametrize("name", ORG_ROUTES)
def test_organisation_routes_refuse_everyone_else_and_change_nothing(world, rater, name):
    world.share("mia", "full", raters=True)
    url = url_for(name, world)
    clients = {who: world.client(who) for who in ("wanda", "mia", "nina", "anonymous")}
    before = database_state()
    for who, client in clients.items():
        get, post = client.get(url), client.post(url, POST)
        assert refused(get), (who, "GET", url, get.status_code)
        assert refused(post), (who, "POST", url, post.status_code)
    for response in (rater.get(url), rater.post(url, POST)):
        assert refused(response), ("rater", url, response.status_code)
    assert database_state() == before


@pytest.mark.parametrize("name", sorted(OWNER_ONLY))
def test_a_coach_cannot_do_what_only_owners_do(world, name):
    url = url_for(name, world)
    colin = world.client("colin")
    before = database_state()
    assert refused(colin.get(url)) and refused(colin.post(url, POST))
    assert database_state() == before


def test_the_owner_and_coach_reach_the_read_routes(world):
    world.share("mia", "full")
    for who in ("olga", "colin"):
        client = world.client(who)
        for name in ("orgs:organisation", "orgs:cohort", "orgs:picture", "orgs:averages",
                     "orgs:export", "orgs:member_report"):  # fmt: skip
            assert client.get(url_for(name, world)).status_code == 200, (who, name)


def test_a_member_reaches_only_their_own_consent(world):
    mia = world.client("mia")
    assert mia.get(f"/orgs/sharing/{world.cohort.public_id}/").status_code == 200
    before = database_state()
    path = f"/orgs/sharing/{world.rival_cohort.public_id}/"
    assert mia.get(path).status_code == 404
    assert mia.post(path, {"scope": "full"}).status_code == 404
    assert mia.post(path + "start/").status_code == 404
    assert mia.post(path + "leave/").status_code == 404
    assert database_state() == before


API_BODIES = {
    "consent": {"shares": "full"},
    "cohorts": {"name": "Taken", "instrument": "mini", "version": "1.0.0", "context": "growth"},
    "invitations": {"emails": ["eve@example.com"]},
    "members": {},
    "scores": {},
}


def test_organisation_api_refuses_the_wrong_coach_and_members(world, client):
    world.share("mia", "scores")
    document = client.get("/api/v1/openapi.json").json()
    operations = [
        (method, path)
        for path, item in document["paths"].items()
        if path.startswith("/api/v1/organisations/")
        for method in item
    ]
    assert len(operations) >= 3
    tokens = {who: create_api_token(user=world.users[who])[1] for who in ("wanda", "nina", "colin")}
    before = database_state()
    for method, path in operations:
        url = path.replace("{org_id}", world.acme.public_id)
        url = url.replace("{cohort_id}", world.cohort.public_id)
        assert not re.search(r"\{", url)
        # A member may set their own consent, a coach may read: each is refused the other.
        refused_callers = ("wanda", "colin") if path.endswith("/consent") else ("wanda", "nina")
        for who in refused_callers:
            token = tokens[who]
            call = getattr(client, method)
            body = {
                "data": json.dumps(API_BODIES[path.rsplit("/", 1)[-1]]),
                "content_type": "application/json",
            }
            kwargs = body if method in {"put", "post", "patch"} else {}
            response = call(url, **kwargs, HTTP_AUTHORIZATION=f"Bearer {token}")
            assert response.status_code == 404, (who, method, path, response.status_code)
    assert database_state() == before
