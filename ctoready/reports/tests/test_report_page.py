"""The owner's report page: content in order, honest wording, and who may see it."""

import re

import pytest
from django.urls import reverse

from ctoready.assessments.models import Attempt
from ctoready.reports.tests.conftest import answers_for
from ctoready.scoring import ENGINE_VERSION
from ctoready.testing import MINI_ANSWERS, finished_attempt, own


def url(attempt: Attempt) -> str:
    return reverse("reports:report", args=[attempt.public_id])


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def between(page: str, start: str, end: str) -> str:
    """The part of ``page`` from ``start`` up to ``end``."""
    return page[page.index(start) : page.index(end)]


def test_owner_sees_report_sections_in_order(alice, alice_attempt):
    response = alice.get(url(alice_attempt))
    assert response.status_code == 200
    page = text(response)
    headings = [
        "Your readiness in brief",
        "Your profile across the role",
        "Strengths and development areas",
        "Situational judgement",
        "Where your strengths naturally lie",
        "Your readiness self-check",
        "Your development plan",
        "Compared with others",
        "What these scores can and cannot tell you",
    ]
    positions = [page.index(h) for h in headings]
    assert positions == sorted(positions)
    assert page.count("<h1") == 1


def test_summary_names_context_score_interval_level_and_versions(alice, alice_attempt):
    page = text(alice.get(url(alice_attempt)))
    # growth: readiness 50 (35–65) for the mini answers.
    assert (
        "Your readiness for a CTO role at <strong>Growth stage</strong> is "
        "<strong>50 out of 100</strong>" in page
    )
    assert "between 35 and 65 (95% range)" in page
    # 35–65 crosses the cut-offs at 45 and 65: both ends are named, not "Developing" alone.
    assert "between “Building foundations” and “Ready with support”" in page
    assert "Mini readiness check 1.0.0 (en)" in page
    assert f"Scoring engine: {ENGINE_VERSION}" in page


def test_strength_and_development_named_with_band_narrative(alice, alice_attempt):
    page = text(alice.get(url(alice_attempt)))
    strengths = between(page, "<h3>Strengths</h3>", "<h3>Development areas</h3>")
    assert "Technology strategy" in strengths and "You set direction." in strengths
    development = between(page, "<h3>Development areas</h3>", "Not scored")
    assert "Team leadership" in development and "Low." in development


def test_no_opportunity_is_an_experience_gap_not_a_weakness(alice, alice_attempt):
    page = text(alice.get(url(alice_attempt)))
    development = page[
        page.index("<h3>Development areas</h3>") : page.index("Experience still to gain")
    ]
    assert "Resilience" not in development.split("Not scored")[0]
    assert "There were not enough answers to score <strong>Resilience</strong>" in page
    gaps = between(page, "Experience still to gain", "Your other areas")
    assert "Resilience" in gaps and "2 questions" in gaps


def test_no_clear_difference_is_said_plainly(mini, visitor):
    flat = {**MINI_ANSWERS, "le-1": 4, "le-2": 4, "le-3": 2, "st-1": 4, "st-2": 4, "st-3": 2}
    attempt = finished_attempt(mini, flat, context="growth")
    page = text(own(visitor, attempt).get(url(attempt)))
    assert "there is no clear strength to name" in page
    assert "there is no clear development area to name" in page


def test_radar_is_accessible_svg_with_data_table(alice, alice_attempt):
    page = text(alice.get(url(alice_attempt)))
    assert '<svg class="radar-chart"' in page
    assert 'role="img" aria-labelledby="radar-title radar-desc"' in page
    assert '<title id="radar-title">' in page and '<desc id="radar-desc">' in page
    assert "<caption>Your score on each area (0–100) with its 95% range</caption>" in page
    assert " style=" not in page and "<style" not in page and "<script" not in page


def test_judgement_shows_picks_against_the_key_with_reasons(alice, alice_attempt):
    page = text(alice.get(url(alice_attempt)))
    section = between(page, "Situational judgement", "Where your strengths")
    assert "Tag spend by team and review monthly." in section
    assert "(agrees with the key)" in section
    assert "Why: Makes cost visible where decisions are made." in section
    assert "Freeze all new services." in section  # experts' least effective
    assert "not enough for a judgement index" in section  # one scenario only


def test_fit_shows_preferences_and_scores_apart_then_together(alice, alice_attempt):
    page = text(alice.get(url(alice_attempt)))
    section = between(page, "Where your strengths", "Your readiness self-check")
    assert "You chose CTO activities in 1 of 1 question." in section
    assert "Your scores and your preferences agree: both lean CTO." in section
    assert "CTO comes first, but only as a tendency" in section
    assert ": fit " not in section  # no 0-100 number without a lead beyond error
    assert "<strong>Fractional CTO</strong>" in section


def test_self_check_reflects_answer_against_scales(alice, alice_attempt):
    page = text(alice.get(url(alice_attempt)))
    section = between(page, "Your readiness self-check", "Your development plan")
    assert "Can you explain how technology strategy connects to revenue?" in section
    assert "You answered: <strong>Partly</strong>" in section
    assert "Technology strategy 82 (57–95)" in section


def test_plan_has_70_20_10_actions_weeks_and_path(alice, alice_attempt):
    page = text(alice.get(url(alice_attempt)))
    plan = between(page, "Your development plan", "Compared with others")
    assert "Run a hiring loop." in plan and "Shadow a manager." in plan
    assert "Experience (70%)" in plan and "Exposure (20%)" in plan and "Education (10%)" in plan
    assert plan.count('class="week"') == 13
    week2 = plan[plan.index("Week 2</strong>") : plan.index("Week 3</strong>")]
    assert "Meet every engineer." in week2 and "for you: Team leadership" in week2
    assert "Map the architecture." not in plan  # strategy is a strength, not a development area
    assert "Lead a team" in plan and "Own a budget" in plan


def test_only_resolving_guide_links_are_rendered(alice, alice_attempt):
    page = text(alice.get(url(alice_attempt)))
    guide_links = re.findall(r'href="(/guides/[^"]*)"', page)
    assert "/guides/what-a-cto-does/#technology-strategy" in guide_links
    for link in guide_links:
        path, _, _anchor = link.partition("#")
        assert alice.get(path).status_code == 200


def test_no_percentiles_below_reference_minimum(alice, alice_attempt):
    page = text(alice.get(url(alice_attempt)))
    assert "No percentiles are shown: only 1 person has finished this version" in page
    assert "at least 300" in page
    assert "percentile</strong>" not in page


def test_limits_section_warns_about_leniency_raters_and_hiring(alice, alice_attempt):
    page = text(alice.get(url(alice_attempt)))
    assert "Self-ratings tend to run lenient" in page
    assert "invite a manager, peers and people you lead" in page
    assert "not designed or validated for hiring" in page


def test_private_headers(alice, alice_attempt):
    response = alice.get(url(alice_attempt))
    assert response["Cache-Control"] == "no-store"


def test_another_persons_report_is_404(bob, alice_attempt):
    assert bob.get(url(alice_attempt)).status_code == 404


def test_anonymous_visitor_gets_404(visitor, alice_attempt):
    assert visitor.get(url(alice_attempt)).status_code == 404


def test_unknown_attempt_is_404(alice):
    assert alice.get(reverse("reports:report", args=["nope"])).status_code == 404


def test_unfinished_attempt_shows_not_ready(mini, visitor):
    from ctoready.assessments.services import start_attempt

    attempt, _ = start_attempt(version=mini, context="seed", locale="en")
    response = own(visitor, attempt).get(url(attempt))
    assert response.status_code == 200
    assert "Your report is not ready yet" in response.content.decode()


def test_logged_in_owner_sees_report_from_any_browser(mini, client, django_user_model):
    user = django_user_model.objects.create_user("carol", password="x-long-password-1")
    attempt = finished_attempt(mini, MINI_ANSWERS, owner=user)
    client.force_login(user)
    assert client.get(url(attempt)).status_code == 200


@pytest.mark.slow
def test_shipped_instrument_report_end_to_end(shipped, visitor):
    from ctoready.instruments.services import document_for

    doc = document_for(shipped)
    attempt = finished_attempt(shipped, answers_for(doc, seed=7), context="seed")
    response = own(visitor, attempt).get(url(attempt))
    assert response.status_code == 200
    page = text(response)
    for scale in doc.scales:
        assert scale.name.replace("&", "&amp;") in page
    assert page.count('class="week"') == len(doc.first_90_days) == 13
    assert page.count('<div class="scenario">') == len(doc.items_of("scenario"))
    assert "Chief Technology Officer" in page and "Startup CTO" in page
