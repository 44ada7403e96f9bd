"""Retaking: a new attempt linked to the old one, a comparison, and a history over time."""

import re

from django.urls import NoReverseMatch, reverse

from ctoready.assessments.models import Attempt
from ctoready.testing import MINI_ANSWERS, finished_attempt, own


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def flow_start(attempt: Attempt) -> str:
    try:
        return reverse("attempt_page", kwargs={"public_id": attempt.public_id, "number": 1})
    except NoReverseMatch:
        return reverse("home")


def test_retake_starts_linked_attempt_and_remembers_it(alice, alice_attempt):
    response = alice.post(reverse("reports:retake", args=[alice_attempt.public_id]))
    new = Attempt.objects.exclude(pk=alice_attempt.pk).get(previous=alice_attempt)
    assert response.status_code == 302
    assert response["Location"] == flow_start(new)
    assert new.context == alice_attempt.context and new.email == alice_attempt.email
    assert new.status == Attempt.Status.IN_PROGRESS
    assert new.pk in alice.session["attempts"]


def test_retake_needs_post_and_ownership(alice, bob, alice_attempt):
    url = reverse("reports:retake", args=[alice_attempt.public_id])
    assert alice.get(url).status_code == 405
    assert bob.post(url).status_code == 404
    assert not Attempt.objects.filter(previous=alice_attempt).exists()


def test_later_report_compares_each_scale_with_previous(mini, client):
    before = finished_attempt(mini, MINI_ANSWERS, context="growth")
    grown = {**MINI_ANSWERS, "le-1": 5, "le-2": 5, "le-3": 1}
    after = finished_attempt(mini, grown, context="growth", previous=before)
    own(client, before, after)
    page = text(client.get(reverse("reports:report", args=[after.public_id])))
    section = page[
        page.index("Since your previous assessment") : page.index("Situational judgement")
    ]
    assert '<th scope="row">Team leadership</th>' in section
    assert "Higher, beyond measurement error" in section
    assert "No clear change" in section  # strategy stayed the same
    assert "Not enough answers on both occasions to compare" in section  # resilience


def test_first_report_has_no_comparison(alice, alice_attempt):
    assert "Since your previous assessment" not in text(
        alice.get(reverse("reports:report", args=[alice_attempt.public_id]))
    )


def test_shared_report_leaves_out_the_comparison(mini, client, visitor):
    from ctoready.assessments.models import Link
    from ctoready.assessments.services import create_link

    before = finished_attempt(mini, MINI_ANSWERS, context="growth")
    after = finished_attempt(mini, MINI_ANSWERS, context="growth", previous=before)
    token = create_link(attempt=after, purpose=Link.Purpose.SHARE)
    assert "Since your previous assessment" not in text(
        visitor.get(reverse("reports:shared", args=[token]))
    )


def test_history_lists_owned_attempts_with_trend(mini, client, bob_attempt):
    first = finished_attempt(mini, MINI_ANSWERS, context="growth")
    grown = {**MINI_ANSWERS, "le-1": 5, "le-2": 5, "le-3": 1}
    second = finished_attempt(mini, grown, context="growth", previous=first)
    own(client, first, second)
    response = client.get(reverse("reports:history"))
    assert response.status_code == 200
    page = text(response)
    assert page.count("<h1") == 1
    assert reverse("reports:report", args=[first.public_id]) in page
    assert reverse("reports:report", args=[second.public_id]) in page
    assert reverse("reports:report", args=[bob_attempt.public_id]) not in page
    leadership = page[page.index('<th scope="row">Team leadership</th>') :].split("</tr>")[0]
    assert "Higher, beyond measurement error" in leadership
    assert "<polyline" in leadership


def test_history_for_a_stranger_is_empty(visitor, alice_attempt):
    page = text(visitor.get(reverse("reports:history")))
    assert "You have no finished assessments" in page
    assert alice_attempt.public_id not in page
