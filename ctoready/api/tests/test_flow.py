"""The assessment over the API: start, pages, idempotent answers, finish, report."""

from ctoready.api.tests.conftest import MINI_ANSWERS, bearer, post_json, put_json
from ctoready.assessments.models import Answer, Attempt, Link
from ctoready.lib.tokens import hash_token

API = "/api/v1"


def test_start_returns_attempt_and_a_bearer_token_stored_only_as_hash(client, mini):
    response = post_json(client, f"{API}/attempts", {"context": "growth", "lang": "en"})
    assert response.status_code == 201, response.content
    body = response.json()
    token = body["token"]
    assert len(token) >= 43  # 256 bits, URL-safe base64
    attempt = Attempt.objects.get(public_id=body["attempt"]["id"])
    link = Link.objects.get(attempt=attempt, purpose=Link.Purpose.RESUME)
    assert link.token_hash == hash_token(token)
    assert token not in str(list(Link.objects.values_list()))
    assert body["attempt"]["status"] == "in_progress"
    assert body["attempt"]["next_page"] == 1
    assert body["resume_url"].endswith(f"/r/{token}/")


def test_unknown_context_is_a_stable_error(client, mini):
    response = post_json(client, f"{API}/attempts", {"context": "moon", "lang": "en"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "unknown_context"


def test_instrument_content_hides_scoring_keys(client, mini):
    response = client.get(f"{API}/instruments/mini?lang=en")
    assert response.status_code == 200
    text = response.content.decode()
    body = response.json()
    assert [i["id"] for i in body["items"]][:2] == ["bg-years", "st-1"]
    # Context rationales are public (the start page shows them); scenario ones are not.
    for secret in ("effectiveness", "irt", "points_to", "reverse", "Blunt and", "Makes cost"):
        assert secret not in text
    listed = client.get(f"{API}/instruments").json()
    assert [(i["id"], i["version"]) for i in listed] == [("mini", "1.0.0")]
    assert client.get(f"{API}/instruments/mini/versions/1.0.0").status_code == 200
    assert client.get(f"{API}/instruments/mini/versions/9.9.9").status_code == 404


def test_pages_answers_and_finish(client, alice):
    auth = alice.auth
    first = client.get(f"{API}/attempts/{alice.id}/next", **auth).json()
    assert first["done"] is False and first["page"]["number"] == 1
    question = first["page"]["questions"][0]
    assert question["id"] == "bg-years" and question["answer"] is None
    for item_id, value in MINI_ANSWERS.items():
        response = put_json(
            client, f"{API}/attempts/{alice.id}/answers/{item_id}", {"value": value, "seq": 5}
        )
        assert response.status_code == 401
        response = put_json(
            client,
            f"{API}/attempts/{alice.id}/answers/{item_id}",
            {"value": value, "seq": 5},
            **auth,
        )
        assert response.status_code == 200, response.content
        assert response.json() == {"item": item_id, "saved": True, "value": value, "seq": 5}
    assert client.get(f"{API}/attempts/{alice.id}/next", **auth).json() == {
        "done": True,
        "page": None,
    }
    assert client.get(f"{API}/attempts/{alice.id}/report", **auth).status_code == 409
    summary = post_json(client, f"{API}/attempts/{alice.id}/finish", None, **auth)
    assert summary.status_code == 200, summary.content
    assert summary.json()["attempt"] == alice.id
    assert {s["id"] for s in summary.json()["scales"]} == {"strategy", "leadership", "resilience"}
    again = post_json(client, f"{API}/attempts/{alice.id}/finish", None, **auth)
    assert again.json() == summary.json()
    late = put_json(
        client, f"{API}/attempts/{alice.id}/answers/st-1", {"value": 1, "seq": 9}, **auth
    )
    assert late.status_code == 409 and late.json()["error"]["code"] == "finished"
    export = client.get(f"{API}/attempts/{alice.id}/report", **auth)
    assert export.status_code == 200
    assert export.json()["attempt"]["id"] == alice.id
    pdf = client.get(f"{API}/attempts/{alice.id}/report.pdf?paper=letter", **auth)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_saving_is_idempotent_and_the_higher_seq_wins(client, alice):
    url = f"{API}/attempts/{alice.id}/answers/st-1"
    assert put_json(client, url, {"value": 4, "seq": 10}, **alice.auth).json()["saved"] is True
    retry = put_json(client, url, {"value": 4, "seq": 10}, **alice.auth).json()
    assert retry == {"item": "st-1", "saved": True, "value": 4, "seq": 10}
    stale = put_json(client, url, {"value": 1, "seq": 9}, **alice.auth).json()
    assert stale == {"item": "st-1", "saved": False, "value": 4, "seq": 10}
    assert Answer.objects.get(attempt=alice.attempt, item_id="st-1").value == 4


def test_batch_save_is_all_or_nothing(client, alice):
    url = f"{API}/attempts/{alice.id}/answers"
    bad = post_json(
        client,
        url,
        {
            "answers": [
                {"item": "st-1", "value": 3, "seq": 1},
                {"item": "st-2", "value": 9, "seq": 1},
            ]
        },
        **alice.auth,
    )
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "bad_value"
    assert not Answer.objects.filter(attempt=alice.attempt).exists()
    good = post_json(
        client,
        url,
        {
            "answers": [
                {"item": "st-1", "value": 3, "seq": 1},
                {"item": "re-1", "value": "na", "seq": 2},
            ]
        },
        **alice.auth,
    )
    assert good.status_code == 200
    assert [r["saved"] for r in good.json()["results"]] == [True, True]


def test_account_token_owns_the_attempts_it_starts(client, mini, carol):
    user, token = carol
    started = post_json(client, f"{API}/attempts", {"context": "seed"}, **bearer(token))
    assert started.status_code == 201
    attempt_id = started.json()["attempt"]["id"]
    assert Attempt.objects.get(public_id=attempt_id).owner == user
    assert client.get(f"{API}/attempts/{attempt_id}", **bearer(token)).status_code == 200
    mine = client.get(f"{API}/me/attempts", **bearer(token)).json()["attempts"]
    assert [a["id"] for a in mine] == [attempt_id]
    assert client.get(f"{API}/me", **bearer(token)).json() == {
        "email": "carol@example.com",
        "operator": False,
    }
