"""Rights held by a browser: a fresh session key whenever it gains one, and a limit on how
many attempts one client starts (the same on the web and through the API)."""

import json

from django.conf import settings
from django.test import Client

from ctoready.assessments import services
from ctoready.assessments.models import Attempt
from ctoready.raters.services import invite_by_link
from ctoready.testing import MINI_ANSWERS, finished_attempt


def test_the_session_key_rotates_whenever_the_browser_gains_an_attempt(started, version):
    alice, attempt, _ = started
    other, token = services.start_attempt(version=version, context="seed", locale="en")
    before = alice.session.session_key
    assert alice.get(f"/r/{token}/").status_code == 302
    after = alice.session.session_key
    assert after != before
    assert set(alice.session["attempts"]) == {attempt.pk, other.pk}
    # Opening a link to an attempt it already holds grants nothing new.
    alice.get(f"/r/{token}/")
    assert alice.session.session_key == after


def test_the_session_key_rotates_whenever_the_browser_gains_an_invitation(version):
    attempt = finished_attempt(version, MINI_ANSWERS)
    rater = Client()
    keys = []
    for _ in range(2):
        _invite, token = invite_by_link(attempt=attempt, candidate_name="Al", category="peer")
        assert rater.get(f"/rate/i/{token}/").status_code == 302
        keys.append(rater.session.session_key)
    assert len(set(keys)) == 2 and len(rater.session["rater_invites"]) == 2


def test_starting_attempts_is_limited_per_client_on_the_web_and_the_api_together(clock, version):
    limit = settings.RATE_LIMIT_STARTS_PER_MINUTE
    web, api = Client(), Client()
    for _ in range(limit - 2):
        assert web.post("/start/", {"context": "growth"}).status_code == 302
    body = json.dumps({"context": "growth"})
    for status in (201, 201, 429):
        response = api.post("/api/v1/attempts", body, content_type="application/json")
        assert response.status_code == status
    assert response.json()["error"]["code"] == "rate_limited"
    assert web.post("/start/", {"context": "growth"}).status_code == 429
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert elsewhere.post("/start/", {"context": "seed"}).status_code == 302
    assert Attempt.objects.count() == limit + 1
    clock.shift(60)
    assert web.post("/start/", {"context": "growth"}).status_code == 302
