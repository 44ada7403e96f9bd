"""Finishing renders the PDF in the background, so the download is served from the cache."""

from unittest import mock

import pytest
import weasyprint

from ctoready.instruments.services import document_for
from ctoready.reports.tests.conftest import answers_for
from ctoready.testing import finished_attempt, own

pytestmark = pytest.mark.django_db(transaction=True)


def test_finishing_prerenders_the_pdf_for_the_download(mini, client, settings):
    settings.PDF_PRERENDER = True
    attempt = finished_attempt(mini, answers_for(document_for(mini)))
    own(client, attempt)
    with mock.patch.object(
        weasyprint.HTML, "write_pdf", side_effect=AssertionError("rendered again")
    ):
        response = client.get(f"/a/{attempt.public_id}/report.pdf")
        letter = client.get(f"/a/{attempt.public_id}/report.pdf?paper=letter")
    assert response.status_code == letter.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_without_prerendering_the_download_renders_on_demand(mini, client, settings):
    settings.PDF_PRERENDER = False
    attempt = finished_attempt(mini, answers_for(document_for(mini)))
    own(client, attempt)
    with mock.patch.object(
        weasyprint.HTML, "write_pdf", return_value=b"%PDF-rendered-now"
    ) as render:
        response = client.get(f"/a/{attempt.public_id}/report.pdf")
    assert render.called
    assert response.content == b"%PDF-rendered-now"
