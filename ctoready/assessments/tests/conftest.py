"""The cast: a candidate who owns the attempt, another candidate, an anonymous visitor."""

import pytest
from django.test import Client

from ctoready.assessments import services


@pytest.fixture
def started(version):
    """Alice's attempt, started through the web, with her browser and her resume token."""
    alice = Client()
    response = alice.post("/start/", {"context": "growth", "lang": "en"})
    assert response.status_code == 302
    attempt = services.Attempt.objects.latest("pk")
    token = alice.session["new_resume_token"]
    return alice, attempt, token


@pytest.fixture
def bob(version):
    """Another candidate with an attempt of his own."""
    client = Client()
    client.post("/start/", {"context": "seed", "lang": "en"})
    return client
