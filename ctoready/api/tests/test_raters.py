"""360 feedback over the API: invite, answer as a rater, submit once; counts, not names."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from ctoready.api.tests.conftest import bearer
from ctoready.raters.models import RaterInvite, RaterResponse
from ctoready.testing import confirmed

API = "/api/v1"


def _json(client, method, url, body=None, **extra):  # type: ignore[no-untyped-def]
    return getattr(client, method)(url, body, content_type="application/json", **extra)


def test_invite_answer_and_submit(client, finished_alice):
    base = f"{API}/attempts/{finished_alice.id}/raters"
    made = _json(
        client,
        "post",
        f"{base}/links",
        {"candidate_name": "Alice", "category": "peer"},
        **finished_alice.auth,
    )
    assert made.status_code == 201, made.content
    token = made.json()["token"]
    assert made.json()["url"].endswith(f"/rate/i/{token}/")
    rater = bearer(token)

    form = client.get(f"{API}/rater", **rater).json()
    assert form["candidate_name"] == "Alice" and form["completed"] is False
    assert {q["id"] for q in form["questions"]} == {
        "st-1",
        "st-2",
        "st-3",
        "le-1",
        "le-2",
        "le-3",
        "re-1",
        "re-2",
        "re-3",
    }
    assert "this person" in form["questions"][0]["text"]

    url = f"{API}/rater/answers/st-1"
    assert _json(client, "put", url, {"value": 4, "seq": 2}, **rater).json()["saved"] is True
    assert _json(client, "put", url, {"value": 1, "seq": 1}, **rater).json()["saved"] is False
    bad = _json(client, "put", f"{API}/rater/answers/sjt-costs", {"value": 1, "seq": 3}, **rater)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "unknown_item"
    note = {"text": "Clear plans.", "seq": 3}
    assert _json(client, "put", f"{API}/rater/comments/keep", note, **rater).status_code == 200
    assert client.get(f"{API}/rater", **rater).json()["answers"] == {"st-1": 4}

    assert _json(client, "post", f"{API}/rater/submit", **rater).json() == {"submitted": True}
    assert _json(client, "post", f"{API}/rater/submit", **rater).json() == {"submitted": False}
    late = _json(client, "put", url, {"value": 5, "seq": 9}, **rater)
    assert late.status_code == 409 and late.json()["error"]["code"] == "completed"
    assert RaterResponse.objects.get().answers == {"st-1": 4}

    listed = client.get(base, **finished_alice.auth).json()
    assert listed["responses"]["peer"] == 1
    assert "completed" not in listed["invites"][0]  # who answered is never shown
    too_few = _json(client, "post", f"{base}/close", **finished_alice.auth)
    assert too_few.status_code == 409 and too_few.json()["error"]["code"] == "too_few"


def test_email_invitations_and_revoking(client, finished_alice):
    base = f"{API}/attempts/{finished_alice.id}/raters"
    body = {"candidate_name": "Alice", "category": "direct", "emails": ["d1@example.com"]}
    unconfirmed = _json(client, "post", f"{base}/emails", body, **finished_alice.auth)
    assert unconfirmed.status_code == 403
    assert unconfirmed.json()["error"]["code"] == "email_unconfirmed"
    assert not RaterInvite.objects.exists() and mail.outbox == []
    confirmed(finished_alice.attempt)
    made = _json(client, "post", f"{base}/emails", body, **finished_alice.auth)
    assert made.status_code == 201
    assert len(mail.outbox) == 1
    again = _json(client, "post", f"{base}/emails", body, **finished_alice.auth)
    assert again.status_code == 422 and again.json()["error"]["code"] == "already_invited"
    bad = {**body, "emails": ["not an address"]}
    assert _json(client, "post", f"{base}/emails", bad, **finished_alice.auth).status_code == 422
    invite_id = made.json()[0]["id"]
    gone = client.delete(f"{base}/invites/{invite_id}", **finished_alice.auth)
    assert gone.status_code == 204
    assert RaterInvite.objects.get(public_id=invite_id).revoked_at is not None


def test_invites_need_a_finished_attempt(client, alice):
    made = _json(
        client,
        "post",
        f"{API}/attempts/{alice.id}/raters/links",
        {"candidate_name": "Alice", "category": "peer"},
        **alice.auth,
    )
    assert made.status_code == 409 and made.json()["error"]["code"] == "not_finished"


def _link(client, candidate) -> str:  # type: ignore[no-untyped-def]
    made = _json(
        client,
        "post",
        f"{API}/attempts/{candidate.id}/raters/links",
        {"candidate_name": "Alice", "category": "peer"},
        **candidate.auth,
    )
    assert made.status_code == 201
    return str(made.json()["token"])


@pytest.mark.parametrize("ending", ["withdrawn", "expired", "closed"])
def test_an_ended_invitation_token_reads_nothing(client, finished_alice, ending):
    token = _link(client, finished_alice)
    assert client.get(f"{API}/rater", **bearer(token)).status_code == 200
    invite = RaterInvite.objects.get()
    if ending == "withdrawn":
        invite.revoked_at = timezone.now()
    elif ending == "expired":
        invite.expires_at = timezone.now() - timedelta(seconds=1)
    else:
        invite.round.closed_on = timezone.localdate()
        invite.round.save()
    invite.save()
    response = client.get(f"{API}/rater", **bearer(token))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert "Alice" not in response.content.decode()
    saving = _json(
        client, "put", f"{API}/rater/answers/st-1", {"value": 3, "seq": 1}, **bearer(token)
    )
    assert saving.status_code == 404
