"""A page's questions come from blank forms rendered once; the candidate's answers are put
in per request. The result must be exactly what rendering each question in full gives."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.sessions.backends.db import SessionStore
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import get_script_prefix, reverse, set_script_prefix
from django.utils import translation
from django.utils.csp import LazyNonce

from ctoready.assessments import pages, services
from ctoready.assessments.models import Attempt, new_public_id
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


CSRF = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]{64}"')


def page_request(user):
    request = RequestFactory().get("/")
    request.user = user
    request.session = SessionStore()
    request._csp_nonce = LazyNonce()
    request.META["CSRF_COOKIE"] = "x" * 32
    return request


@pytest.mark.parametrize("language", ["en", "fr"])
def test_pages_from_their_shells_equal_pages_rendered_in_full(started, version, language):
    """Everything around the questions is rendered once per page and language; each request
    puts in its own token, nonce, answers, counts, key and address."""
    _, attempt, _ = started
    other, _token = services.start_attempt(version=version, context="seed", locale=language)
    services.save_answer(attempt=attempt, item_id="st-1", value=4, seq=1)
    member = User.objects.create_user("ann@example.org", "ann@example.org", "pw")
    compared = 0
    with translation.override(language):
        for user in (AnonymousUser(), member):
            for _ in range(2):  # the first pass renders the shells, the second reuses them
                for who in (attempt, other):
                    who = Attempt.objects.select_related("version").get(pk=who.pk)
                    doc = document_for(who.version)
                    for number, page in enumerate(doc.pages, start=1):
                        request = page_request(user)
                        context = pages.page_context(request, who, doc, number, page.items)
                        fast = pages.render_page(request, context).content.decode()
                        full = render_to_string(pages.PAGE_TEMPLATE, context, request=request)
                        assert CSRF.sub(r"\1…", fast) == CSRF.sub(r"\1…", full), (number, user)
                        assert f'action="/a/{who.public_id}/p/{number}/"' in fast
                        assert str(request._csp_nonce) in fast
                        compared += 1
    assert compared == 2 * 2 * 2 * len(doc.pages)
    assert f'action="{reverse("account_logout")}"' in fast  # the last pages were a member's


def test_a_page_with_something_more_to_say_is_rendered_in_full(started):
    """A message, the resume link or an error are shown: those pages skip the shell."""
    alice, attempt, _ = started
    first = alice.get(f"/a/{attempt.public_id}/p/1/").content.decode()
    assert 'id="resume-link"' in first  # shown once, after starting
    again = alice.get(f"/a/{attempt.public_id}/p/1/").content.decode()
    assert 'id="resume-link"' not in again
    posted = alice.post(f"/a/{attempt.public_id}/p/1/", {"go": "next", "seq": "5"}, follow=True)
    assert "unanswered on the previous page" in posted.content.decode()
    after = alice.get(f"/a/{attempt.public_id}/p/2/").content.decode()
    assert "unanswered on the previous page" not in after  # a message is shown once


@pytest.mark.parametrize("prefix", ["/", "/ctoready/"])
def test_an_attempts_addresses_are_what_reversing_gives(prefix):
    kept = get_script_prefix()
    set_script_prefix(prefix)
    try:
        for public_id in [new_public_id() for _ in range(20)] + ["a", "A-_9", "x" * 32]:
            for name, number in [("attempt_autosave", None), ("attempt_review", None)] + [
                ("attempt_page", n) for n in (1, 2, 17)
            ]:
                kwargs = {"public_id": public_id} | ({"number": number} if number else {})
                expected = reverse(name, kwargs=kwargs)
                assert pages.attempt_url(name, public_id, number) == expected
                assert expected.startswith(prefix)
        # An id of another shape (none is made so) is reversed as it is, quoted.
        odd = "a b~é"
        kwargs = {"public_id": odd, "number": 3}
        assert pages.attempt_url("attempt_page", odd, 3) == reverse("attempt_page", kwargs=kwargs)
    finally:
        set_script_prefix(kept)
