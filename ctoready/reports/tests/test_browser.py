"""Real Chromium over the live server: the report pages pass axe (WCAG 2.2 AA), and the
PDF downloaded through a share link says what the page says."""

import os
import re
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from ctoready.assessments.models import Link
from ctoready.assessments.services import create_link
from ctoready.instruments.services import document_for
from ctoready.lib.browser import axe_violations
from ctoready.reports.tests.conftest import answers_for, finished_attempt

SCREENSHOTS = os.environ.get("REPORT_SCREENSHOTS")  # a folder, to look at the pages


def violations(page: Page) -> list[str]:
    return axe_violations(page)


def words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z]{4,}", text)


def screenshot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        for width in (1280, 360):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}-{width}.png"), full_page=True)


@pytest.mark.browser
def test_shared_report_and_its_pdf_agree(live_server, browser_page, shipped, tmp_path):
    doc = document_for(shipped)
    before = finished_attempt(shipped, answers_for(doc, seed=2), context="seed")
    answers = answers_for(doc, seed=3)
    for item in doc.likert_items[:3]:
        answers[item.id] = "na"
    attempt = finished_attempt(shipped, answers, context="seed", previous=before)
    token = create_link(attempt=attempt, purpose=Link.Purpose.SHARE)
    page = browser_page

    response = page.goto(live_server.url + reverse("reports:shared", args=[token]))
    assert response is not None and response.status == 200
    assert page.locator("h1").count() == 1
    assert violations(page) == []
    screenshot(page, "shared")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF (A4)").click()
    pdf_path = tmp_path / "report.pdf"
    download_info.value.save_as(pdf_path)
    pdf_text = subprocess.run(
        ["pdftotext", str(pdf_path), "-"], check=True, capture_output=True, text=True
    ).stdout
    pdf_words = set(words(pdf_text))
    # The report's sections as the reader sees them (the chart's words are checked above).
    main_text = page.evaluate(
        """() => { document.querySelectorAll('article.report svg').forEach(e => e.remove());
        return [...document.querySelectorAll('article.report section.report-section')]
            .map(s => s.innerText).join('\\n'); }"""
    )
    for heading in page.locator("article.report h2").all_inner_texts():
        assert heading in pdf_text
    for scale in doc.scales:
        assert scale.name in " ".join(pdf_text.split())
    # pdftotext joins a compound broken at its hyphen ("data-" / "protection" reads
    # "dataprotection"), so a word may be found inside a longer one.
    missing = [w for w in set(words(main_text)) if w not in pdf_words and w not in pdf_text]
    assert missing == []


@pytest.mark.browser
def test_owner_pages_pass_axe(live_server, browser_page, mini):
    from ctoready.reports.tests.conftest import MINI_ANSWERS

    first = finished_attempt(mini, MINI_ANSWERS, context="growth")
    page = browser_page
    # Become the owner the way a candidate does: by the session of the browser that
    # finished. The test client logs the session in, then hands its cookie to Chromium.
    from django.test import Client

    from ctoready.testing import own

    client = own(Client(), first)
    second = finished_attempt(mini, {**MINI_ANSWERS, "le-1": 5}, context="growth", previous=first)
    own(client, first, second)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    for name, path in [
        ("report", reverse("reports:report", args=[second.public_id])),
        ("share", reverse("reports:share", args=[second.public_id])),
        ("history", reverse("reports:history")),
    ]:
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        assert page.locator("h1").count() == 1
        assert violations(page) == [], path
        screenshot(page, name)
    page.goto(live_server.url + reverse("reports:share", args=[second.public_id]))
    page.get_by_label("Label (optional)").fill("my coach")
    page.get_by_role("button", name="Create a share link").click()
    assert "/s/" in page.locator("#new-link").input_value()
    assert violations(page) == []
    screenshot(page, "share-created")
