"""The 360 journey in real Chromium: the candidate invites, three raters answer through the
links they were e-mailed, the candidate closes the round and reads the section."""

import os
import re
from pathlib import Path

import pytest
from django.core import mail

from ctoready.assessments.services import save_answers, start_attempt
from ctoready.instruments.services import document_for
from ctoready.lib.browser import axe_violations
from ctoready.raters.models import RaterResponse
from ctoready.raters.tests.conftest import RATER_ANSWERS, SELF_ANSWERS
from ctoready.reports.services import finish_attempt
from ctoready.testing import confirmed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"(https?://[^\s]+/rate/i/[A-Za-z0-9_-]+/)")
SCREENSHOTS = os.environ.get("RATER_SCREENSHOTS")  # a folder, to look at the pages


def screenshot(target, name):
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        target.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"))


@pytest.fixture
def site(live_server, mini, settings):
    settings.SITE_URL = live_server.url
    return live_server.url


@pytest.fixture
def resume_url(site, mini):
    """Alice's finished attempt, reachable from her private link."""
    doc = document_for(mini)
    attempt, token = start_attempt(
        version=mini, context=doc.contexts[-1].id, locale="en", email="alice@example.com"
    )
    save_answers(attempt=attempt, values=SELF_ANSWERS, seq=1)
    finish_attempt(attempt=attempt)
    confirmed(attempt)  # she opened the resume link e-mailed to her
    return f"{site}/r/{token}/"


def one_h1_and_axe_clean(page):
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []


def answer_as_rater(page, link, comment, first=False):
    page.goto(link)
    page.wait_for_url(re.compile(r"/rate/r/[^/]+/p/1/$"))
    assert "/rate/i/" not in page.url
    one_h1_and_axe_clean(page)
    if first:
        screenshot(page.locator("html"), "rater-1280")
        page.set_viewport_size({"width": 360, "height": 800})
        screenshot(page.locator("html"), "rater-360")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.set_viewport_size({"width": 1280, "height": 900})
    for item, value in RATER_ANSWERS.items():
        page.locator(f"input[name=q-{item}][value='{value}']").check()
    page.wait_for_selector("#st-re-3 .saved")
    page.click("button[value=next]")
    page.wait_for_url(re.compile(r"/p/2/$"))
    one_h1_and_axe_clean(page)
    page.fill("#c-keep", comment)
    page.click("button[value=send]")
    page.wait_for_url(re.compile(r"/done/$"))
    # The thanks have their own address, in the address bar and in the history.
    assert page.evaluate("location.pathname").endswith("/done/")
    assert page.locator("h1").inner_text() != "Anything to add about Alice Martin?"
    one_h1_and_axe_clean(page)
    assert page.js_errors == []


def test_invite_three_raters_who_answer_then_read_the_section(
    chromium, browser_page, resume_url, site
):
    page = browser_page
    page.goto(resume_url)
    page.wait_for_url(re.compile(r"/report/$"))
    page.click("text=Invite raters")
    page.wait_for_url(re.compile(r"/rate/a/[^/]+/$"))
    one_h1_and_axe_clean(page)
    page.fill("#id_e-name", "Alice Martin")
    page.check("#id_e-category_1")  # peer
    page.fill("#id_e-emails", "carol@example.com, dan@example.com\nerin@example.com")
    page.click("text=Send invitations")
    page.wait_for_selector("text=3 invitations are on the way.")
    assert sorted(m.to[0] for m in mail.outbox) == [
        "carol@example.com",
        "dan@example.com",
        "erin@example.com",
    ]
    for number, message in enumerate(mail.outbox):
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        rater_page = context.new_page()
        rater_page.js_errors = []
        rater_page.on("pageerror", lambda exc, p=rater_page: p.js_errors.append(str(exc)))
        link = LINK.search(message.body).group(1)
        assert link.startswith(site)
        answer_as_rater(rater_page, link, f"Comment {number}", first=number == 0)
        context.close()
    assert RaterResponse.objects.filter(submitted_on__isnull=False).count() == 3

    page.reload()
    assert page.locator("table.counts tr", has_text="Peer").inner_text().split()[-1] == "3"
    page.click("text=Close the round and see the results")
    page.wait_for_url(re.compile(r"/report/#feedback-title$"))
    section = page.locator("section.rater-feedback")
    assert "How others see you" in section.inner_text()
    assert "Peers (3)" in section.inner_text()
    assert "Comment 0" in section.inner_text()
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []
    screenshot(section, "report-360-section")
    assert page.js_errors == []
