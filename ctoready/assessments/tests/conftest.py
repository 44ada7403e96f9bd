"""The cast: a candidate who owns the attempt, another candidate, an anonymous visitor;
and the steps the browser tests take through the flow."""

import re

import pytest
from django.test import Client

from ctoready.assessments import services


@pytest.fixture
def started(version):
    """Alice's attempt, started through the web, with her browser and her resume token."""
    alice = Client()
    response = alice.post("/start/", {"context": "growth", "lang": "en"})
    assert response.status_code == 302
    attempt = services.Attempt.objects.latest("pk")
    token = alice.session["new_resume_token"]
    return alice, attempt, token


@pytest.fixture
def bob(version):
    """Another candidate with an attempt of his own."""
    client = Client()
    client.post("/start/", {"context": "seed", "lang": "en"})
    return client


def start(page, site, context="growth"):
    """Start an attempt from the home page in the browser; the attempt, on its page 1."""
    page.goto(site + "/")
    page.check(f"input[value={context}]")
    page.click("text=Start the assessment")
    page.wait_for_url(re.compile(r"/p/1/$"))
    return services.Attempt.objects.latest("pk")


def answer_likert_page(page, value="4"):
    for fieldset in page.locator("fieldset.likert").all():
        fieldset.locator(f"input[value='{value}']").check()


def next_page(page, pattern, button="next"):
    """Press a page's ``button`` (next, back, review) and wait for the address it leads to."""
    page.click(f"button[value={button}]")
    page.wait_for_url(re.compile(pattern))


def finish_to_report(page, selector="text=Finish and see my report"):
    page.click(selector)
    page.wait_for_url(re.compile(r"/report/$"))
