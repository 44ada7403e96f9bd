"""A page's form carries a CSRF token that Django's check accepts, and only that."""

import re

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client

from ctoready.assessments.models import Answer

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


def test_the_pages_token_is_accepted_and_a_forged_one_refused(started):
    alice, attempt, _ = started
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = alice.cookies
    url = f"/a/{attempt.public_id}/p/1/"
    page = strict.get(url)
    tokens = TOKEN.findall(page.content.decode())
    assert tokens, "the page carries a token"
    assert _unmask_cipher_token(tokens[0]) == strict.cookies["csrftoken"].value
    assert strict.get(url).content != page.content  # a fresh mask on every page

    forged = tokens[0][:32] + tokens[0][33:] + "x"
    form = {"q-bg-years": "few", "go": "next", "seq": "5"}
    refused = strict.post(url, {**form, "csrfmiddlewaretoken": forged})
    assert refused.status_code == 403
    assert Answer.objects.count() == 0

    accepted = strict.post(url, {**form, "csrfmiddlewaretoken": tokens[0]})
    assert accepted.status_code == 302
    assert Answer.objects.get().value == "few"
