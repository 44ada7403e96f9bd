"""Two parts: the core ends in the full report; the optional deep-dive updates it."""

import pytest
from django.test import Client

from ctoready.assessments import services
from ctoready.assessments.models import Attempt, PageVisit
from ctoready.instruments.loader import load_bytes
from ctoready.instruments.services import import_instrument
from ctoready.reports.models import Report
from ctoready.testing import mini_with_deep_dive

pytestmark = pytest.mark.django_db

CORE_PAGES, FIRST_DEEP = 4, 5


@pytest.fixture
def deep_version(db):
    loaded = load_bytes(mini_with_deep_dive().encode(), "mini-deep.yaml")
    return import_instrument(loaded=loaded, name="mini-deep.yaml").version


@pytest.fixture
def alice(deep_version):
    client = Client()
    client.post("/start/", {"context": "growth", "lang": "en"})
    return client, Attempt.objects.latest("pk")


def page_url(attempt, number):
    return f"/a/{attempt.public_id}/p/{number}/"


def test_progress_and_time_left_count_the_core_only(alice):
    client, attempt = alice
    html = client.get(page_url(attempt, 1)).content.decode()
    assert f"Page 1 of {CORE_PAGES}" in html
    # 14 questions, of which 2 are in the deep-dive
    assert '<span id="answered-count">0</span> of 12 answered' in html


def test_the_last_core_page_leads_to_the_review_with_the_offer(alice):
    client, attempt = alice
    response = client.post(page_url(attempt, CORE_PAGES), {"seq": "1", "go": "next"})
    assert response["Location"] == f"/a/{attempt.public_id}/review/"
    html = client.get(response["Location"]).content.decode()
    assert "more minute" in html and "1 more situations and the readiness self-check" in html
    assert 'value="deep"' in html


def test_deep_dive_pages_stay_closed_until_the_core_is_finished(alice):
    client, attempt = alice
    response = client.get(page_url(attempt, FIRST_DEEP))
    assert response.status_code == 302 and response["Location"] == f"/a/{attempt.public_id}/"
    with pytest.raises(services.FlowError) as refused:
        services.save_answer(attempt=attempt, item_id="check-revenue", value="yes", seq=1)
    assert refused.value.code == "wrong_part"


def test_core_report_says_what_the_deep_dive_would_add(alice):
    client, attempt = alice
    client.post(page_url(attempt, 2), {"q-st-1": "5", "q-le-1": "3", "seq": "1", "go": "next"})
    response = client.post(f"/a/{attempt.public_id}/finish/", follow=True)
    html = response.content.decode()
    assert "This report comes from the core of the assessment" in html
    assert "Take the deep-dive" in html
    assert 'id="judgement-title"' not in html and 'id="selfcheck-title"' not in html
    assert Report.objects.get().scores.get("judgement") is None


def test_deep_dive_updates_the_report_with_judgement_and_self_check(alice):
    client, attempt = alice
    response = client.post(f"/a/{attempt.public_id}/finish/", {"then": "deep"})
    assert response["Location"] == f"/a/{attempt.public_id}/"
    assert client.get(response["Location"])["Location"] == page_url(attempt, FIRST_DEEP)
    html = client.get(page_url(attempt, FIRST_DEEP)).content.decode()
    assert "Page 1 of 2" in html and "Deep-dive" in html
    # The core's answers are fixed now; the deep-dive's can be given.
    with pytest.raises(services.FlowError):
        services.save_answer(attempt=attempt, item_id="st-1", value=2, seq=5)
    client.post(page_url(attempt, FIRST_DEEP), {"q-sjt-costs-best": "b", "seq": "2"})
    client.post(page_url(attempt, FIRST_DEEP + 1), {"q-check-revenue": "yes", "seq": "3"})
    html = client.post(f"/a/{attempt.public_id}/finish/", follow=True).content.decode()
    assert 'id="judgement-title"' in html and 'id="selfcheck-title"' in html
    assert "Take the deep-dive" not in html
    attempt.refresh_from_db()
    assert attempt.deep_seconds is not None and attempt.core_seconds is not None
    assert Report.objects.filter(attempt=attempt).count() == 2
    parts = {v.page_id: v.part for v in PageVisit.objects.filter(attempt=attempt)}
    assert parts["s1"] == "deep" and parts["about"] == "core"


def test_back_on_the_first_deep_page_never_reopens_the_core(alice):
    client, attempt = alice
    client.post(f"/a/{attempt.public_id}/finish/", {"then": "deep"})
    response = client.post(page_url(attempt, FIRST_DEEP), {"seq": "1", "go": "back"})
    assert response["Location"] == page_url(attempt, FIRST_DEEP + 1)


def test_starting_the_deep_dive_needs_the_attempt(alice):
    client, attempt = alice
    client.post(f"/a/{attempt.public_id}/finish/")
    stranger = Client()
    assert stranger.post(f"/a/{attempt.public_id}/deep/").status_code == 404
    attempt.refresh_from_db()
    assert attempt.deep_started_at is None


def test_scenario_options_keep_the_attempts_shuffled_order(alice):
    client, attempt = alice
    order = attempt.option_order["sjt-costs"]
    assert sorted(order) == ["a", "b", "c", "d"]
    client.post(f"/a/{attempt.public_id}/finish/", {"then": "deep"})
    html = client.get(page_url(attempt, FIRST_DEEP)).content.decode()
    positions = [html.index(f'id="o-sjt-costs-{ref}"') for ref in order]
    assert positions == sorted(positions)
    assert Report.objects.get().data["option_order"] == attempt.option_order
