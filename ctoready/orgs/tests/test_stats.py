"""The cohort average and its interval, against values computed by hand."""

import math

import pytest

from ctoready.orgs.stats import cohort_mean


def test_no_scores_has_no_average():
    assert cohort_mean([], []) is None


def test_one_score_keeps_its_own_measurement_error():
    m = cohort_mean([60.0], [5.0])
    assert m.n == 1 and m.mean == 60.0 and m.se == 5.0
    assert m.low == pytest.approx(60 - 1.959964 * 5) and m.high == pytest.approx(60 + 1.959964 * 5)


def test_spread_between_members_sets_the_error_when_larger():
    # scores 40, 50, 60: s = 10, s / sqrt(3) = 5.7735; t(0.975, 2) = 4.302653
    m = cohort_mean([40.0, 50.0, 60.0], [3.0, 3.0, 3.0])
    assert m.mean == 50.0
    assert m.se == pytest.approx(10 / math.sqrt(3))
    assert m.low == pytest.approx(max(0.0, 50 - 4.302653 * 5.773503), abs=1e-4)
    assert m.high == pytest.approx(min(100.0, 50 + 4.302653 * 5.773503), abs=1e-4)


def test_measurement_error_remains_when_members_score_alike():
    # sqrt(4 * 6^2) / 4 = 3
    m = cohort_mean([50.0, 50.0, 50.0, 50.0], [6.0, 6.0, 6.0, 6.0])
    assert m.se == pytest.approx(3.0)
    assert m.low < 50.0 < m.high


def test_the_interval_stays_on_the_0_to_100_scale():
    m = cohort_mean([2.0, 98.0], [5.0, 5.0])
    assert m.low == 0.0 and m.high == 100.0


def test_one_error_per_score_is_required():
    with pytest.raises(ValueError, match="one standard error per score"):
        cohort_mean([1.0, 2.0], [1.0])
