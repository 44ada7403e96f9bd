"""The two parts in real Chromium: the core ends in the report, the deep-dive updates it."""

import re

import pytest

from ctoready.assessments.models import Attempt
from ctoready.assessments.tests.conftest import (
    answer_likert_page,
    finish_to_report,
    next_page,
    start,
)
from ctoready.instruments.loader import load_bytes
from ctoready.instruments.services import import_instrument
from ctoready.lib.browser import axe_violations
from ctoready.testing import mini_with_deep_dive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, db):
    loaded = load_bytes(mini_with_deep_dive().encode(), "mini-deep.yaml")
    import_instrument(loaded=loaded, name="mini-deep.yaml")
    return live_server.url


def test_core_then_report_then_deep_dive_shows_the_judgement_section(browser_page, site):
    page = browser_page
    start(page, site)
    assert "Page 1 of 4" in page.content()
    page.check("input[value=few]")
    next_page(page, r"/p/2/$")
    answer_likert_page(page, "4")
    next_page(page, r"/p/3/$")
    answer_likert_page(page, "3")
    next_page(page, r"/p/4/$")
    page.check("input[name=q-pref-role][value=a]")
    page.check("input[name=q-pref-type][value=c]")
    next_page(page, r"/review/$")
    assert page.locator("#deep-dive-offer").is_visible()

    finish_to_report(page)
    assert page.locator("#deep-dive-title").is_visible()
    assert page.locator("#judgement-title").count() == 0
    assert axe_violations(page) == []

    page.click("button:has-text('Take the deep-dive')")
    page.wait_for_url(re.compile(r"/p/5/$"))
    assert "Page 1 of 2" in page.content() and "Deep-dive" in page.content()
    page.check("input[name=q-sjt-costs-best][value=b]")
    page.check("input[name=q-sjt-costs-worst][value=a]")
    next_page(page, r"/p/6/$")
    page.check("input[name=q-check-revenue][value=partly]")
    next_page(page, r"/review/$")
    finish_to_report(page, "text=Finish the deep-dive and update my report")

    assert page.locator("#judgement-title").is_visible()
    assert page.locator("#selfcheck-title").is_visible()
    assert page.locator("#deep-dive-title").count() == 0
    attempt = Attempt.objects.get()
    assert attempt.deep_seconds is not None
    assert axe_violations(page) == []
    assert page.js_errors == []
