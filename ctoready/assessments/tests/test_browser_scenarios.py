"""Scenario pages in real Chromium: conflicting choices are prevented, refused with a
visible, focused message, and random clicking always reaches the report."""

import random

import pytest
from playwright.sync_api import expect

from ctoready.assessments import services
from ctoready.assessments.tests.conftest import finish_to_report, next_page, start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BEST = "input[name=q-sjt-costs-best]"
WORST = "input[name=q-sjt-costs-worst]"
# What the page prevents, forced: the same option in both columns. Clicked, it autosaves;
# only checked, it is sent with the page.
FORCE_BOTH = """([best, worst, click]) => {
  for (const name of [best, worst]) {
    const input = document.querySelector(name);
    input.disabled = false;
    if (click) { input.click(); } else { input.checked = true; }
  }
}"""


def force_same_option(page, option, click=True):
    page.evaluate(FORCE_BOTH, [f"{BEST}[value={option}]", f"{WORST}[value={option}]", click])


@pytest.fixture
def site(live_server, version):
    return live_server.url


def page_size(page):
    return page.evaluate("document.documentElement.outerHTML.length")


def test_an_option_chosen_in_one_column_is_unavailable_in_the_other(browser_page, site):
    page = browser_page
    attempt = start(page, site)
    page.goto(site + f"/a/{attempt.public_id}/p/4/")
    page.check(f"{BEST}[value=a]")
    expect(page.locator(f"{WORST}[value=a]")).to_be_disabled()
    expect(page.locator(f"{WORST}[value=b]")).to_be_enabled()
    page.check(f"{WORST}[value=b]")
    expect(page.locator(f"{BEST}[value=b]")).to_be_disabled()
    page.check(f"{BEST}[value=c]")
    expect(page.locator(f"{WORST}[value=a]")).to_be_enabled()
    expect(page.locator(f"{WORST}[value=c]")).to_be_disabled()
    expect(page.locator("#st-sjt-costs .saved")).to_be_visible()
    page.reload()  # the rule holds for answers restored from the server too
    expect(page.locator(f"{WORST}[value=c]")).to_be_disabled()
    assert page.js_errors == []


def refused_sizes(page, times, act):
    """Do ``act`` again and again: each time the refusal is next to the question, focused
    and announced. The page's size after each one."""
    sizes = []
    for _ in range(times):
        act()
        status = page.locator("#st-sjt-costs")
        expect(status).to_contain_text("Not saved — Choose a different option")
        expect(status).to_be_focused()
        assert status.get_attribute("aria-live") == "polite"
        sizes.append(page_size(page))
    return sizes


def test_a_refused_answer_says_not_saved_next_to_the_question_and_takes_focus(browser_page, site):
    page = browser_page
    attempt = start(page, site)
    page.goto(site + f"/a/{attempt.public_id}/p/4/")
    sizes = refused_sizes(page, 4, lambda: force_same_option(page, "a"))
    assert len(set(sizes)) == 1, sizes  # retries never make the page heavier
    # The first click was saved; the conflicting second never was.
    assert services.answers_of(attempt)["sjt-costs"] == {"best": "a"}


def test_a_refused_page_shows_the_message_next_to_the_question(browser_page, site):
    page = browser_page
    attempt = start(page, site)
    page.goto(site + f"/a/{attempt.public_id}/p/4/")

    def send_the_same_option_twice():
        force_same_option(page, "d", click=False)
        page.click("button[value=next]")

    sizes = refused_sizes(page, 3, send_the_same_option_twice)
    assert page.url.endswith("/p/4/")
    assert len(set(sizes)) == 1, sizes
    page.check(f"{WORST}[value=a]")
    next_page(page, r"/p/5/$")
    assert page.js_errors == []


def answer_randomly(page, rng):
    """Click about on every question of the page, conflicting scenario choices included."""
    for radio in page.locator(".question:not(.scenario) input[type=radio]").all():
        if rng.random() < 0.4:
            radio.check()
    for scenario in page.locator(".question.scenario").all():
        for _ in range(rng.randint(1, 6)):
            column = rng.choice(["best", "worst"])
            options = scenario.locator(f"input[name$=-{column}]:not([disabled])").all()
            rng.choice(options).check()
        if rng.random() < 0.35:
            force_same_option(page, rng.choice(["a", "b", "c", "d"]))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_clicking_always_reaches_the_report(browser_page, site, seed):
    page = browser_page
    rng = random.Random(seed)
    start(page, site)
    for _ in range(60):
        if "/review/" in page.url:
            break
        answer_randomly(page, rng)
        before = page.url
        has_back = page.locator("button[value=back]").count()
        buttons = ["next"] * 5 + ["back"] if has_back else ["next"]
        page.evaluate("document.querySelector('main').dataset.left = 'yes'")
        page.click(f"button[value={rng.choice(buttons)}]")
        expect(page.locator("main[data-left]")).to_have_count(0)  # the new page is in
        if page.url == before and page.locator(".status.error").count():
            # Refused: the message is there; choose again and go on.
            expect(page.locator(".status.error").first).to_be_focused()
    else:
        pytest.fail("never reached the review page")
    finish_to_report(page)
    assert page.js_errors == []
