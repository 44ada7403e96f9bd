"""Bad input is refused with a JSON error and a stable code: never a 500."""

import json

import pytest

from ctoready.api.guard import MAX_BODY_BYTES
from ctoready.api.schemas import MAX_SEQ
from ctoready.assessments.models import Answer

API = "/api/v1"


def _put(client, alice, body, item="st-1", **extra):  # type: ignore[no-untyped-def]
    url = f"{API}/attempts/{alice.id}/answers/{item}"
    kwargs = {"content_type": "application/json", **alice.auth, **extra}
    return client.put(url, body, **kwargs)


@pytest.mark.parametrize("seq", [0, -1, MAX_SEQ + 1, 2**63, 2**200, 1.5, "7", None, True])
def test_seq_out_of_bounds_or_not_an_integer_is_422(client, alice, seq):
    response = _put(client, alice, json.dumps({"value": 3, "seq": seq}))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"
    assert not Answer.objects.exists()


def test_seq_bounds_themselves_are_accepted(client, alice):
    assert _put(client, alice, json.dumps({"value": 3, "seq": 1})).status_code == 200
    assert _put(client, alice, json.dumps({"value": 4, "seq": MAX_SEQ})).json()["seq"] == MAX_SEQ


@pytest.mark.parametrize(
    "value", [0, 6, 10**30, -1, True, "maybe", {"best": "zz"}, [1], 3.0, {"best": "b", "x": "a"}]
)
def test_impossible_answers_are_refused(client, alice, value):
    response = _put(client, alice, json.dumps({"value": value, "seq": 1}))
    assert response.status_code == 422
    assert response.json()["error"]["code"] in {"invalid_request", "bad_value"}


def test_unknown_fields_are_refused(client, alice, mini):
    response = _put(client, alice, json.dumps({"value": 3, "seq": 1, "admin": True}))
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["loc"][-1] == "admin"
    start = client.post(
        f"{API}/attempts",
        {"context": "seed", "owner": 1},
        content_type="application/json",
    )
    assert start.status_code == 422


def test_unknown_item_is_a_stable_error(client, alice):
    response = _put(client, alice, json.dumps({"value": 3, "seq": 1}), item="nope")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "unknown_item"


def test_oversized_body_is_413_before_it_is_read(client, alice):
    big = json.dumps({"value": "x" * MAX_BODY_BYTES, "seq": 1})
    response = _put(client, alice, big)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "body_too_large"


def test_wrong_content_type_is_415(client, alice):
    response = _put(
        client, alice, "value=3&seq=1", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


@pytest.mark.parametrize("body", ["{", "{'value': 3}", "\x00", "[1,", b"\xff\xfe"])
def test_malformed_json_is_400(client, alice, body):
    response = _put(client, alice, body)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_json"


@pytest.mark.parametrize("body", ["[]", '"x"', "3", "null", "{}"])
def test_json_of_the_wrong_shape_is_422(client, alice, body):
    response = _put(client, alice, body)
    assert response.status_code == 422


def test_bad_path_and_query_values_are_422_or_404(client, alice, mini):
    assert client.get(f"{API}/attempts/{alice.id}/pages/0", **alice.auth).status_code == 404
    assert client.get(f"{API}/attempts/{alice.id}/pages/99", **alice.auth).status_code == 404
    huge = client.get(f"{API}/attempts/{alice.id}/pages/{2**70}", **alice.auth)
    assert huge.status_code in {404, 422}
    assert client.get(f"{API}/attempts/{'a' * 65}", **alice.auth).status_code == 422
    assert client.get(f"{API}/instruments/mini?lang=xx").status_code == 422
    assert client.get(f"{API}/instruments/mini/versions/1.0").status_code == 422
    assert client.get(f"{API}/nothing-here").json()["error"]["code"] == "http_404"


def test_invalid_email_is_422(client, mini):
    response = client.post(
        f"{API}/attempts",
        {"context": "seed", "email": "not an address"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_email"


def test_expired_attempt_refuses_answers_with_409(client, alice):
    alice.attempt.expires_at = alice.attempt.created_at
    alice.attempt.save()
    response = _put(client, alice, json.dumps({"value": 3, "seq": 1}))
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "expired"
    assert client.get(f"{API}/attempts/{alice.id}", **alice.auth).json()["status"] == "expired"


def test_share_link_needs_a_finished_report_and_an_allowed_expiry(client, alice):
    url = f"{API}/attempts/{alice.id}/shares"
    early = client.post(url, {"days": 7}, content_type="application/json", **alice.auth)
    assert early.status_code == 409 and early.json()["error"]["code"] == "not_finished"
    odd = client.post(url, {"days": 8}, content_type="application/json", **alice.auth)
    assert odd.status_code == 422


def test_share_expiry_choices_match_the_web_form():
    from typing import get_args

    from ctoready.api.schemas import ShareIn
    from ctoready.reports.sharing import EXPIRY_CHOICES

    allowed = get_args(ShareIn.model_fields["days"].annotation)
    assert set(allowed) == {days for days, _ in EXPIRY_CHOICES}


def test_a_share_link_from_the_api_opens_the_shared_report(client, finished_alice):
    created = client.post(
        f"{API}/attempts/{finished_alice.id}/shares",
        {"label": "for my coach", "days": 30},
        content_type="application/json",
        **finished_alice.auth,
    ).json()
    assert created["url"].endswith(f"/s/{created['token']}/")
    page = client.get(f"/s/{created['token']}/")
    assert page.status_code == 200
    listed = client.get(f"{API}/attempts/{finished_alice.id}/shares", **finished_alice.auth)
    assert "token" not in listed.json()[0]
