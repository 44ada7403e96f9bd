"""A French attempt's report speaks French; an English attempt's stays English."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from ctoready.instruments.services import document_for, import_file
from ctoready.reports.tests.conftest import SHIPPED, answers_for
from ctoready.reports.tests.test_report_page import text, url
from ctoready.testing import finished_attempt, own

SHIPPED_FR = Path(settings.INSTRUMENT_CONTENT_DIR) / "cto-readiness.fr.yaml"


@pytest.fixture
def versions(db):
    english = import_file(path=SHIPPED).version
    french = import_file(path=SHIPPED_FR).version
    return english, french


def report_page(client, version) -> str:
    doc = document_for(version)
    attempt = finished_attempt(version, answers_for(doc, seed=3), context=doc.contexts[0].id)
    response = own(client, attempt).get(url(attempt))
    assert response.status_code == 200
    return text(response)


def test_french_attempt_report_is_in_french(versions, visitor):
    _english, french = versions
    page = report_page(visitor, french)
    assert '<html lang="fr">' in page
    for heading in (
        "Votre rapport de préparation au rôle de CTO",
        "Votre préparation en bref",
        "Points forts et axes de progrès",
        "Jugement situationnel",
        "Votre plan de développement",
        "Ce que ces scores peuvent et ne peuvent pas vous dire",
    ):
        assert heading in page
    assert "Your readiness in brief" not in page
    assert "Strengths and development areas" not in page


def test_english_attempt_report_stays_english(versions, client):
    english, _french = versions
    page = report_page(client, english)
    assert "Your CTO readiness report" in page
    assert "Your readiness in brief" in page
    assert "Votre préparation en bref" not in page


def test_chart_coordinates_stay_numbers_in_french(versions, visitor):
    """French writes 179,3; an SVG attribute must read 179.3, or the chart falls apart."""
    page = report_page(visitor, versions[1])
    attributes = re.findall(r'\s(cx|cy|x|y|dx|dy|x1|y1|x2|y2|r|width|height)="([^"]*)"', page)
    assert attributes
    for name, value in attributes:
        assert "," not in value, (name, value)
    for points in re.findall(r'points="([^"]*)"', page):
        assert re.fullmatch(r"(-?[\d.]+,-?[\d.]+\s*)+", points), points


def test_french_attempt_pdf_is_in_french_to_its_footer(versions, visitor, tmp_path):
    import subprocess

    from django.urls import reverse

    french = versions[1]
    doc = document_for(french)
    attempt = finished_attempt(french, answers_for(doc, seed=3), context=doc.contexts[0].id)
    response = own(visitor, attempt).get(reverse("reports:pdf", args=[attempt.public_id]))
    path = tmp_path / "rapport.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Votre préparation en bref" in text
    assert "Rapport de préparation au rôle de CTO" in text
    assert re.search(r"Page 1 sur \d+", text)
    assert "Page 1 of" not in text
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    assert "Title:           Rapport de préparation au rôle de CTO" in info.stdout
