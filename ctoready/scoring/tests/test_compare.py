"""Differences, change, percentiles and ipsative classification beyond measurement error."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ctoready.scoring import (
    DataError,
    InsufficientDataError,
    change_beyond_error,
    classify_profile,
    differs_beyond_error,
    percentile_rank,
    wilson_interval,
)


def test_difference_threshold_is_196_root_sum_of_squared_sems():
    # SEMs 3 and 4 → SE of the difference 5 → threshold 1.96 × 5 = 9.8
    assert differs_beyond_error(60.0, 3.0, 50.1, 4.0)
    assert not differs_beyond_error(60.0, 3.0, 50.3, 4.0)
    assert not differs_beyond_error(50.0, 0.0, 50.0, 0.0)


@given(x1=st.floats(0, 100), x2=st.floats(0, 100), s1=st.floats(0, 20), s2=st.floats(0, 20))
def test_difference_test_is_symmetric(x1, x2, s1, s2):
    assert differs_beyond_error(x1, s1, x2, s2) == differs_beyond_error(x2, s2, x1, s1)


def test_reliable_change_index_by_hand():
    # Jacobson & Truax: RCI = (62 - 50) / sqrt(4² + 3²) = 12 / 5 = 2.4 > 1.96
    change = change_beyond_error(50.0, 4.0, 62.0, 3.0)
    assert (change.change, change.se, change.rci) == pytest.approx((12.0, 5.0, 2.4))
    assert change.beyond_error and change.direction == "increase"
    assert change_beyond_error(62.0, 4.0, 50.0, 3.0).direction == "decrease"
    assert change_beyond_error(50.0, 4.0, 55.0, 3.0).direction == "no_clear_change"


def test_change_needs_a_positive_standard_error():
    with pytest.raises(DataError, match="positive standard error"):
        change_beyond_error(1.0, 0.0, 2.0, 0.0)
    with pytest.raises(DataError, match="finite"):
        change_beyond_error(1.0, -1.0, 2.0, 1.0)
    with pytest.raises(DataError, match="finite"):
        differs_beyond_error(1.0, math.nan, 2.0, 1.0)


def test_wilson_interval_matches_published_example():
    # Newcombe (1998), Statistics in Medicine 17, Table I, example 81/263: 0.2553 to 0.3662
    low, high = wilson_interval(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)
    assert wilson_interval(0, 10)[0] == 0.0
    with pytest.raises(DataError):
        wilson_interval(11, 10)


def test_percentile_rank_uses_mid_ranks_and_its_interval_widens_with_sem():
    reference = np.arange(400, dtype=float)  # 0..399
    exact = percentile_rank(100.0, reference)
    assert exact.percentile == pytest.approx(100 * (100 + 0.5) / 400)
    assert exact.ci95_low < exact.percentile < exact.ci95_high
    noisy = percentile_rank(100.0, reference, sem=10.0)
    assert noisy.ci95_low < exact.ci95_low and noisy.ci95_high > exact.ci95_high
    assert noisy.n == 400


def test_percentile_is_refused_below_min_n():
    with pytest.raises(InsufficientDataError, match="n=299; percentiles need n >= 300"):
        percentile_rank(50.0, np.zeros(299))
    assert percentile_rank(50.0, np.zeros(20), min_n=20).percentile == 100.0


def test_percentile_rejects_non_finite_values():
    with pytest.raises(DataError, match="finite"):
        percentile_rank(math.nan, np.zeros(300))


def test_ipsative_rule_by_hand():
    # k = 3, all SE = 5: Var(d) = (1 - 2/3)·25 + 75/9 = 16.667 → SD 4.082 → cut 8.0
    labels = classify_profile([70.0, 55.0, 40.0], [5.0, 5.0, 5.0])
    assert labels == ("strength", "no_clear_difference", "development")
    sd = math.sqrt((1 - 2 / 3) * 25 + 75 / 9)
    assert classify_profile([55 + 1.97 * sd, 55, 55 - 1.97 * sd], [5, 5, 5])[0] == "strength"
    assert (
        classify_profile([55 + 1.95 * sd, 55, 55 - 1.95 * sd], [5, 5, 5])[0]
        == "no_clear_difference"
    )


def test_ipsative_rule_with_too_few_scales_claims_nothing():
    assert classify_profile([90.0], [1.0]) == ("no_clear_difference",)
    assert classify_profile([], []) == ()
    with pytest.raises(DataError, match="one SE per score"):
        classify_profile([1.0, 2.0], [1.0])


@given(st.lists(st.floats(0, 100), min_size=2, max_size=10))
def test_flat_profile_has_no_strengths(scores):
    mean = sum(scores) / len(scores)
    assert set(classify_profile([mean] * len(scores), [3.0] * len(scores))) == {
        "no_clear_difference"
    }
