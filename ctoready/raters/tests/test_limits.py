"""Who may have e-mail sent on their behalf, how much, and what the message says: the
same rules for the web and the API."""

import json
import re
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from ctoready.assessments.models import Attempt
from ctoready.assessments.services import create_link
from ctoready.lib import limits
from ctoready.raters.models import RaterInvite
from ctoready.raters.tasks import subject_for
from ctoready.raters.tests.conftest import SELF_ANSWERS
from ctoready.testing import confirmed, finished_attempt, own

RESUME = re.compile(r"https?://[^\s]+(/r/[A-Za-z0-9_-]+/)")


def email_form(emails: str, name: str = "Alice Martin") -> dict[str, str]:
    return {"e-name": name, "e-category": "peer", "e-emails": emails}


def link_form() -> dict[str, str]:
    return {"l-name": "Alice Martin", "l-category": "peer"}


def test_without_a_confirmed_address_only_private_links_can_be_made(mini):
    attempt = finished_attempt(mini, SELF_ANSWERS, email="alice@example.com")
    alice = own(Client(), attempt)
    refused = alice.post(f"/rate/a/{attempt.public_id}/", email_form("carol@example.com"))
    assert refused.status_code == 400
    assert "need your confirmed e-mail address" in refused.content.decode()
    assert not RaterInvite.objects.exists() and mail.outbox == []
    made = alice.post(f"/rate/a/{attempt.public_id}/link/", link_form())
    assert made.status_code == 200 and RaterInvite.objects.count() == 1


def test_opening_the_emailed_resume_link_confirms_the_address(mini):
    browser = Client()
    browser.post("/start/", {"context": "growth", "email": "alice@example.com"})
    attempt = Attempt.objects.get()
    assert attempt.email_verified_at is None
    path = RESUME.search(mail.outbox[0].body).group(1)
    assert Client().get(path).status_code == 302
    attempt.refresh_from_db()
    assert attempt.email_verified_at is not None


def test_the_bearer_token_of_the_api_confirms_nothing(mini):
    """Only the link that went to the address proves it; the token handed to whoever
    started the attempt does not."""
    client = Client()
    started = client.post(
        "/api/v1/attempts",
        json.dumps({"context": "growth", "email": "victim@example.com"}),
        content_type="application/json",
    ).json()
    assert Client().get(urlsplit(started["resume_url"]).path).status_code == 302
    assert Attempt.objects.get().email_verified_at is None


def test_an_account_with_a_verified_address_may_invite_by_email(mini):
    user = get_user_model().objects.create_user("alice", "alice@example.com", "long-pass-9x")
    attempt = finished_attempt(mini, SELF_ANSWERS, owner=user)
    alice = Client()
    alice.force_login(user)
    url = f"/rate/a/{attempt.public_id}/"
    assert alice.post(url, email_form("carol@example.com")).status_code == 400
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    assert alice.post(url, email_form("carol@example.com")).status_code == 302
    assert [m.to for m in mail.outbox] == [["carol@example.com"]]


def test_web_and_api_share_the_per_client_email_limit(clock, mini):
    attempt = confirmed(finished_attempt(mini, SELF_ANSWERS, email="alice@example.com"))
    alice = own(Client(), attempt)
    first = ", ".join(f"w{i}@example.com" for i in range(6))
    assert alice.post(f"/rate/a/{attempt.public_id}/", email_form(first)).status_code == 302
    token = create_link(attempt=attempt, purpose="resume")
    body: dict[str, object] = {"candidate_name": "Alice", "category": "peer"}
    api = Client()
    for n, status in ((4, 201), (1, 429)):
        body["emails"] = [f"a{n}-{i}@example.com" for i in range(n)]
        response = api.post(
            f"/api/v1/attempts/{attempt.public_id}/raters/emails",
            json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        assert response.status_code == status, response.content
    assert len(mail.outbox) == limits.INVITE_EMAILS_PER_MINUTE == 10
    clock.shift(120)
    again = api.post(
        f"/api/v1/attempts/{attempt.public_id}/raters/emails",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert again.status_code == 201


def test_an_attempt_sends_at_most_twenty_invitation_emails_an_hour_whoever_asks(clock, mini):
    attempt = confirmed(finished_attempt(mini, SELF_ANSWERS, email="alice@example.com"))
    sent = 0
    for client_number in range(3):  # three addresses, each within its own limit
        browser = own(Client(REMOTE_ADDR=f"192.0.2.{client_number + 1}"), attempt)
        emails = ", ".join(f"c{client_number}-{i}@example.com" for i in range(8))
        response = browser.post(f"/rate/a/{attempt.public_id}/", email_form(emails))
        sent += 8 if response.status_code == 302 else 0
    assert sent == 16 and len(mail.outbox) == 16
    assert limits.INVITE_EMAILS_PER_HOUR_PER_ATTEMPT == 20


def test_the_name_in_a_subject_is_plain_quoted_text(mini):
    hostile = "Claim your prize at evil.example/win\u202e\u2066 "
    subject = subject_for("ctoready: a feedback request from “%(name)s”", hostile)
    assert subject.startswith("ctoready: a feedback request from “")
    assert "\u202e" not in subject and "\u2066" not in subject
    assert len(subject) < 90
    assert subject_for("from “%(name)s”", "\u202e\u200f") == "from “someone”"


def test_a_name_made_only_of_formatting_characters_is_refused(mini):
    attempt = confirmed(finished_attempt(mini, SELF_ANSWERS, email="alice@example.com"))
    alice = own(Client(), attempt)
    response = alice.post(f"/rate/a/{attempt.public_id}/", email_form("c@example.com", "\u202e"))
    assert response.status_code == 400 and mail.outbox == []


@pytest.mark.parametrize("name", ["Alice\x00", "Alice\x1b[31m"])
def test_control_characters_in_the_name_are_refused_before_anything_is_saved(mini, name):
    attempt = confirmed(finished_attempt(mini, SELF_ANSWERS, email="alice@example.com"))
    alice = own(Client(), attempt)
    response = alice.post(f"/rate/a/{attempt.public_id}/", email_form("c@example.com", name))
    assert response.status_code == 400
    assert "control characters" in response.content.decode()
    assert not RaterInvite.objects.exists() and mail.outbox == []
