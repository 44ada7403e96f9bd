"""The route inventory: every URL and every API operation is classified, and every route
that belongs to someone refuses everyone else (404, so existence is not leaked) while the
database stays exactly as it was.

A new route that is missing from the tables below fails ``test_every_route_is_classified``.
"""

import re
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ctoready.assessments import services
from ctoready.assessments.access import SESSION_KEY
from ctoready.assessments.models import Attempt, Link
from ctoready.instruments.services import import_file
from ctoready.instruments.tests.conftest import MINI
from ctoready.raters import services as raters
from ctoready.reports.services import finish_attempt

pytestmark = pytest.mark.django_db

PUBLIC = "public"  # anyone: pages, guides, sign-in, token entry points (404 on a bad token)
SELF = "self"  # acts only on what the caller's own session or account reaches
CANDIDATE = "candidate"  # one attempt, reachable only by its owner
RATER = "rater"  # one invitation, reachable only by the rater who opened it
OPERATOR = "operator"  # staff only
ORGANISATION = "organisation"  # its owners and coaches only: orgs/tests/test_access.py

ROUTES = {
    "home": PUBLIC, "start": PUBLIC, "resume": PUBLIC,
    "attempt_home": CANDIDATE, "attempt_page": CANDIDATE, "attempt_autosave": CANDIDATE,
    "attempt_review": CANDIDATE, "attempt_finish": CANDIDATE, "attempt_claim": CANDIDATE,
    "attempt_deep_dive": CANDIDATE,
    "my_assessments": SELF, "my_data": SELF, "my_data_export": SELF, "my_data_erase": SELF,
    "reports:report": CANDIDATE, "reports:pdf": CANDIDATE, "reports:export": CANDIDATE,
    "reports:retake": CANDIDATE, "reports:share": CANDIDATE, "reports:revoke_share": CANDIDATE,
    "reports:shared": PUBLIC, "reports:shared_pdf": PUBLIC, "reports:history": SELF,
    "guides:index": PUBLIC, "guides:search": PUBLIC, "guides:guide": PUBLIC,
    "raters:invite": CANDIDATE, "raters:create_link": CANDIDATE, "raters:remind": CANDIDATE,
    "raters:close": CANDIDATE, "raters:revoke": CANDIDATE,
    "raters:open": PUBLIC, "raters:rate_home": RATER, "raters:rate_page": RATER,
    "raters:autosave": RATER, "raters:done": RATER,
    "orgs:index": SELF, "orgs:create": SELF, "orgs:join": SELF, "orgs:join_link": PUBLIC,
    "orgs:consent": SELF, "orgs:start": SELF, "orgs:leave": SELF,
    "orgs:organisation": ORGANISATION, "orgs:invite_coaches": ORGANISATION,
    "orgs:remove_person": ORGANISATION, "orgs:delete": ORGANISATION,
    "orgs:create_cohort": ORGANISATION, "orgs:cohort": ORGANISATION,
    "orgs:invite_members": ORGANISATION, "orgs:create_join_link": ORGANISATION,
    "orgs:revoke_invitation": ORGANISATION, "orgs:picture": ORGANISATION,
    "orgs:averages": ORGANISATION, "orgs:export": ORGANISATION,
    "orgs:member_report": ORGANISATION,
    "manual:index": PUBLIC, "manual:version": PUBLIC, "manual:pdf": PUBLIC,
    "keying_expert": PUBLIC,
    "healthz": PUBLIC, "readyz": PUBLIC,
}  # fmt: skip
# Whole URL trees owned by a library, classified by prefix.
PREFIXES = {"account/": PUBLIC, "operator/": OPERATOR, "api/v1/": "api"}

API_PUBLIC = {
    ("get", "/api/v1/instruments"), ("get", "/api/v1/instruments/{instrument}"),
    ("get", "/api/v1/instruments/{instrument}/versions/{version}"),
    ("post", "/api/v1/attempts"),
}  # fmt: skip


def url_patterns(patterns: Any = None, prefix: str = "", namespace: str = "") -> Any:
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), f"{namespace}{pattern.name or ''}"


def classify(route: str, name: str) -> str | None:
    for start, category in PREFIXES.items():
        if route.startswith(start):
            return category
    return ROUTES.get(name)


def test_every_route_is_classified():
    unclassified = [(r, n) for r, n in url_patterns() if classify(r, n) is None]
    assert unclassified == [], "add these routes to ROUTES in this file, with their access rule"


def database_state() -> dict[str, list[Any]]:
    """Every row of every table a request could change (not sessions, caches or counters)."""
    skip = {"sessions.session", "lib.ratecounter"}
    state = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in skip or label.startswith("django_tasks"):
            continue
        # When a caller's own token was last used is bookkeeping, not a change of data.
        fields = [f.attname for f in model._meta.concrete_fields if f.name != "last_used_at"]
        state[label] = sorted(map(repr, model.objects.values_list(*fields)))
    return state


@pytest.fixture
def world():
    """Alice owns an attempt in progress and a finished one with a share link, a rater
    round and an invitation; Bob has his own attempt; a rater opened Alice's invitation."""
    version = import_file(path=MINI).version
    alice_open, _ = services.start_attempt(version=version, context="growth", locale="en")
    alice_done, _ = services.start_attempt(version=version, context="growth", locale="en")
    services.save_answers(attempt=alice_done, values={"st-1": 4}, seq=5)
    finish_attempt(attempt=alice_done)
    share = services.create_link(attempt=alice_done, purpose=Link.Purpose.SHARE)
    invite, rater_token = raters.invite_by_link(
        attempt=alice_done, candidate_name="Alice", category="peer", manager_alone=False
    )
    bob_attempt, _ = services.start_attempt(version=version, context="seed", locale="en")
    bob = Client()
    session = bob.session
    session[SESSION_KEY] = [bob_attempt.pk]
    session.save()
    rater = Client()
    assert rater.get(f"/rate/i/{rater_token}/").status_code == 302
    alice = Client()
    session = alice.session
    session[SESSION_KEY] = [alice_open.pk, alice_done.pk]
    session.save()
    return {
        "alice": alice, "bob": bob, "rater": rater, "anonymous": Client(),
        "open": alice_open, "done": alice_done, "invite": invite,
        "link_id": Link.objects.get(attempt=alice_done, purpose=Link.Purpose.SHARE).public_id,
        "share": share,
        "resume": services.create_link(attempt=alice_open, purpose=Link.Purpose.RESUME),
    }  # fmt: skip


FLOW = {"attempt_home", "attempt_page", "attempt_autosave", "attempt_review", "attempt_finish"}


def url_for(name: str, route: str, world: dict[str, Any]) -> str:
    kwargs: dict[str, Any] = {}
    if "<str:public_id>" in route:
        if name.startswith("raters:") and ROUTES[name] == RATER:
            kwargs["public_id"] = world["invite"].public_id
        else:
            attempt: Attempt = world["open"] if name in FLOW else world["done"]
            kwargs["public_id"] = attempt.public_id
    if "<int:number>" in route:
        kwargs["number"] = 1
    if "<str:link_id>" in route:
        kwargs["link_id"] = world["link_id"]
    if "<str:invite_id>" in route:
        kwargs["invite_id"] = world["invite"].public_id
    if "<slug:slug>" in route:
        kwargs["slug"] = "first-90-days"
    if "<str:token>" in route:
        kwargs["token"] = TOKENS.get(name, lambda w: "x" * 43)(world)
    # Any other part (an organisation's routes have their own tests): a made-up value.
    for kind, part in re.findall(r"<(\w+):(\w+)>", route):
        kwargs.setdefault(part, 1 if kind == "int" else "x")
    return reverse(name, kwargs=kwargs)


# The token entry points, each opened with a real token (the rater's is used up).
TOKENS = {
    "resume": lambda w: w["resume"],
    "reports:shared": lambda w: w["share"],
    "reports:shared_pdf": lambda w: w["share"],
}


def refused(response: Any) -> bool:
    if response.status_code in {404, 405}:
        return True
    # Views that need an account send the anonymous to sign in, and do nothing else.
    return response.status_code == 302 and response["Location"].startswith("/account/login/")


@pytest.mark.parametrize("name", sorted(n for n, c in ROUTES.items() if c in {CANDIDATE, RATER}))
def test_owned_routes_refuse_everyone_else_and_change_nothing(world, name):
    route = next(r for r, n in url_patterns() if n == name)
    url = url_for(name, route, world)
    others = (
        ["bob", "anonymous", "rater"]
        if ROUTES[name] == CANDIDATE
        else ["bob", "anonymous", "alice"]
    )
    before = database_state()
    for who in others:
        client = world[who]
        get = client.get(url)
        post = client.post(url, {"q-st-1": "5", "s-st-1": "99", "confirm": "yes", "go": "next"})
        assert refused(get), (who, "GET", url, get.status_code)
        assert refused(post), (who, "POST", url, post.status_code)
    assert database_state() == before


def test_the_owner_reaches_their_routes(world):
    """The refusals above are not a broken route: Alice gets through on each."""
    for name in ("attempt_page", "attempt_review", "reports:report", "raters:invite"):
        route = next(r for r, n in url_patterns() if n == name)
        assert world["alice"].get(url_for(name, route, world)).status_code == 200, name
    rate_route = next(r for r, n in url_patterns() if n == "raters:rate_page")
    assert world["rater"].get(url_for("raters:rate_page", rate_route, world)).status_code == 200


@pytest.mark.parametrize("name", ["my_data_export", "reports:history", "my_assessments"])
def test_self_routes_show_only_the_callers_own_data(world, name):
    route = next(r for r, n in url_patterns() if n == name)
    url = url_for(name, route, world)
    for who in ("bob", "anonymous", "rater"):
        response = world[who].get(url)
        body = response.content.decode() if response.status_code == 200 else ""
        assert world["open"].public_id not in body and world["done"].public_id not in body, who


def test_erasing_from_another_browser_leaves_alice_alone(world):
    before = database_state()
    for who in ("bob", "anonymous", "rater"):
        world[who].post("/my-data/erase/", {"confirm": "yes"})
    after = database_state()
    assert after["assessments.attempt"] != before["assessments.attempt"]  # Bob's went
    assert Attempt.objects.filter(pk__in=[world["open"].pk, world["done"].pk]).count() == 2


def api_operations(client: Client) -> list[tuple[str, str]]:
    document = client.get("/api/v1/openapi.json").json()
    return [
        (method, path)
        for path, item in document["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    ]


def test_every_api_operation_refuses_callers_without_the_right_token(world):
    operations = api_operations(world["anonymous"])
    assert operations
    bob_token = services.create_link(attempt=Attempt.objects.get(context="seed"), purpose="resume")
    before = database_state()
    for method, path in operations:
        if (method, path) in API_PUBLIC:
            continue
        url = re.sub(r"\{attempt_id\}", world["done"].public_id, path)
        url = re.sub(r"\{[a-z_]+\}", "1", url)
        body = (
            {}
            if method in {"get", "delete"}
            else {"data": "{}", "content_type": "application/json"}
        )
        call = getattr(world["anonymous"], method)
        anonymous = call(url, **body)
        assert anonymous.status_code in {401, 404, 405}, (method, path, anonymous.status_code)
        as_bob = call(url, **body, HTTP_AUTHORIZATION=f"Bearer {bob_token}")
        # 422: the body is checked against the schema before ownership, which reveals nothing.
        assert as_bob.status_code in {401, 403, 404, 405, 422}, (method, path, as_bob.status_code)
    assert database_state() == before


# Private by default: every response carries no-store, from ctoready.lib.http. A route
# whose responses may be cached would be listed here, with the reason.
CACHEABLE: set[str] = set()


def owner_of(name: str, world: dict[str, Any]) -> Client:
    return world["rater"] if ROUTES[name] == RATER else world["alice"]


@pytest.mark.parametrize("name", sorted(set(ROUTES) - CACHEABLE))
def test_every_route_answers_with_no_store_and_head_like_get(world, name):
    route = next(r for r, n in url_patterns() if n == name)
    url = url_for(name, route, world)
    for client in (owner_of(name, world), world["anonymous"]):
        get, head = client.get(url), client.head(url)
        assert "no-store" in get["Cache-Control"], (name, get.status_code)
        assert head.status_code == get.status_code, (name, head.status_code, get.status_code)
        assert head.content == b""
        assert "no-store" in head["Cache-Control"]


def test_every_api_operation_answers_with_no_store_and_head_like_get(world):
    token = services.create_link(attempt=world["done"], purpose="resume")
    owner = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    for method, path in api_operations(world["anonymous"]):
        url = re.sub(r"\{attempt_id\}", world["done"].public_id, path)
        url = re.sub(r"\{[a-z_]+\}", "1", url)
        body = (
            {}
            if method in {"get", "delete"}
            else {"data": "{}", "content_type": "application/json"}
        )
        if (method, path) == ("post", "/api/v1/attempts"):
            body["data"] = '{"context": "growth"}'
        for headers in (owner, {}):
            response = getattr(world["anonymous"], method)(url, **body, **headers)
            assert response.status_code < 500, (method, path, response.status_code)
            assert "no-store" in response["Cache-Control"], (method, path, response.status_code)
            if method == "get":
                head = world["anonymous"].head(url, **headers)
                assert head.status_code == response.status_code, (path, head.status_code)


def test_the_token_bearing_api_answers_carry_no_store(world):
    """The two answers that hand out a token, each reached for real (201)."""
    started = world["anonymous"].post(
        "/api/v1/attempts", '{"context": "growth"}', content_type="application/json"
    )
    assert started.status_code == 201 and started["Cache-Control"] == "no-store"
    token = started.json()["token"]
    assert token
    owner = services.create_link(attempt=world["done"], purpose="resume")
    shared = world["anonymous"].post(
        f"/api/v1/attempts/{world['done'].public_id}/shares",
        "{}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {owner}",
    )
    assert shared.status_code == 201 and shared["Cache-Control"] == "no-store"
