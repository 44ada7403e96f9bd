"""The page's CSRF token: Django's format and checks, its mask drawn in one read."""

import re
from collections import Counter
from itertools import cycle

from django.middleware import csrf as django_csrf
from django.test import RequestFactory

from ctoready.lib import csrf

SECRET = "a" * 16 + "Z9" * 8


def request_with_secret(secret=SECRET):
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = secret
    return request


def test_the_token_unmasks_to_the_secret_and_renews_the_cookie():
    request = request_with_secret()
    token = csrf.get_token(request)
    assert re.fullmatch(r"[A-Za-z0-9]{64}", token)
    assert django_csrf._unmask_cipher_token(token) == SECRET
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_every_token_has_a_fresh_mask():
    tokens = {csrf.get_token(request_with_secret()) for _ in range(50)}
    assert len(tokens) == 50
    assert {django_csrf._unmask_cipher_token(token) for token in tokens} == {SECRET}


def test_a_request_without_a_secret_gets_djangos_token_and_a_new_secret():
    request = RequestFactory().get("/")
    token = csrf.get_token(request)
    secret = request.META["CSRF_COOKIE"]
    assert len(secret) == 32
    assert django_csrf._unmask_cipher_token(token) == secret


def test_the_mask_is_uniform_over_the_alphabet(monkeypatch):
    """Every byte value equally often gives every character equally often: the bytes that
    would favour the first eight characters (248 to 255) are drawn again, not folded in."""
    stream = cycle(range(256))

    def token_bytes(count):
        return bytes(next(stream) for _ in range(count))

    monkeypatch.setattr(csrf.secrets, "token_bytes", token_bytes)
    counts = Counter(csrf._shifts(248 * 4))
    assert set(counts) == set(range(62))
    assert set(counts.values()) == {16}


def test_a_read_short_of_even_bytes_is_followed_by_another(monkeypatch):
    reads = iter([bytes([255] * 40 + [1] * 8), bytes([2] * 48)])
    monkeypatch.setattr(csrf.secrets, "token_bytes", lambda n: next(reads))
    assert csrf._shifts(32) == [1] * 8 + [2] * 24
