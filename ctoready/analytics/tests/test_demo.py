"""`ctoready demo` makes synthetic attempts that real-data figures and norms leave out."""

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ctoready.analytics.data import load_version_data
from ctoready.analytics.models import SyntheticAttempt
from ctoready.analytics.tests.conftest import demo
from ctoready.assessments.models import Attempt
from ctoready.reports import norms
from ctoready.reports.models import Report
from ctoready.testing import MINI_ANSWERS, finished_attempt

pytestmark = pytest.mark.django_db


def test_demo_creates_finished_attempts_marked_synthetic(version):
    out = demo(12, seed=4)
    assert "12 synthetic" in out
    finished = Attempt.objects.filter(status=Attempt.Status.FINISHED)
    assert finished.count() == 12
    assert SyntheticAttempt.objects.filter(attempt__in=finished, seed=4).count() == 12
    assert Report.objects.filter(attempt__in=finished).count() == 12
    assert all(a.finished_at > a.created_at for a in finished)


def test_demo_takes_the_deep_dive_of_an_instrument_that_has_one(db):
    """The shipped instrument has a deep-dive: the demo answers it after the core (it used
    to answer both at once and stop with the flow's "belongs to the deep-dive" error)."""
    from ctoready.assessments.models import Answer, AnswerSheet
    from ctoready.instruments.loader import load_bytes
    from ctoready.instruments.services import document_for, import_instrument
    from ctoready.testing import mini_with_deep_dive

    loaded = load_bytes(mini_with_deep_dive().encode(), "mini-deep.yaml")
    version = import_instrument(loaded=loaded, name="mini-deep.yaml").version
    assert "20 synthetic" in demo(20, seed=3, instrument="mini@1.1.0")
    deep = document_for(version).items_in("deep")
    for attempt in Attempt.objects.all():
        assert attempt.created_at < attempt.finished_at == attempt.deep_started_at
        assert attempt.deep_started_at < attempt.deep_finished_at
        core = (attempt.finished_at - attempt.created_at).total_seconds()
        dive = (attempt.deep_finished_at - attempt.deep_started_at).total_seconds()
        assert abs(core - attempt.core_seconds) <= 1 and abs(dive - attempt.deep_seconds) <= 1
        answered = set(Answer.objects.filter(attempt=attempt).values_list("item_id", flat=True))
        assert {item.id for item in deep} <= answered
    data = load_version_data([version], include_synthetic=True)
    assert data.n == 20 and all(a["sjt-costs"] for a in data.answers)
    assert AnswerSheet.objects.count() == 20
    assert Report.objects.count() == 40  # the core's report, then the deep-dive's


def test_demo_answers_follow_the_model_and_are_reproducible(version):
    demo(150, seed=9)
    first = load_version_data([version], include_synthetic=True)
    keyed = first.keyed()
    strategy = keyed[:, first.columns("strategy")]
    total = np.nanmean(strategy, axis=1)
    # Items of one scale correlate positively once reverse-keyed items are recoded.
    for j in range(strategy.shape[1]):
        seen = ~np.isnan(strategy[:, j])
        assert np.corrcoef(strategy[seen, j], total[seen])[0, 1] > 0.3
    assert 0 < first.no_opportunity.mean() < 0.15
    Attempt.objects.all().delete()
    demo(150, seed=9)
    again = load_version_data([version], include_synthetic=True)
    assert np.array_equal(np.nan_to_num(again.values), np.nan_to_num(first.values))


def test_real_data_and_norms_leave_synthetic_attempts_out(version):
    demo(5)
    real = finished_attempt(version, MINI_ANSWERS)
    data = load_version_data([version])
    assert data.attempt_ids == [real.pk] and data.n_synthetic == 0
    assert load_version_data([version], include_synthetic=True).n == 6
    norms.forget_reference_groups()
    assert norms.reference_group(version).n == 1


def test_demo_refuses_an_unknown_instrument_and_a_silly_count(version):
    with pytest.raises(CommandError, match="no published instrument"):
        call_command("demo", "--attempts", "3", "--instrument", "nope")
    with pytest.raises(CommandError, match="between 1 and"):
        call_command("demo", "--attempts", "0", "--instrument", "mini")
