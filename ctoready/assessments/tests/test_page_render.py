"""A page's questions come from blank forms rendered once; the candidate's answers are put
in per request. The result must be exactly what rendering each question in full gives."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from ctoready.assessments import pages, services
from ctoready.assessments.models import Attempt
from ctoready.instruments.services import document_for

pytestmark = pytest.mark.django_db


def full_render(q, context):
    template = pages.TEMPLATES.get(q.item.type, "assessments/_choice.html")
    return render_to_string(
        template,
        {
            "q": q,
            "stem": context["stem"],
            "autosave_url": context["autosave_url"],
            "seq": context["seq"],
        },
    )


def every_page(attempt):
    doc = document_for(attempt.version)
    request = RequestFactory().get("/")
    for number, page in enumerate(doc.pages, start=1):
        yield pages.page_context(request, attempt, doc, number, page.items)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_questions_from_blanks_equal_questions_rendered_in_full(started, language):
    _, attempt, _ = started
    attempt = Attempt.objects.select_related("version").get(pk=attempt.pk)
    doc = document_for(attempt.version)
    scenario = next(item for item in doc.items_of("scenario"))
    first, second = attempt.options_of(scenario)[:2]
    answers = {
        "st-1": 4,  # a Likert point
        "le-1": "na",  # no opportunity
        scenario.id: {"best": first.id, "worst": second.id},
        "pref-role": doc.item_by_id["pref-role"].options[1].id,  # a choice
    }
    for item_id, value in answers.items():
        services.save_answer(attempt=attempt, item_id=item_id, value=value, seq=1)
    seen = set()
    with translation.override(language):
        for _ in range(2):  # the first pass renders the blanks, the second reuses them
            for context in every_page(attempt):
                for q in context["questions"]:
                    assert q.html, "each question comes from its blank"
                    assert q.html == full_render(q, context), q.item.id
                    seen.add((q.item.type, q.answered))
    choice = doc.item_by_id["pref-role"].type  # rendered by the choice template
    assert {("likert", True), ("likert", False), ("scenario", True), (choice, True)} <= seen


def test_a_half_answered_scenario_checks_only_its_chosen_side(started):
    _, attempt, _ = started
    attempt = Attempt.objects.select_related("version").get(pk=attempt.pk)
    doc = document_for(attempt.version)
    scenario = next(item for item in doc.items_of("scenario"))
    option = attempt.options_of(scenario)[2]
    services.save_answer(attempt=attempt, item_id=scenario.id, value={"worst": option.id}, seq=1)
    for context in every_page(attempt):
        for q in context["questions"]:
            if q.item.id == scenario.id:
                assert q.html.count(" checked") == 1
                assert q.html == full_render(q, context)
