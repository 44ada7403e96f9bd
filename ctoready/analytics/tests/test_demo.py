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
