"""Role and type fit say what they rest on: preferences and scores apart, then together."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ctoready.instruments.services import document_for
from ctoready.reports.reportview import build_report_view
from ctoready.reports.services import latest_report
from ctoready.testing import finished_attempt, own


@pytest.fixture(autouse=True)
def _english():
    # The readings are built outside a request here: pin the language an earlier test
    # may have left active.
    with translation.override("en"):
        yield


VPE_SCALES = {"leadership", "emotional-intelligence", "resilience"}
CTO_SCALES = {"strategy", "architecture", "strategic-thinking"}


def shaped(doc, high: set[str], low: set[str], role_picks: dict[str, str], background=None):
    """Keyed answers: 'almost always' on ``high`` scales, 'rarely' on ``low``, else 'sometimes'."""
    answers = {}
    for item in doc.items:
        if item.type == "likert":
            level = 5 if item.scale in high else 2 if item.scale in low else 3
            answers[item.id] = 6 - level if item.reverse else level
        elif item.type == "scenario":
            answers[item.id] = {"best": item.options[0].id, "worst": item.options[1].id}
        elif item.type == "preference":
            wanted = role_picks.get(item.dimension or "", "")
            pick = [o for o in item.options if o.points_to == wanted] or list(item.options)
            answers[item.id] = pick[0].id
        else:
            answers[item.id] = (background or {}).get(item.id, item.options[-1].id)
    return answers


def page(attempt) -> str:
    response = own(Client(), attempt).get(reverse("reports:report", args=[attempt.public_id]))
    return re.sub(r"\s+", " ", response.content.decode())


def test_vpe_shaped_person_with_two_cto_picks_sees_the_conflict_named(shipped):
    doc = document_for(shipped)
    answers = shaped(doc, VPE_SCALES, CTO_SCALES, {"cto_type": "startup"})
    role_items = [i for i in doc.items_of("preference") if i.dimension == "role"]
    assert len(role_items) == 3
    for item in role_items[:2]:
        answers[item.id] = next(o.id for o in item.options if o.points_to == "cto")
    answers[role_items[2].id] = next(o.id for o in role_items[2].options if o.points_to == "vpe")
    attempt = finished_attempt(shipped, answers, context="growth")
    reading = build_report_view(attempt=attempt, report=latest_report(attempt)).role_reading
    assert (
        reading.preference == "You chose Chief Technology Officer activities in 2 of 3 questions."
    )
    assert reading.scores_lean == "VP of Engineering"
    assert reading.preference_lean == "Chief Technology Officer"
    text = page(attempt)
    assert (
        "Your scores lean VP of Engineering, your preferences lean Chief Technology Officer."
        in text
    )
    assert "What you told us energises you" in text and "What your scores suggest" in text


def test_agreement_is_named_when_scores_and_preferences_point_the_same_way(shipped):
    doc = document_for(shipped)
    answers = shaped(doc, VPE_SCALES, CTO_SCALES, {"role": "vpe", "cto_type": "startup"})
    attempt = finished_attempt(shipped, answers, context="growth")
    assert "Your scores and your preferences agree: both lean VP of Engineering." in page(attempt)


def test_without_a_clear_lead_no_fit_number_is_shown(shipped):
    doc = document_for(shipped)
    flat = shaped(doc, set(), set(), {})  # first options: one pick each for cto, vpe and cio
    attempt = finished_attempt(shipped, flat, context="growth")
    view = build_report_view(attempt=attempt, report=latest_report(attempt))
    assert not view.role_fit.clearly_ahead
    text = page(attempt)
    section = text[text.index("Where your strengths naturally lie") :]
    section = section[: section.index("</section>")]
    assert ": fit " not in section, "no 0-100 fit without a lead beyond error"
    assert "Taking both together" in section


def test_fractional_reading_notes_it_follows_senior_roles(shipped):
    doc = document_for(shipped)
    junior = {"bg-leadership-years": "under-2", "bg-managed-managers": "no"}
    answers = shaped(doc, set(), set(), {"role": "cto", "cto_type": "fractional"}, junior)
    attempt = finished_attempt(shipped, answers, context="growth")
    view = build_report_view(attempt=attempt, report=latest_report(attempt))
    assert view.type_reading.preference_lean == "Fractional CTO"
    assert "usually follows earlier senior roles" in view.type_reading.note
    senior = {"bg-leadership-years": "over-10", "bg-managed-managers": "hired-and-managed"}
    answers = shaped(doc, set(), set(), {"role": "cto", "cto_type": "fractional"}, senior)
    attempt = finished_attempt(shipped, answers, context="growth")
    view = build_report_view(attempt=attempt, report=latest_report(attempt))
    assert view.type_reading.note is None
