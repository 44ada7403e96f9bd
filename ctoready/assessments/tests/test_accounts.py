"""Optional accounts keep several attempts together; anonymous attempts can be claimed."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from ctoready.assessments.models import Attempt

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_account():
    return get_user_model().objects.create_user("alice", "alice@example.org", "a-long-passphrase-1")


def test_signup_with_email_and_password(version, client):
    response = client.post(
        "/account/signup/",
        {
            "email": "carol@example.org",
            "password1": "a-long-passphrase-2",
            "password2": "a-long-passphrase-2",
        },
    )
    assert response.status_code == 302
    assert get_user_model().objects.filter(email="carol@example.org").exists()


def test_signed_in_candidate_owns_the_attempt_they_start(version, client, alice_account):
    client.force_login(alice_account)
    client.post("/start/", {"context": "growth"})
    attempt = Attempt.objects.get()
    assert attempt.owner == alice_account
    page = client.get("/me/").content.decode()
    assert f"/a/{attempt.public_id}/" in page


def test_an_anonymous_attempt_can_be_claimed(started, alice_account):
    browser, attempt, _ = started
    browser.force_login(alice_account)
    assert "Keep it in my account" in browser.get("/me/").content.decode()
    browser.post(f"/a/{attempt.public_id}/claim/")
    attempt.refresh_from_db()
    assert attempt.owner == alice_account
    # Another browser signed in to the same account reaches it too.
    elsewhere = Client()
    elsewhere.force_login(alice_account)
    assert elsewhere.get(f"/a/{attempt.public_id}/p/1/").status_code == 200


def test_someone_else_cannot_claim_an_attempt(started, alice_account):
    _, attempt, _ = started
    mallory = get_user_model().objects.create_user(
        "mallory", "m@example.org", "another-passphrase-3"
    )
    thief = Client()
    thief.force_login(mallory)
    assert thief.post(f"/a/{attempt.public_id}/claim/").status_code == 404
    attempt.refresh_from_db()
    assert attempt.owner is None


def test_claiming_needs_an_account(started):
    browser, attempt, _ = started
    response = browser.post(f"/a/{attempt.public_id}/claim/")
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]
    attempt.refresh_from_db()
    assert attempt.owner is None


def test_login_by_code_is_offered(version, client):
    assert "/account/login/code/" in client.get("/account/login/").content.decode()
