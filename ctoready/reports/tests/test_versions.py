"""Upgrading to cto-readiness 2.0.0 leaves 1.0.0 stored and its reports as they were."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from ctoready.instruments.models import InstrumentVersion
from ctoready.instruments.services import document_for, import_file, import_shipped
from ctoready.reports.tests.conftest import answers_for
from ctoready.reports.tests.test_report_page import url
from ctoready.testing import finished_attempt, own

ARCHIVE = Path(settings.INSTRUMENT_CONTENT_DIR) / "archive"


def page(client, attempt) -> str:
    response = own(client, attempt).get(url(attempt))
    assert response.status_code == 200
    # CSRF tokens are new on every response; everything else must match.
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", html)


@pytest.mark.django_db
def test_a_finished_1_0_0_report_renders_the_same_after_the_upgrade(client):
    old = import_file(path=ARCHIVE / "cto-readiness-1.0.0.yaml").version
    import_file(path=ARCHIVE / "cto-readiness-1.0.0.fr.yaml")
    doc = document_for(old)
    attempt = finished_attempt(old, answers_for(doc, seed=5), context=doc.contexts[1].id)
    before = page(client, attempt)

    import_shipped()

    versions = InstrumentVersion.objects.filter(instrument__slug="cto-readiness", locale="en")
    assert sorted(v.version for v in versions) == ["1.0.0", "2.0.0"]
    after = page(client, attempt)
    assert after == before
    assert "CTO Readiness Assessment 1.0.0 (en)" in after
    assert 'id="judgement-title"' in after and 'id="selfcheck-title"' in after
    assert "deep-dive" not in after.lower()


@pytest.mark.django_db
def test_the_1_0_0_archive_is_what_1_0_0_was():
    """The archived files are the 1.0.0 instrument: six scenarios, no deep-dive."""
    old = document_for(import_file(path=ARCHIVE / "cto-readiness-1.0.0.yaml").version)
    assert old.version == "1.0.0" and not old.has_deep
    assert len(old.items_of("scenario")) == 6 and len(old.likert_items) == 50
