"""Autosave with the page's key: no session, one statement, and every guarantee kept.

Requests go to the site's WSGI application as a server sends them
(:mod:`ctoready.testing.wsgi`), since the fast path answers in front of Django's handler.
A browser with no cookies at all stands for "the session was not read": only the key
can let it save. Whatever the key cannot settle goes on to the view, which answers as
it always did (a browser without cookies is refused there by the CSRF check).
"""

import re
import time

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client
from django.test.client import MULTIPART_CONTENT

from ctoready.assessments import autosave
from ctoready.assessments.autosave import AutosaveApp
from ctoready.assessments.models import Answer, Attempt
from ctoready.instruments.loader import load_bytes
from ctoready.instruments.services import import_instrument
from ctoready.reports.services import finish_attempt
from ctoready.testing import mini_with_deep_dive, wsgi

FIRST_DEEP = 5  # the scenario page, first of the deep-dive in mini_with_deep_dive()

pytestmark = pytest.mark.django_db


def key_of(client, attempt, number=2):
    html = client.get(f"/a/{attempt.public_id}/p/{number}/").content.decode()
    found = re.search(r'hx-headers=\'\{"X-Autosave-Key": "([^"]+)"\}\'', html)
    assert found, "the page carries its autosave key"
    return found[1]


def save(attempt, key, data, client=None, htmx=True, **options):
    """An autosave as htmx sends it: the page's key and, from a browser with cookies, the
    CSRF token the page gave it."""
    headers = {"X-Autosave-Key": key}
    if htmx:
        headers["HX-Request"] = "true"
    if client is not None and "csrftoken" in client.cookies:
        headers["X-CSRFToken"] = client.cookies["csrftoken"].value
    path = f"/a/{attempt.public_id}/save/"
    return wsgi.post(path, data, headers=headers, client=client, **options)


def stored(attempt, item_id="st-1"):
    return Answer.objects.filter(attempt=attempt, item_id=item_id).values_list("value", "seq").get()


def test_a_browser_with_only_the_key_saves_and_counts_in_one_statement(
    started, django_assert_num_queries
):
    alice, attempt, _ = started
    key = key_of(alice, attempt)
    with django_assert_num_queries(1):  # the upsert, which also counts the answered questions
        response = save(attempt, key, {"q-st-1": "4", "s-st-1": "5"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<span class="saved">Saved</span>' in html
    assert 'id="progress-bar" hx-swap-oob="true" max="14" value="1"' in html
    assert '<span id="answered-count" hx-swap-oob="true">1</span>' in html
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies
    assert stored(attempt) == (4, 5)


def progress(response):
    found = re.search(
        r'<span id="answered-count" hx-swap-oob="true">(\d+)</span>', response.content.decode()
    )
    assert found, response.content
    return int(found[1])


def test_the_progress_counts_each_question_once_whatever_the_path(started):
    alice, attempt, _ = started
    key = key_of(alice, attempt)
    assert progress(save(attempt, key, {"q-st-1": "4", "s-st-1": "5"})) == 1
    assert progress(save(attempt, key, {"q-st-1": "2", "s-st-1": "6"})) == 1  # changed
    assert progress(save(attempt, key, {"q-st-1": "2", "s-st-1": "6"})) == 1  # a retry
    assert progress(save(attempt, key, {"q-st-2": "na", "s-st-2": "7"})) == 2
    assert progress(save(attempt, key, {"q-st-1": "5", "s-st-1": "3"})) == 2  # stale
    # An answer stored by another path (a page post) is counted too.
    Answer.objects.create(attempt=attempt, item_id="le-1", value=3, seq=8)
    Answer.objects.create(attempt=attempt, item_id="le-2", value=None, seq=8)
    assert progress(save(attempt, key, {"q-st-3": "1", "s-st-3": "9"})) == 4


POLICY = (
    "Cache-Control",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
)


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "json"])
def test_both_paths_answer_alike(started, htmx):
    """The fast path's answer is the view's: status, body, type, language, and the headers
    the middleware gives every response."""
    alice, attempt, _ = started
    key = key_of(alice, attempt)
    fast = save(attempt, key, {"q-st-1": "4", "s-st-1": "5"}, htmx=htmx)
    # The same request without the key goes through the session and the view.
    view = save(attempt, "", {"q-st-1": "4", "s-st-1": "5"}, client=alice, htmx=htmx)
    assert "Vary" not in fast and "Vary" in view  # only the full stack's middleware vary
    assert fast.status_code == view.status_code == 200
    assert fast.content == view.content
    for name in ("Content-Type", "Content-Language", *POLICY):
        assert fast[name] == view[name], name


def test_over_https_the_answer_carries_hsts_and_plain_http_is_redirected(started, settings):
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_SSL_REDIRECT = True
    app = AutosaveApp(WSGIHandler())  # Django's middleware read the settings as they are now
    alice, attempt, _ = started
    key = key_of(alice, attempt)
    autosave.policy_headers.cache_clear()
    try:
        secure = save(attempt, key, {"q-st-1": "4", "s-st-1": "5"}, secure=True, app=app)
        assert secure.status_code == 200
        assert secure["Strict-Transport-Security"] == "max-age=3600"
        plain = save(attempt, key, {"q-st-1": "2", "s-st-1": "6"}, app=app)
        assert plain.status_code == 301 and plain["Location"].startswith("https://")
        assert stored(attempt) == (4, 5)
    finally:
        autosave.policy_headers.cache_clear()


def test_a_host_this_site_does_not_serve_is_refused_as_django_refuses_it(started):
    alice, attempt, _ = started
    key = key_of(alice, attempt)
    headers = {"X-Autosave-Key": key, "HX-Request": "true", "Host": "elsewhere.example"}
    path = f"/a/{attempt.public_id}/save/"
    response = wsgi.post(path, {"q-st-1": "4", "s-st-1": "5"}, headers=headers)
    assert response.status_code == 400
    assert not Answer.objects.exists()


def test_a_multipart_form_goes_on_to_the_view(started):
    alice, attempt, _ = started
    key = key_of(alice, attempt)
    data = {"q-st-1": "4", "s-st-1": "5"}
    response = save(attempt, key, data, client=alice, content_type=MULTIPART_CONTENT)
    assert response.status_code == 200, response.content
    assert stored(attempt) == (4, 5)


def test_a_form_longer_than_a_question_goes_on_to_the_view_with_its_body(started):
    alice, attempt, _ = started
    key = key_of(alice, attempt)
    data = {"q-st-1": "4", "s-st-1": "5"} | {f"x-{n}": "1" for n in range(10)}
    response = save(attempt, key, data, client=alice)
    assert response.status_code == 200, response.content
    assert stored(attempt) == (4, 5)


def test_a_failure_goes_to_the_full_stack_and_is_logged(started, monkeypatch, caplog):
    alice, attempt, _ = started
    key = key_of(alice, attempt)

    def broken(secure):
        raise RuntimeError("out of memory")

    # It fails once the answer is written, as it builds the response.
    monkeypatch.setattr(autosave, "policy_headers", broken)
    response = save(attempt, key, {"q-st-1": "4", "s-st-1": "5"}, client=alice)
    # The view saved it again (the same sequence number: acknowledged) and answered.
    assert response.status_code == 200
    assert "Saved" in response.content.decode()
    assert stored(attempt) == (4, 5)
    assert "the fast path failed" in caplog.text and "out of memory" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_a_connection_past_its_age_is_replaced_as_django_replaces_it(version):
    """Around a fast save, what Django does around every request: a connection that
    outlived CONN_MAX_AGE is closed, and the save opens another."""
    alice = Client()
    alice.post("/start/", {"context": "growth", "lang": "en"})
    attempt = Attempt.objects.get()
    key = key_of(alice, attempt)
    connection.ensure_connection()
    old = connection.connection
    connection.close_at = time.monotonic() - 1
    response = wsgi.post(
        f"/a/{attempt.public_id}/save/",
        {"q-st-1": "4", "s-st-1": "5"},
        headers={"X-Autosave-Key": key, "HX-Request": "true"},
        real_connections=True,
    )
    assert response.status_code == 200
    assert connection.connection is not None and connection.connection is not old
    assert stored(attempt) == (4, 5)


def test_a_retry_is_acknowledged_and_an_older_answer_never_wins(started):
    alice, attempt, _ = started
    key = key_of(alice, attempt)
    assert save(attempt, key, {"q-st-1": "5", "s-st-1": "2000"}, htmx=False).json() == {
        "status": "saved",
        "message": "Saved",
    }
    # The same answer again (a retry whose acknowledgement was lost): saved, nothing changes.
    assert save(attempt, key, {"q-st-1": "5", "s-st-1": "2000"}, htmx=False).json()["status"] == (
        "saved"
    )
    # A stale tab's older choice arrives late: the newer one stays.
    late = save(attempt, key, {"q-st-1": "1", "s-st-1": "1500"})
    assert "A newer answer from another tab was kept." in late.content.decode()
    assert stored(attempt) == (5, 2000)
    assert save(attempt, key, {"q-st-1": "2", "s-st-1": "2500"}, htmx=False).json()["status"] == (
        "saved"
    )
    assert stored(attempt) == (2, 2500)


def test_no_opportunity_and_scenario_answers_are_stored_as_the_view_stores_them(started):
    alice, attempt, _ = started
    key = key_of(alice, attempt)
    save(attempt, key, {"q-le-1": "na", "s-le-1": "10"})
    doc_page = alice.get(f"/a/{attempt.public_id}/p/4/").content.decode()
    scenario = re.search(r'name="q-([\w-]+)-best" value="(\w+)"', doc_page)
    assert scenario, "page 4 of the mini instrument is its scenario"
    item, option = scenario[1], scenario[2]
    save(attempt, key, {f"q-{item}-best": option, f"s-{item}": "11"})
    assert stored(attempt, "le-1") == ("na", 10)
    assert stored(attempt, item) == ({"best": option}, 11)


def test_a_finished_attempt_refuses_through_the_view(started):
    alice, attempt, _ = started
    key = key_of(alice, attempt)
    finish_attempt(attempt=attempt)
    # Without the session nobody is told anything about the attempt.
    assert save(attempt, key, {"q-st-1": "4", "s-st-1": "5"}).status_code == 403
    # With it, the view says why.
    refused = save(attempt, key, {"q-st-1": "4", "s-st-1": "5"}, client=alice)
    assert refused.status_code == 409
    assert "Not saved" in refused.content.decode()
    assert not Answer.objects.filter(attempt=attempt, item_id="st-1").exists()


def test_an_expired_attempt_refuses(started):
    alice, attempt, _ = started
    key = key_of(alice, attempt)
    Attempt.objects.filter(pk=attempt.pk).update(expires_at=attempt.created_at)
    assert save(attempt, key, {"q-st-1": "4", "s-st-1": "5"}, client=alice).status_code == 409
    assert not Answer.objects.filter(attempt=attempt).exists()


def test_a_key_opens_only_its_own_attempt(started, bob):
    alice, attempt, _ = started
    key = key_of(alice, attempt)
    bobs = Attempt.objects.exclude(pk=attempt.pk).get()
    assert save(bobs, key, {"q-st-1": "4", "s-st-1": "5"}).status_code == 403
    assert not Answer.objects.exists()


@pytest.mark.parametrize(
    "mangle",
    [lambda key: key[:-2] + ("AA" if not key.endswith("AA") else "BB"), lambda key: "", str.upper],
    ids=["tampered", "empty", "mangled"],
)
def test_a_forged_key_saves_nothing(started, mangle):
    alice, attempt, _ = started
    key = key_of(alice, attempt)
    kept = autosave._verified.cache_info().currsize
    assert save(attempt, mangle(key), {"q-st-1": "4", "s-st-1": "5"}).status_code == 403
    assert not Answer.objects.exists()
    # Verified keys are kept to spare checking them again; a forged one takes no room.
    assert autosave._verified.cache_info().currsize == kept


def test_a_key_expires_and_the_session_still_saves(started, clock):
    alice, attempt, _ = started
    key = key_of(alice, attempt)
    assert save(attempt, key, {"q-st-1": "3", "s-st-1": "4"}).status_code == 200
    # Its signature was checked once; its age is checked on every save.
    clock.shift(autosave.MAX_AGE + 60)
    assert save(attempt, key, {"q-st-1": "4", "s-st-1": "5"}).status_code == 403
    assert save(attempt, key, {"q-st-1": "4", "s-st-1": "5"}, client=alice).status_code == 200
    assert stored(attempt) == (4, 5)


def test_pages_of_one_stretch_carry_one_key_and_each_lives_its_full_age(started, clock):
    """A key is signed once per stretch of REISSUE_AFTER seconds and given to every page
    of the attempt served in it; the one given last still saves MAX_AGE - REISSUE_AFTER
    later, and a page of the next stretch gets a new key."""
    alice, attempt, _ = started
    first = key_of(alice, attempt)
    left = autosave.REISSUE_AFTER - time.time() % autosave.REISSUE_AFTER
    clock.shift(left - 1)
    assert key_of(alice, attempt, number=3) == first
    clock.shift(1)
    later = key_of(alice, attempt)
    assert later != first
    clock.shift(-1 + autosave.MAX_AGE - autosave.REISSUE_AFTER)  # from the last page given
    assert save(attempt, first, {"q-st-1": "3", "s-st-1": "4"}).status_code == 200
    clock.shift(autosave.REISSUE_AFTER + 2 - left)  # MAX_AGE + 1 after it was signed
    assert save(attempt, first, {"q-st-1": "4", "s-st-1": "5"}).status_code == 403
    assert save(attempt, later, {"q-st-1": "4", "s-st-1": "5"}).status_code == 200
    assert stored(attempt) == (4, 5)


def test_a_refused_answer_gets_its_reason(started):
    alice, attempt, _ = started
    key = key_of(alice, attempt)
    response = save(attempt, key, {"q-st-1": "9", "s-st-1": "5"}, client=alice)
    assert response.status_code == 400
    assert "That is not a possible answer" in response.content.decode()
    assert response["HX-Reswap"] == "innerHTML"
    assert not Answer.objects.exists()


def test_the_answer_speaks_the_attempts_language(started):
    alice, attempt, _ = started
    Attempt.objects.filter(pk=attempt.pk).update(locale="fr")
    key = key_of(alice, attempt)
    response = save(attempt, key, {"q-st-1": "4", "s-st-1": "5"})
    assert '<span class="saved">Enregistré</span>' in response.content.decode()
    assert "1 questions répondues sur 14" in response.content.decode()
    assert response["Content-Language"] == "fr"


def test_deep_dive_answers_need_the_deep_dive_open(db):
    loaded = load_bytes(mini_with_deep_dive().encode(), "mini-deep.yaml")
    import_instrument(loaded=loaded, name="mini-deep.yaml")
    alice = Client()
    alice.post("/start/", {"context": "growth", "lang": "en"})
    attempt = Attempt.objects.get()
    key = key_of(alice, attempt, number=1)
    # A deep-dive question while the core is open: refused by the view, with its reason.
    refused = save(attempt, key, {"q-check-revenue": "yes", "s-check-revenue": "5"}, client=alice)
    assert refused.status_code == 400
    finish_attempt(attempt=attempt)
    alice.post(f"/a/{attempt.public_id}/deep/")
    deep_key = key_of(alice, attempt, number=FIRST_DEEP)
    html = alice.get(f"/a/{attempt.public_id}/p/{FIRST_DEEP}/").content.decode()
    best = re.search(r'name="q-sjt-costs-best" value="(\w+)"', html)[1]
    response = save(attempt, deep_key, {"q-sjt-costs-best": best, "s-sjt-costs": "7"})
    assert response.status_code == 200, response.content
    assert 'max="2" value="1"' in response.content.decode()  # the deep-dive's 2 questions
    # A core question of the finished core: closed, whatever the key.
    assert save(attempt, deep_key, {"q-st-1": "4", "s-st-1": "9"}, client=alice).status_code == 409
