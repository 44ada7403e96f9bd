"""A page's form carries a CSRF token that Django's check accepts, and only that."""

import re

import pytest
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, _unmask_cipher_token, rotate_token
from django.test import Client, RequestFactory

from ctoready.assessments.models import Answer
from ctoready.lib.csrf import CookieKeptMiddleware, get_token

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


def test_the_cookie_is_set_once_and_not_sent_again_with_every_page(client, version):
    first = client.get("/")
    assert "csrftoken" in first.cookies  # a browser without one gets it
    secret = client.cookies["csrftoken"].value
    started = client.post("/start/", {"context": "growth", "lang": "en"})
    page = client.get(started["Location"])
    assert TOKEN.search(page.content.decode())
    assert "csrftoken" not in page.cookies  # held already: not sent again
    assert _unmask_cipher_token(TOKEN.search(page.content.decode())[1]) == secret


def test_a_changed_or_missing_secret_is_still_sent():
    held = "a" * 32

    def sent(cookie: str | None, rotate: bool) -> bool:
        request = RequestFactory().get("/")
        if cookie is not None:
            request.COOKIES["csrftoken"] = cookie

        def view(request):
            if rotate:
                rotate_token(request)  # as signing in does
            get_token(request)
            return HttpResponse()

        # As MIDDLEWARE orders them: Django's outside, ours inside.
        response = CsrfViewMiddleware(CookieKeptMiddleware(view))(request)
        return "csrftoken" in response.cookies

    assert not sent(held, rotate=False)
    assert sent(held, rotate=True)
    assert sent(None, rotate=False)
    assert sent("not-a-secret!", rotate=False)
