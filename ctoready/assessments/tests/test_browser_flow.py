"""The journeys a candidate takes, in real Chromium against the live server."""

import re

import pytest
from playwright.sync_api import expect

from ctoready.assessments import services
from ctoready.assessments.models import Attempt
from ctoready.assessments.tests.conftest import (
    answer_likert_page,
    finish_to_report,
    next_page,
    start,
)
from ctoready.lib.browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, version):
    return live_server.url


def saved(attempt):
    return services.answers_of(attempt)


def test_full_journey_to_the_report(browser_page, site):
    page = browser_page
    hosts = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    attempt = start(page, site)
    page.check("input[value=few]")
    next_page(page, r"/p/2/$")
    answer_likert_page(page, "4")
    next_page(page, r"/p/3/$")
    answer_likert_page(page, "3")
    next_page(page, r"/p/4/$")
    page.check("input[name=q-sjt-costs-best][value=b]")
    page.check("input[name=q-sjt-costs-worst][value=a]")
    next_page(page, r"/p/5/$")
    page.check("input[name=q-pref-role][value=a]")
    page.check("input[name=q-pref-type][value=c]")
    page.check("input[name=q-check-revenue][value=partly]")
    next_page(page, r"/review/$")
    assert "You answered every question" in page.content()
    finish_to_report(page)
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.FINISHED
    assert len(saved(attempt)) == 14
    assert page.js_errors == []
    assert hosts == {site.split("/")[2]}  # no third-party request, ever


def test_each_answer_is_saved_the_moment_it_is_chosen(browser_page, site):
    page = browser_page
    attempt = start(page, site)
    page.goto(page.url.replace("/p/1/", "/p/2/"))
    with page.expect_response(lambda response: "/save/" in response.url) as autosave:
        page.locator("input[name=q-st-1][value='5']").check()
    page.wait_for_selector("#st-st-1 .saved")
    assert saved(attempt) == {"st-1": 5}
    # Answered in front of Django with the page's key, as in production (the full stack's
    # middleware would add Vary).
    assert "x-autosave-key" in autosave.value.request.headers
    assert "vary" not in autosave.value.headers
    assert page.url.endswith("/p/2/")  # no navigation, no reload
    # The bar and the sentence under it both count the new answer.
    expect(page.locator("#progress-bar")).to_have_attribute("value", "1")
    expect(page.locator(".progress p.muted")).to_contain_text("1 of 14 answered")


def test_close_the_tab_midway_and_resume_from_the_link(chromium, browser_page, site):
    page = browser_page
    attempt = start(page, site)
    link = page.locator("#resume-link input").input_value()
    page.goto(page.url.replace("/p/1/", "/p/2/"))
    page.locator("input[name=q-le-1][value='2']").check()
    page.wait_for_selector("#st-le-1 .saved")
    page.close()
    elsewhere = chromium.new_context()
    try:
        other = elsewhere.new_page()
        other.goto(link)
        assert "/r/" not in other.url  # the token leaves the address bar
        other.goto(site + f"/a/{attempt.public_id}/p/2/")
        assert other.locator("input[name=q-le-1][value='2']").is_checked()
    finally:
        elsewhere.close()


def test_offline_answers_are_saved_when_back_online(browser_context, browser_page, site):
    page = browser_page
    attempt = start(page, site)
    page.goto(page.url.replace("/p/1/", "/p/2/"))
    browser_context.set_offline(True)
    page.locator("input[name=q-re-1][value='3']").check()
    page.wait_for_selector("#st-re-1.error")
    assert "re-1" not in saved(attempt)
    browser_context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("#st-re-1 .saved")
    assert saved(attempt)["re-1"] == 3


def test_two_tabs_never_lose_the_newer_answer(browser_context, site):
    first = browser_context.new_page()
    attempt = start(first, site)
    first.goto(first.url.replace("/p/1/", "/p/2/"))
    second = browser_context.new_page()
    second.goto(first.url)
    second.locator("input[name=q-st-1][value='5']").check()
    second.wait_for_selector("#st-st-1 .saved")
    # The first tab, loaded earlier, answers another question and moves on.
    first.locator("input[name=q-st-2][value='2']").check()
    first.wait_for_selector("#st-st-2 .saved")
    first.click("button[value=next]")
    first.wait_for_load_state("networkidle")
    assert saved(attempt)["st-1"] == 5
    assert saved(attempt)["st-2"] == 2


def test_keyboard_only_journey(browser_page, site):
    page = browser_page
    page.goto(site + "/")
    page.focus("input[value=seed]")
    page.keyboard.press("Space")
    page.focus("button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/p/1/$"))
    attempt = Attempt.objects.latest("pk")
    page.focus("input[name=q-bg-years][value=none]")
    page.keyboard.press("ArrowDown")  # radio groups move with the arrow keys
    page.wait_for_selector("#st-bg-years .saved")
    assert saved(attempt)["bg-years"] == "few"
    page.focus("button[value=next]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/p/2/$"))
    # Focus moves to the new page's heading, once htmx has settled the swap.
    expect(page.locator("main h1")).to_be_focused()


def test_journey_with_javascript_disabled(chromium, site):
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        attempt = start(page, site, context="seed")
        page.check("input[value=many]")
        next_page(page, r"/p/2/$")
        answer_likert_page(page, "5")
        next_page(page, r"/review/$", "review")
        finish_to_report(page)
        assert saved(attempt)["st-1"] == 5
        assert saved(attempt)["bg-years"] == "many"
    finally:
        context.close()


def test_phone_sized_pages_do_not_scroll_sideways(chromium, site):
    context = chromium.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    try:
        page = context.new_page()
        attempt = start(page, site)
        for number in (1, 2, 4, 5):
            page.goto(site + f"/a/{attempt.public_id}/p/{number}/")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"page {number} is {width}px wide"
    finally:
        context.close()


def test_flow_pages_pass_axe(browser_page, site):
    page = browser_page
    page.goto(site + "/")
    assert axe_violations(page) == []
    attempt = start(page, site)
    for path in ("p/1/", "p/2/", "p/4/", "p/5/", "review/"):
        page.goto(site + f"/a/{attempt.public_id}/{path}")
        assert page.locator("h1").count() == 1
        assert axe_violations(page) == [], path
