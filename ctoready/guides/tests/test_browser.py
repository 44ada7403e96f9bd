"""Real Chromium over the live server: the guides pass an axe WCAG 2.2 AA scan."""

from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def chromium_page(monkeypatch) -> Iterator[Page]:
    # Playwright's sync API runs an event loop in this thread; the live server is separate.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser.new_page()
        finally:
            browser.close()


def _violations(page: Page) -> list[str]:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    return [f"{v['id']}: {v['help']}" for v in results.response["violations"]]


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
