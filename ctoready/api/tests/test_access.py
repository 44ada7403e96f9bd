"""Who may call what: every endpoint refuses the caller who must be refused.

Objects of someone else are a 404 (existence is not leaked), a call without credentials a
401, a wrong token a 401 that counts toward the client's rate limit, and an operator
endpoint called without a staff token a 403.
"""

import pytest
from django.test import Client

from ctoready.api.api import api
from ctoready.api.auth import FAILURE_LIMIT
from ctoready.api.tests.conftest import bearer

API = "/api/v1"
# Every operation: method, path (with {a} for Alice's attempt, {link} for her share link), body.
CANDIDATE = [
    ("get", "/attempts/{a}", None),
    ("get", "/attempts/{a}/next", None),
    ("get", "/attempts/{a}/pages/1", None),
    ("put", "/attempts/{a}/answers/st-1", {"value": 3, "seq": 1}),
    ("post", "/attempts/{a}/answers", {"answers": [{"item": "st-1", "value": 3, "seq": 1}]}),
    ("post", "/attempts/{a}/finish", None),
    ("get", "/attempts/{a}/report/summary", None),
    ("get", "/attempts/{a}/report", None),
    ("get", "/attempts/{a}/report.pdf", None),
    ("post", "/attempts/{a}/shares", {"label": "coach", "days": 7}),
    ("get", "/attempts/{a}/shares", None),
    ("delete", "/attempts/{a}/shares/{link}", None),
    ("post", "/attempts/{a}/raters/links", {"candidate_name": "A", "category": "peer"}),
    (
        "post",
        "/attempts/{a}/raters/emails",
        {"candidate_name": "A", "category": "peer", "emails": ["p@example.com"]},
    ),
    ("get", "/attempts/{a}/raters", None),
    ("delete", "/attempts/{a}/raters/invites/{invite}", None),
    ("post", "/attempts/{a}/raters/close", None),
]
RATER = [
    ("get", "/rater", None),
    ("put", "/rater/answers/st-1", {"value": 3, "seq": 1}),
    ("put", "/rater/comments/keep", {"text": "Clear plans.", "seq": 1}),
    ("post", "/rater/submit", None),
]
OPERATOR = [
    ("get", "/operator/attempts/{a}", None),
    ("get", "/operator/attempts/{a}/report", None),
    ("get", "/operator/attempts/{a}/report.pdf", None),
    ("get", "/operator/instruments", None),
]
ACCOUNT = [("get", "/me", None), ("get", "/me/attempts", None)]
# Who may call these is probed in ctoready/orgs/tests/test_access.py.
ORGANISATION = [
    ("get", "/organisations", None),
    ("post", "/organisations", {"name": "X", "accept_development_only": True}),
    ("post", "/organisations/{org}/cohorts", {"name": "X", "instrument": "mini",
                                               "version": "1.0.0", "context": "growth"}),
    ("post", "/organisations/{org}/cohorts/{cohort}/invitations", {"emails": ["p@example.com"]}),
    ("get", "/organisations/{org}/cohorts/{cohort}/members", None),
    ("get", "/organisations/{org}/cohorts/{cohort}/scores", None),
    ("put", "/organisations/{org}/cohorts/{cohort}/consent", {"shares": "nothing"}),
]  # fmt: skip
PUBLIC = [
    ("get", "/instruments", None),
    ("get", "/instruments/{instrument}", None),
    ("get", "/instruments/{instrument}/versions/{version}", None),
    ("post", "/attempts", None),
]
SCHEMA_PARAMS = {
    "{attempt_id}": "{a}",
    "{link_id}": "{link}",
    "{number}": "1",
    "{item_id}": "st-1",
    "{invite_id}": "{invite}",
    "{prompt}": "keep",
    "{org_id}": "{org}",
    "{cohort_id}": "{cohort}",
}


def _call(client: Client, method: str, path: str, body: object, **extra: str):  # type: ignore[no-untyped-def]
    url = API + path
    if body is None and method in {"get", "delete"}:
        return getattr(client, method)(url, **extra)
    return getattr(client, method)(url, body, content_type="application/json", **extra)


@pytest.fixture
def alice_link(client, finished_alice) -> str:
    response = client.post(
        f"{API}/attempts/{finished_alice.id}/shares",
        {"label": "mine"},
        content_type="application/json",
        **finished_alice.auth,
    )
    assert response.status_code == 201
    return str(response.json()["id"])


@pytest.fixture
def alice_invite(finished_alice) -> str:
    from ctoready.raters.services import invite_by_link

    invite, _token = invite_by_link(
        attempt=finished_alice.attempt, candidate_name="Alice", category="peer"
    )
    return str(invite.public_id)


def _fill(path: str, alice, link: str, invite: str = "x") -> str:  # type: ignore[no-untyped-def]
    return path.replace("{a}", alice.id).replace("{link}", link).replace("{invite}", invite)


def test_the_table_covers_every_operation():
    schema = api.get_openapi_schema()
    operations = set()
    for path, methods in schema["paths"].items():
        for method in methods:
            short = path.removeprefix(API)
            for name, value in SCHEMA_PARAMS.items():
                short = short.replace(name, value)
            operations.add((method, short))
    listed = CANDIDATE + OPERATOR + ACCOUNT + PUBLIC + RATER + ORGANISATION
    assert operations == {(m, p) for m, p, _ in listed}


@pytest.mark.parametrize(
    ("method", "path", "body"), CANDIDATE + OPERATOR + ACCOUNT + RATER + ORGANISATION
)
def test_anonymous_is_401(client, finished_alice, alice_link, method, path, body):
    response = _call(client, method, _fill(path, finished_alice, alice_link), body)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(("method", "path", "body"), CANDIDATE)
def test_another_candidates_token_is_404(
    client, finished_alice, finished_bob, alice_link, alice_invite, method, path, body
):
    url = _fill(path, finished_alice, alice_link, alice_invite)
    response = _call(client, method, url, body, **finished_bob.auth)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(("method", "path", "body"), CANDIDATE)
def test_an_account_that_does_not_own_the_attempt_gets_404(
    client, finished_alice, alice_link, alice_invite, carol, olivia, method, path, body
):
    for _user, token in (carol, olivia):
        url = _fill(path, finished_alice, alice_link, alice_invite)
        response = _call(client, method, url, body, **bearer(token))
        assert response.status_code == 404


@pytest.mark.parametrize(("method", "path", "body"), CANDIDATE + OPERATOR + ACCOUNT + RATER)
def test_a_wrong_token_is_401(client, finished_alice, alice_link, method, path, body):
    url = _fill(path, finished_alice, alice_link)
    near = finished_alice.token[:-1] + ("A" if finished_alice.token[-1] != "A" else "B")
    for token in ("x" * 43, "ctr_" + "y" * 43, near, "short"):
        assert _call(client, method, url, body, **bearer(token)).status_code == 401
    basic = {"HTTP_AUTHORIZATION": "Basic Zm9vOmJhcg=="}
    assert _call(client, method, url, body, **basic).status_code == 401


@pytest.mark.parametrize(("method", "path", "body"), OPERATOR)
def test_operator_endpoints_refuse_candidates_and_non_staff(
    client, finished_alice, carol, method, path, body
):
    url = _fill(path, finished_alice, "1")
    for auth in (finished_alice.auth, bearer(carol[1])):
        response = _call(client, method, url, body, **auth)
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "operator_only"


@pytest.mark.parametrize(("method", "path", "body"), OPERATOR)
def test_operators_reach_any_attempt(client, finished_alice, olivia, method, path, body):
    response = _call(client, method, _fill(path, finished_alice, "1"), body, **bearer(olivia[1]))
    assert response.status_code == 200
    missing = path.replace("{a}", "nope")
    if "{a}" in path:
        assert _call(client, method, missing, body, **bearer(olivia[1])).status_code == 404


@pytest.mark.parametrize(("method", "path", "body"), ACCOUNT)
def test_account_endpoints_refuse_attempt_tokens(client, finished_alice, method, path, body):
    response = _call(client, method, path, body, **finished_alice.auth)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "account_only"


def test_revoked_api_token_and_inactive_user_are_refused(client, olivia):
    user, token = olivia
    assert client.get(f"{API}/operator/instruments", **bearer(token)).status_code == 200
    user.is_active = False
    user.save()
    assert client.get(f"{API}/operator/instruments", **bearer(token)).status_code == 401
    user.is_active = True
    user.save()
    user.api_tokens.update(revoked_at="2020-01-01T00:00:00Z")
    assert client.get(f"{API}/operator/instruments", **bearer(token)).status_code == 401


def test_failed_tokens_are_rate_limited_per_client(client, alice):
    url = f"{API}/attempts/{alice.id}"
    for _ in range(FAILURE_LIMIT):
        assert client.get(url, **bearer("z" * 43)).status_code == 401
    limited = client.get(url, **bearer("z" * 43))
    assert limited.status_code == 429
    assert limited.json()["error"]["code"] == "rate_limited"
    assert limited["Retry-After"] == "60"
    # The guesser is locked out even with a good token; another client is not.
    assert client.get(url, **alice.auth).status_code == 429
    other = Client(REMOTE_ADDR="10.0.0.2")
    assert other.get(url, **alice.auth).status_code == 200


def test_a_good_token_does_not_count_as_a_failure(client, alice):
    url = f"{API}/attempts/{alice.id}"
    for _ in range(FAILURE_LIMIT + 5):
        assert client.get(url, **alice.auth).status_code == 200


def test_a_revoked_share_link_stays_listed_but_inactive(client, finished_alice, alice_link):
    url = f"{API}/attempts/{finished_alice.id}/shares"
    assert client.delete(f"{url}/{alice_link}", **finished_alice.auth).status_code == 204
    assert client.delete(f"{url}/{alice_link}", **finished_alice.auth).status_code == 204
    listed = client.get(url, **finished_alice.auth).json()
    assert [(str(s["id"]), s["active"]) for s in listed] == [(alice_link, False)]
    one = client.get(f"{url}/{alice_link}", **finished_alice.auth)
    assert one.status_code == 405
    assert one.json()["error"]["code"] == "method_not_allowed"


@pytest.mark.parametrize(("method", "path", "body"), RATER)
def test_rater_endpoints_refuse_candidate_and_account_tokens(
    client, finished_alice, olivia, method, path, body
):
    for auth in (finished_alice.auth, bearer(olivia[1])):
        assert _call(client, method, path, body, **auth).status_code == 401


@pytest.mark.parametrize(("method", "path", "body"), CANDIDATE)
def test_a_rater_token_is_no_candidate_token(
    client, finished_alice, alice_link, bobs_rater, method, path, body
):
    url = _fill(path, finished_alice, alice_link)
    assert _call(client, method, url, body, **bearer(bobs_rater[1])).status_code == 401
