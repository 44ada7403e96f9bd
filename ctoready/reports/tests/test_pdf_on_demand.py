"""The PDF is rendered when first asked for, never as the attempt finishes, and then
served from the cache until its content changes or the attempt is erased."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.tasks import default_task_backend

from ctoready.instruments.services import document_for
from ctoready.reports import pdf, typeset
from ctoready.reports.tests.conftest import answers_for
from ctoready.testing import finished_attempt, own

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def renders():
    """Counts real renders."""
    with mock.patch.object(typeset, "typeset", side_effect=typeset.typeset) as render:
        yield render


def test_finishing_an_attempt_enqueues_no_pdf_work(mini, settings, renders):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    attempt = finished_attempt(mini, answers_for(document_for(mini)))
    assert attempt.is_finished
    assert default_task_backend.results == []
    assert renders.call_count == 0
    assert cache.get_many(pdf.cache_keys(attempt.public_id)) == {}


def test_first_download_renders_and_the_second_comes_from_the_cache(mini, client, renders):
    attempt = finished_attempt(mini, answers_for(document_for(mini)))
    own(client, attempt)
    url = f"/a/{attempt.public_id}/report.pdf"

    first = client.get(url)
    assert renders.call_count == 1
    second = client.get(url)
    assert renders.call_count == 1
    assert first.status_code == second.status_code == 200
    assert first.content.startswith(b"%PDF")
    assert second.content == first.content

    # Each paper size is its own rendering, made once.
    letter = client.get(f"{url}?paper=letter")
    client.get(f"{url}?paper=letter")
    assert renders.call_count == 2
    assert letter.content != first.content
