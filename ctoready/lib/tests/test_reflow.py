"""Every page reflows at 320 CSS pixels (WCAG 1.4.10) and fits a desktop window: the page
itself never scrolls sideways; a wide chart or table scrolls inside its own box.

Measured in real Chromium on the shipped instrument (its longest names and widest
tables), as each person who sees the page: the candidate, a rater, a visitor.
"""

import os
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from ctoready.assessments.models import Link
from ctoready.assessments.services import create_link, start_attempt
from ctoready.instruments.services import document_for, import_file
from ctoready.raters.services import invite_by_link
from ctoready.reports.tests.conftest import answers_for
from ctoready.testing import confirmed, finished_attempt

SHIPPED = Path(settings.INSTRUMENT_CONTENT_DIR) / "cto-readiness.yaml"
WIDTHS = (320, 1280)
SCREENSHOTS = os.environ.get("REFLOW_SCREENSHOTS")  # a folder, to look at the pages

pytestmark = pytest.mark.browser


def overflow(page: Any) -> int:
    """How many pixels the page is wider than the window (0: no sideways scrolling)."""
    return int(
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


@pytest.fixture
def pages(live_server) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    version = import_file(path=SHIPPED).version
    doc = document_for(version)
    context = doc.contexts[-1].id
    before = finished_attempt(version, answers_for(doc, seed=2), context=context)
    done = confirmed(
        finished_attempt(
            version, answers_for(doc, seed=3), context=context, previous=before, email="a@b.org"
        )
    )
    open_attempt, _ = start_attempt(version=version, context=context, locale=doc.locale)
    _invite, rater_token = invite_by_link(
        attempt=done, candidate_name="Alexandra Montgomery-Whitfield", category="peer"
    )
    candidate = [
        create_link(attempt=attempt, purpose=Link.Purpose.RESUME)
        for attempt in (before, done, open_attempt)
    ]
    share = create_link(attempt=done, purpose=Link.Purpose.SHARE)
    a, o = done.public_id, open_attempt.public_id
    return {
        "resume": [f"/r/{token}/" for token in candidate],
        "rater": f"/rate/i/{rater_token}/",
        "candidate": [
            f"/a/{a}/report/", "/history/", f"/a/{a}/share/", f"/rate/a/{a}/",
            f"/a/{o}/p/1/", f"/a/{o}/p/2/", f"/a/{o}/review/", "/my-data/",
        ],
        "visitor": [
            "/", "/guides/", "/guides/first-90-days/", "/guides/search/?q=board",
            f"/s/{share}/", "/api/v1/docs", "/account/login/", "/account/signup/",
            "/no-such-page/",
        ],
    }  # fmt: skip


# Elements past the window's right edge (not inside a box that scrolls on its own), and,
# on a desktop, boxes that have to scroll at all.
CULPRITS = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
  const hidden = (el) => el.closest(".visually-hidden") !== null;
  const contained = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (scrolls(up)) return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    if (hidden(el) || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName)) continue;
    const name = `${el.tagName.toLowerCase()}.${el.className.baseVal ?? el.className}`;
    if (el.getBoundingClientRect().right > width && !contained(el)) {
      out.push(`${name} reaches ${Math.round(el.getBoundingClientRect().right)}px`);
    } else if (width >= 1000 && scrolls(el) && el.scrollWidth > el.clientWidth + 1) {
      out.push(`${name} scrolls (${el.scrollWidth}px in ${el.clientWidth}px)`);
    }
  }
  return out.slice(0, 3);
}"""


def check(page: Any, base: str, path: str, wide: list[str]) -> None:
    page.goto(base + path)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        culprits = page.evaluate(CULPRITS)
        if overflow(page) > 0 or culprits:
            wide.append(f"{path} at {width}px: {overflow(page)}px too wide: {culprits}")
        if SCREENSHOTS:
            name = path.strip("/").replace("/", "_").replace("?", "_") or "home"
            page.screenshot(path=f"{SCREENSHOTS}/{name[:60]}-{width}.png", full_page=True)


def test_no_page_scrolls_sideways_at_320_px_or_on_a_desktop(
    live_server, chromium, browser_page, pages
):
    wide: list[str] = []
    page = browser_page
    for resume in pages["resume"]:
        page.goto(live_server.url + resume)
    for path in pages["candidate"]:
        check(page, live_server.url, path, wide)
    rater = chromium.new_context().new_page()
    rater.goto(live_server.url + pages["rater"])
    for path in (rater.url.removeprefix(live_server.url), rater.url.replace("/p/1/", "/p/2/")):
        check(rater, "" if path.startswith("http") else live_server.url, path, wide)
    visitor = chromium.new_context().new_page()
    for path in pages["visitor"]:
        check(visitor, live_server.url, path, wide)
    assert not wide, "\n".join(wide)
