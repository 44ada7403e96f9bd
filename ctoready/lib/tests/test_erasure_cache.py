"""Erasure leaves nothing about the person in the shared cache: the guard searches every
cache entry (key and value) after the candidate, an operator or retention erased them."""

import base64
import pickle
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from ctoready.assessments.models import Attempt, Link
from ctoready.assessments.services import create_link
from ctoready.instruments.services import import_file
from ctoready.privacy import erase_personal_data
from ctoready.raters import services as raters
from ctoready.reports import pdf
from ctoready.testing import MINI, MINI_ANSWERS, confirmed, finished_attempt, own

pytestmark = pytest.mark.django_db

EMAIL = "alice.cache@example.org"
NAME = "Alice Cachemore"


def cache_entries() -> list[tuple[str, Any]]:
    """Every entry of the database cache, its value unpickled (as the backend stores it)."""
    table = connection.ops.quote_name(settings.CACHES["default"]["LOCATION"])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key, value FROM {table}")
        rows = cursor.fetchall()
    return [(key, pickle.loads(base64.b64decode(value))) for key, value in rows]  # noqa: S301 (our own cache)


def leaks(value: Any, secrets: list[str]) -> bool:
    if isinstance(value, bytes):
        return value.startswith(b"%PDF") or any(s.encode() in value for s in secrets)
    if isinstance(value, str):
        return any(s in value for s in secrets)
    if isinstance(value, dict):
        return any(leaks(k, secrets) or leaks(v, secrets) for k, v in value.items())
    if isinstance(value, list | tuple | set):
        return any(leaks(item, secrets) for item in value)
    return False


@pytest.fixture
def alice() -> tuple[Client, Attempt]:
    """Alice's finished attempt, with a 360 round, whose report was read and downloaded
    as its owner and through a share link."""
    version = import_file(path=MINI).version
    attempt = confirmed(finished_attempt(version, MINI_ANSWERS, email=EMAIL))
    raters.invite_by_link(attempt=attempt, candidate_name=NAME, category="peer")
    client = own(Client(), attempt)
    share = create_link(attempt=attempt, purpose=Link.Purpose.SHARE)
    owned = client.get(reverse("reports:pdf", args=[attempt.public_id]), {"paper": "a4"})
    shared = Client().get(reverse("reports:shared_pdf", args=[share]), {"paper": "letter"})
    assert owned["Content-Type"] == shared["Content-Type"] == "application/pdf"
    assert client.get(reverse("reports:report", args=[attempt.public_id])).status_code == 200
    return client, attempt


def secrets_of(attempt: Attempt) -> list[str]:
    return [attempt.public_id, EMAIL, NAME]


def test_the_guard_sees_what_the_cache_holds_before_erasure(alice):
    """Without this the test below could pass on a cache it cannot read."""
    _, attempt = alice
    entries = cache_entries()
    assert sum(leaks(value, []) for _, value in entries) == 2  # the two PDFs
    assert any(attempt.public_id in key for key, _ in entries)


def test_erasure_by_the_candidate_leaves_nothing_about_them_in_the_cache(alice):
    client, attempt = alice
    secrets = secrets_of(attempt)
    assert client.post("/my-data/erase/", {"confirm": "yes"}).status_code == 302
    assert not Attempt.objects.filter(pk=attempt.pk).exists()
    left = [key for key, value in cache_entries() if leaks(key, secrets) or leaks(value, secrets)]
    assert left == []


def test_erasure_by_an_operator_or_retention_removes_the_cached_renderings(alice):
    _, attempt = alice
    erase_personal_data(attempts=Attempt.objects.filter(pk=attempt.pk))
    keys = {key for key, _ in cache_entries()}
    assert not any(key.endswith(tuple(pdf.cache_keys(attempt.public_id))) for key in keys)
    assert not [key for key, value in cache_entries() if leaks(value, secrets_of(attempt))]
