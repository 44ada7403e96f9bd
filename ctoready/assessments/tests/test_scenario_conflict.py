"""A scenario's same option as most and least effective: refused, said next to the
question, never a stuck page."""

import pytest

from ctoready.assessments import services

pytestmark = pytest.mark.django_db

SCENARIO = "sjt-costs"


def page_url(attempt, number=4):
    return f"/a/{attempt.public_id}/p/{number}/"


def test_page_post_with_the_same_option_twice_says_so_next_to_the_question(started):
    alice, attempt, _ = started
    response = alice.post(
        page_url(attempt),
        {"seq": "5", f"q-{SCENARIO}-best": "a", f"q-{SCENARIO}-worst": "a", "go": "next"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    status = html[html.index(f'id="st-{SCENARIO}"') :].split("</p>")[0]
    assert "Not saved — Choose a different option as least effective" in status
    # What was chosen is shown again, so nothing typed is lost from the page.
    assert f'name="q-{SCENARIO}-best" value="a" checked' in html
    assert services.answers_of(attempt) == {}


def test_page_post_refusal_keeps_the_other_answers_on_the_page(started):
    alice, attempt, _ = started
    response = alice.post(
        page_url(attempt, 5),
        {"seq": "5", "q-pref-role": "a", "q-pref-type": "zzz", "go": "next"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'name="q-pref-role" value="a" checked' in html
    assert services.answers_of(attempt) == {}


def test_autosave_refusal_says_not_saved_with_the_reason(started):
    alice, attempt, _ = started
    response = alice.post(
        f"/a/{attempt.public_id}/save/",
        {f"s-{SCENARIO}": "7", f"q-{SCENARIO}-best": "b", f"q-{SCENARIO}-worst": "b"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert "Not saved — Choose a different option" in response.content.decode()
    assert services.answers_of(attempt) == {}


def test_another_persons_scenario_page_is_404(started, bob):
    _, attempt, _ = started
    response = bob.post(
        page_url(attempt), {"seq": "5", f"q-{SCENARIO}-best": "a", f"q-{SCENARIO}-worst": "a"}
    )
    assert response.status_code == 404
