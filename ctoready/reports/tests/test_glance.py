"""The report opens with a list of contents and an "at a glance" block, on the page and PDF."""

import re

from ctoready.api import renderings
from ctoready.reports.tests.test_pdf import pdf_text
from ctoready.reports.tests.test_report_page import text, url


def test_page_opens_with_contents_then_the_glance(alice, alice_attempt):
    page = text(alice.get(url(alice_attempt)))
    contents = page.index('id="contents-title"')
    glance = page.index('id="glance-title"')
    assert contents < glance < page.index("Your readiness in brief")
    block = page[glance : page.index('id="summary-title"')]
    assert "50 out of 100 (95% range 35–65)" in block
    assert "between “Building foundations” and “Ready with support”" in block
    assert "Strengths: Technology strategy." in block
    assert "Development areas: Team leadership." in block
    assert "Your scores and your preferences agree: both lean CTO." in block
    assert "Team leadership:</strong> Run a hiring loop." in block


def test_every_contents_link_points_at_a_heading_on_the_page(alice, alice_attempt):
    page = text(alice.get(url(alice_attempt)))
    start = page.index('id="contents-title"')
    nav = page[start : page.index("</nav>", start)]
    targets = re.findall(r'href="#([a-z-]+)"', nav)
    assert len(targets) >= 8
    for target in targets:
        assert f'id="{target}"' in page, target


def test_pdf_opens_with_contents_and_page_numbers(alice_attempt, tmp_path):
    report = renderings.report_of(alice_attempt)
    pdf = " ".join(pdf_text(renderings.as_pdf(alice_attempt, report), tmp_path).split())
    assert pdf.index("Contents") < pdf.index("At a glance") < pdf.index("Your readiness in brief")
    assert re.search(r"Plan \(p\. \d+\)", pdf)
