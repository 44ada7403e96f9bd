"""Adaptive pages are chosen in one place, once: reading a page, the review or the resume
redirect never writes after that."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ctoready.assessments.adaptive import page_items
from ctoready.assessments.tests.test_adaptive import start
from ctoready.instruments.models import InstrumentVersion
from ctoready.instruments.services import document_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def adaptive_version(version):
    InstrumentVersion.objects.filter(pk=version.pk).update(adaptive_enabled=True)
    return version


def writes(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code in {200, 302}
    return [
        q["sql"]
        for q in queries
        if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}
        and "django_session" not in q["sql"]
        and "ctoready_cache" not in q["sql"]
    ]


def test_the_page_post_chooses_the_next_page_so_its_get_only_reads(adaptive_version, client):
    attempt = start(client)
    base = f"/a/{attempt.public_id}"
    client.get(f"{base}/p/2/")  # first showing: chosen now
    attempt.refresh_from_db()
    first = attempt.adaptive_state["pages"]["p1"]
    client.post(f"{base}/p/2/", {**{f"q-{i}": "3" for i in first}, "seq": "10", "go": "next"})
    attempt.refresh_from_db()
    assert "p2" in attempt.adaptive_state["pages"]  # chosen by the post that leads there
    assert writes(client, f"{base}/p/3/") == []
    assert writes(client, f"{base}/p/2/") == []
    assert writes(client, f"{base}/") == []


def test_reading_items_never_chooses_them(adaptive_version, client):
    attempt = start(client)
    doc = document_for(attempt.version)
    assert page_items(attempt, doc, 2) is None
    assert writes(client, f"/a/{attempt.public_id}/") == []  # the resume redirect
    attempt.refresh_from_db()
    assert attempt.adaptive_state.get("pages", {}) == {}


def test_the_review_chooses_what_is_left_once_then_only_reads(adaptive_version, client):
    attempt = start(client)
    url = f"/a/{attempt.public_id}/review/"
    assert writes(client, url) != []  # reached by its address: the pages left are chosen
    assert writes(client, url) == []
