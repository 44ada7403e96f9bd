"""Readiness respects its error and the experience it presumes; the plan covers everyone."""

import re

import pytest
from django.urls import reverse

from ctoready.instruments.services import document_for
from ctoready.reports.assembly import Interval
from ctoready.reports.readiness import readiness_reading
from ctoready.reports.reportview import build_report_view
from ctoready.reports.services import latest_report
from ctoready.testing import finished_attempt, own

# The board, budget and supplier items, by id or wording (the items' texts may be reworded).
BOARD_BUDGET_SUPPLIER = re.compile(r"board|investor|budget|supplier|senior-update", re.IGNORECASE)
EXPERIENCED_BUT_NO_BOARD_OR_BUDGET = {
    "bg-leadership-years": "2-to-5",
    "bg-team-size": "6-to-15",
    "bg-managed-managers": "managed",
    "bg-budget": "none",
    "bg-board-exposure": "none",
    "bg-stage-now": "growth",
}


def often_everywhere(doc, background):
    """'Often' on every Likert item in its keyed direction ('Rarely' for a reverse-keyed
    counter-behaviour), 'no opportunity yet' on the board, budget and supplier ones."""
    answers = {}
    for item in doc.items:
        if item.type == "likert":
            often = 2 if item.reverse else 4
            board_budget_supplier = BOARD_BUDGET_SUPPLIER.search(f"{item.id} {item.text}")
            answers[item.id] = "na" if board_budget_supplier else often
        elif item.type == "scenario":
            answers[item.id] = {"best": item.options[0].id, "worst": item.options[1].id}
        elif item.type == "background":
            answers[item.id] = background.get(item.id, item.options[-1].id)
        else:
            answers[item.id] = item.options[0].id
    return answers


def view_of(attempt):
    return build_report_view(attempt=attempt, report=latest_report(attempt))


def page_of(attempt):
    from django.test import Client

    response = own(Client(), attempt).get(reverse("reports:report", args=[attempt.public_id]))
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def test_often_everywhere_without_board_or_budget_is_held_at_the_level_its_gates_allow(shipped):
    doc = document_for(shipped)
    answers = often_everywhere(doc, EXPERIENCED_BUT_NO_BOARD_OR_BUDGET)
    attempt = finished_attempt(shipped, answers, context="growth")
    view = view_of(attempt)
    assert view.summary.value.score >= 65, "the score alone reaches 'Ready with support'"
    labels = [level.label for level in doc.readiness_levels]
    assert labels.index(view.readiness.level.label) <= labels.index("Developing")
    assert labels.index(view.readiness.upper.label) <= labels.index("Developing")
    assert view.readiness.capped_from.label == "Ready with support"
    assert "owning a budget" in view.readiness.missing
    assert "some contact with a board or investors" in view.readiness.missing
    assert "leading other managers" not in view.readiness.missing  # they have
    page = page_of(attempt)
    assert "Your score alone would reach “Ready with support”" in page
    assert "owning a budget; some contact with a board or investors" in page
    assert "experience to gain, not a weakness" in page


def test_with_the_experience_the_same_answers_reach_the_level(shipped):
    doc = document_for(shipped)
    background = {
        **EXPERIENCED_BUT_NO_BOARD_OR_BUDGET,
        "bg-budget": "100k-to-1m",
        "bg-board-exposure": "attended",
    }
    view = view_of(finished_attempt(shipped, often_everywhere(doc, background), context="growth"))
    assert view.readiness.capped_from is None
    assert view.readiness.level.label == "Ready with support"


MET = {
    "bg-leadership-years": "over-10",
    "bg-team-size": "over-150",
    "bg-managed-managers": "hired-and-managed",
    "bg-budget": "over-10m",
    "bg-board-exposure": "regular",
}


def test_a_range_that_crosses_a_cut_off_names_both_levels(shipped):
    doc = document_for(shipped)
    met = MET
    reading = readiness_reading(doc, Interval(60, 50, 70), met)
    assert (reading.lower.label, reading.upper.label) == ("Developing", "Ready with support")
    assert reading.straddles and reading.level.label == "Developing"
    inside = readiness_reading(doc, Interval(55, 48, 62), met)
    assert not inside.straddles and inside.level.label == "Developing"
    # Without board or budget, the upper end is held back too, and nothing straddles.
    held = readiness_reading(doc, Interval(60, 50, 70), EXPERIENCED_BUT_NO_BOARD_OR_BUDGET)
    assert not held.straddles and held.missing


def test_straddling_range_is_named_on_the_page(shipped):
    doc = document_for(shipped)
    answers = often_everywhere(doc, MET)
    for item in doc.likert_items[::3]:
        answers[item.id] = 3
    attempt = finished_attempt(shipped, answers, context="growth")
    view = view_of(attempt)
    if view.readiness.straddles:
        assert f"between “{view.readiness.lower.label}” and “{view.readiness.upper.label}”" in (
            page_of(attempt)
        )
    else:
        pytest.fail(f"expected a straddling range, got {view.summary.value}")


def test_flat_profile_gets_a_plan_for_its_two_lowest_areas(shipped):
    doc = document_for(shipped)
    answers = often_everywhere(doc, EXPERIENCED_BUT_NO_BOARD_OR_BUDGET)
    answers.update({i.id: 3 for i in doc.likert_items})
    attempt = finished_attempt(shipped, answers, context="growth")
    view = view_of(attempt)
    assert not view.developments
    lowest = [p for p in view.area_plans if p.reason == "lowest"]
    assert len(lowest) == 2 and all(p.groups for p in lowest)
    assert any(w.personal for w in view.weeks), "the lowest areas reach the 90-day plan"
    page = page_of(attempt)
    assert "your lowest areas, not clearly below your average" in page


def test_experience_gaps_get_actions_too(shipped):
    doc = document_for(shipped)
    answers = often_everywhere(doc, EXPERIENCED_BUT_NO_BOARD_OR_BUDGET)
    view = view_of(finished_attempt(shipped, answers, context="growth"))
    gaps = {g.scale.id for g in view.gaps}
    assert gaps, "the board, budget and supplier items left gaps to act on"
    assert gaps <= {p.scale_id for p in view.area_plans}, "every gap gets actions"
    for plan in view.area_plans:
        assert plan.reason in ("lowest", "gap") and plan.groups
        assert plan.reason == "lowest" or plan.scale_id in gaps
    assert "owning a budget" in view.next_experience or view.readiness.missing


@pytest.mark.parametrize(
    ("answer", "reached"),
    [
        ({"bg-managed-managers": "hired-and-managed"}, 4),
        ({"bg-managed-managers": "no", "bg-team-size": "1-to-5"}, 2),
        ({"bg-managed-managers": "no", "bg-team-size": "none", "bg-leadership-years": "none"}, 0),
    ],
)
def test_path_marks_the_stages_the_background_answers_show(shipped, answer, reached):
    doc = document_for(shipped)
    answers = often_everywhere(doc, {**EXPERIENCED_BUT_NO_BOARD_OR_BUDGET, **answer})
    answers.update(answer)
    if reached < 4:
        answers.update({"bg-leadership-years": "under-2" if reached else "none"})
    view = view_of(finished_attempt(shipped, answers, context="growth"))
    assert [s.reached for s in view.path] == [i < reached for i in range(len(view.path))]
    titles = [s.title for s in view.path]
    assert titles[3] == "Head of engineering, director or VP"
