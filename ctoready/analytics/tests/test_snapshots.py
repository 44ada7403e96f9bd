"""The version page's figures are kept, computed again when the data changes, and computed
in the background for a version too large to compute while the operator waits."""

from unittest import mock

import pytest
from django.tasks import default_task_backend
from django.test import Client

from ctoready.analytics import manual, snapshots
from ctoready.testing import MINI_ANSWERS, finished_attempt

pytestmark = pytest.mark.django_db

URL = "/operator/analytics/mini/1.0.0/"
DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def olivia(operator) -> Client:
    client = Client()
    client.force_login(operator)
    return client


@pytest.fixture
def computed():
    """Counts the computations of the figures."""
    real = snapshots.version_figures
    with mock.patch.object(snapshots, "version_figures", side_effect=real) as spy:
        yield spy


def test_kept_figures_are_shown_until_the_data_changes(olivia, version, computed):
    finished_attempt(version, MINI_ANSWERS)
    assert "Figures from 1 finished attempt," in olivia.get(URL).content.decode()
    assert "Figures from 1 finished attempt," in olivia.get(URL).content.decode()
    assert computed.call_count == 1  # twice shown, once computed
    finished_attempt(version, MINI_ANSWERS)
    assert "Figures from 2 finished attempts," in olivia.get(URL).content.decode()
    assert computed.call_count == 2


def test_each_language_and_choice_of_synthetic_attempts_has_its_own(olivia, version, computed):
    finished_attempt(version, MINI_ANSWERS)
    olivia.get(URL)
    olivia.get(URL + "?synthetic=1")
    olivia.cookies["django_language"] = "fr"
    french = olivia.get(URL).content.decode()
    assert 'lang="fr"' in french
    assert computed.call_count == 3


def test_beyond_the_limit_they_are_computed_in_the_background(
    olivia, operator, version, computed, settings, monkeypatch
):
    monkeypatch.setattr(snapshots, "INLINE_LIMIT", 0)
    settings.TASKS = DUMMY
    finished_attempt(version, MINI_ANSWERS)

    waiting = olivia.get(URL)
    html = waiting.content.decode()
    assert waiting.status_code == 200
    assert "are being computed in the background" in html
    assert "check that it is running" in html  # what to do if no worker takes it
    assert '<meta http-equiv="refresh" content="20">' in html
    assert "<svg" not in html and "Download responses (CSV)" in html
    assert computed.call_count == 0 and len(default_task_backend.results) == 1
    olivia.get(URL)
    assert len(default_task_backend.results) == 1  # asked for once, not at every reload
    french = Client()
    french.force_login(operator)
    french.cookies["django_language"] = "fr"
    assert "sont en cours de calcul en arrière-plan" in french.get(URL).content.decode()
    assert len(default_task_backend.results) == 2  # each language has its own

    english = default_task_backend.results[0]
    snapshots.compute_version_figures.call(*english.args)
    ready = olivia.get(URL).content.decode()
    assert "Figures from 1 finished attempt," in ready and "<svg" in ready
    assert "being computed" not in ready and "http-equiv" not in ready
    assert computed.call_count == 1


def test_meanwhile_the_figures_kept_before_are_shown_with_their_date(
    olivia, operator, version, computed, settings, monkeypatch
):
    monkeypatch.setattr(snapshots, "INLINE_LIMIT", 0)
    french = Client()
    french.force_login(operator)
    french.cookies["django_language"] = "fr"
    finished_attempt(version, MINI_ANSWERS)
    assert "Figures from 1 finished attempt," in olivia.get(URL).content.decode()  # at once
    french.get(URL)
    settings.TASKS = DUMMY
    finished_attempt(version, MINI_ANSWERS)

    stale = olivia.get(URL).content.decode()
    assert "These figures were computed on " in stale
    assert "from 1 finished attempt. Figures from all 2 finished attempts are being" in stale
    assert "Figures from 1 finished attempt," in stale and "<svg" in stale
    assert "http-equiv" not in stale
    assert "Ces chiffres ont été calculés le " in french.get(URL).content.decode()
    assert computed.call_count == 2 and len(default_task_backend.results) == 2


def test_a_computation_that_fails_can_be_asked_for_again(version, monkeypatch, settings):
    settings.TASKS = DUMMY
    monkeypatch.setattr(snapshots, "INLINE_LIMIT", 0)
    finished_attempt(version, MINI_ANSWERS)
    shown = snapshots.figures_for([version], include_synthetic=False)
    assert shown.pending and shown.snapshot is None
    monkeypatch.setattr(snapshots, "version_figures", _fail)
    (result,) = default_task_backend.results
    with pytest.raises(RuntimeError):
        snapshots.compute_version_figures.call(*result.args)
    snapshots.figures_for([version], include_synthetic=False)
    assert len(default_task_backend.results) == 2  # the failure let go of its mark


def _fail(*args, **kwargs):
    raise RuntimeError("computation failed")


def test_the_public_manual_reads_the_answers_again_only_when_they_change(version):
    real = manual.load_version_data
    with mock.patch.object(manual, "load_version_data", side_effect=real) as reads:
        visitor = Client()
        finished_attempt(version, MINI_ANSWERS)
        first = visitor.get("/manual/mini/1.0.0/")
        second = visitor.get("/manual/mini/1.0.0/")
        assert first.status_code == second.status_code == 200
        assert first.context["data"].n == second.context["data"].n == 1
        assert reads.call_count == 1
        finished_attempt(version, MINI_ANSWERS)
        assert visitor.get("/manual/mini/1.0.0/").context["data"].n == 2
        assert reads.call_count == 2
