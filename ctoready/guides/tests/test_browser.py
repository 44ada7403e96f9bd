"""Real Chromium over the live server: the guides pass an axe WCAG 2.2 AA scan."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from ctoready.lib.browser import axe_violations


@pytest.fixture
def chromium_page(browser_page: Page) -> Page:
    return browser_page


def _violations(page: Page) -> list[str]:
    return axe_violations(page)


@pytest.mark.browser
@pytest.mark.parametrize(
    "path",
    [
        reverse("guides:index"),
        reverse("guides:guide", args=["what-a-cto-does"]),
        reverse("guides:guide", args=["week-in-the-life"]) + "?lang=fr",
        reverse("guides:search") + "?q=board",
    ],
)
def test_guide_pages_pass_axe(live_server, chromium_page, path):
    response = chromium_page.goto(live_server.url + path)
    assert response is not None
    assert response.status == 200
    assert chromium_page.locator("h1").count() == 1
    assert _violations(chromium_page) == []


@pytest.mark.browser
def test_toc_link_moves_to_its_section(live_server, chromium_page):
    chromium_page.goto(live_server.url + reverse("guides:guide", args=["first-90-days"]))
    chromium_page.locator(".guides-toc a[href='#quick-wins']").click()
    assert chromium_page.url.endswith("#quick-wins")
    assert chromium_page.locator("#quick-wins").is_visible()
