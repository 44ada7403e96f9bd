"""Autosave with the page's key: no session, one statement, and every guarantee kept.

A browser with no cookies at all stands for "the session was not read": only the key
can let it save. Whatever the key cannot settle goes on to the view, which answers as
it always did (and, without a session, with 404).
"""

import re

import pytest
from django.test import Client

from ctoready.assessments import autosave
from ctoready.assessments.models import Answer, Attempt
from ctoready.instruments.loader import load_bytes
from ctoready.instruments.services import import_instrument
from ctoready.reports.services import finish_attempt
from ctoready.testing import mini_with_deep_dive

FIRST_DEEP = 5  # the scenario page, first of the deep-dive in mini_with_deep_dive()

pytestmark = pytest.mark.django_db


def key_of(client, attempt, number=2):
    html = client.get(f"/a/{attempt.public_id}/p/{number}/").content.decode()
    found = re.search(r'hx-headers=\'\{"X-Autosave-Key": "([^"]+)"\}\'', html)
    assert found, "the page carries its autosave key"
    return found[1]


def save(attempt, key, data, client=None, htmx=True):
    headers = {"HTTP_X_AUTOSAVE_KEY": key}
    if htmx:
        headers["HTTP_HX_REQUEST"] = "true"
    return (client or Client()).post(f"/a/{attempt.public_id}/save/", data, **headers)


def stored(attempt, item_id="st-1"):
    return Answer.objects.filter(attempt=attempt, item_id=item_id).values_list("value", "seq").get()


def test_a_browser_with_only_the_key_saves_in_one_statement_and_a_count(
    started, django_assert_num_queries
):
    alice, attempt, _ = started
    key = key_of(alice, attempt)
    with django_assert_num_queries(2):  # the upsert, and the progress count
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
    assert save(attempt, key, {"q-st-1": "4", "s-st-1": "5"}).status_code == 404
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
    assert save(bobs, key, {"q-st-1": "4", "s-st-1": "5"}).status_code == 404
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
    assert save(attempt, mangle(key), {"q-st-1": "4", "s-st-1": "5"}).status_code == 404
    assert not Answer.objects.exists()
    # Verified keys are kept to spare checking them again; a forged one takes no room.
    assert autosave._verified.cache_info().currsize == kept


def test_a_key_expires_and_the_session_still_saves(started, clock):
    alice, attempt, _ = started
    key = key_of(alice, attempt)
    assert save(attempt, key, {"q-st-1": "3", "s-st-1": "4"}).status_code == 200
    # Its signature was checked once; its age is checked on every save.
    clock.shift(autosave.MAX_AGE + 60)
    assert save(attempt, key, {"q-st-1": "4", "s-st-1": "5"}).status_code == 404
    assert save(attempt, key, {"q-st-1": "4", "s-st-1": "5"}, client=alice).status_code == 200
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
