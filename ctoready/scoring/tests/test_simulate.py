"""Simulation: response distribution, reliability and completion time."""

import numpy as np
import pytest

from ctoready.scoring import (
    DataError,
    ItemParameters,
    ModelError,
    category_probabilities,
    estimate_reliability,
    simulate_completion_times,
    simulate_responses,
)


def test_simulated_category_frequencies_match_grm_probabilities():
    item = ItemParameters(1.3, (-0.8, 0.1, 1.1))
    rng = np.random.default_rng(11)
    x = simulate_responses([item], np.full(40000, 0.4), rng)
    observed = np.bincount(x[:, 0].astype(int), minlength=4) / 40000
    np.testing.assert_allclose(
        observed, category_probabilities(0.4, 1.3, (-0.8, 0.1, 1.1))[0], atol=0.01
    )


def test_simulation_is_reproducible_and_applies_missingness():
    items = [ItemParameters(1.0, (0.0,))] * 3
    one = simulate_responses(items, np.zeros(1000), np.random.default_rng(1), missing_rate=0.2)
    two = simulate_responses(items, np.zeros(1000), np.random.default_rng(1), missing_rate=0.2)
    np.testing.assert_array_equal(one, two)
    assert 0.17 < np.isnan(one).mean() < 0.23


def test_reliability_grows_with_scale_length():
    rng = np.random.default_rng(4)
    short = estimate_reliability([ItemParameters(1.5, (-1.0, 0.0, 1.0))] * 3, rng, n=3000)
    long = estimate_reliability([ItemParameters(1.5, (-1.0, 0.0, 1.0))] * 12, rng, n=3000)
    assert 0 < short.empirical < long.empirical < 1
    assert long.true_score_r2 == pytest.approx(long.empirical, abs=0.03)
    assert long.mean_se < short.mean_se


def test_completion_times_median_and_p90():
    rng = np.random.default_rng(8)
    times = simulate_completion_times(
        ["likert"] * 60 + ["scenario"] * 8, {"likert": 6.0, "scenario": 45.0}, rng, n=5000
    )
    nominal = 60 * 6 + 8 * 45
    assert times.median == pytest.approx(nominal * np.exp(0.25**2 / 2), rel=0.05)
    assert times.p90 > times.median and times.mean > times.median
    fixed = simulate_completion_times(
        ["likert"] * 2, {"likert": 5.0}, rng, person_sd=0.0, item_sd=0.0
    )
    assert (fixed.median, fixed.p90) == (10.0, 10.0)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda r: simulate_responses([], [np.nan], r), DataError, "finite"),
        (lambda r: simulate_responses([], [0.0], r, missing_rate=1.0), DataError, "missing_rate"),
        (lambda r: estimate_reliability([], r), DataError, "at least one item"),
        (lambda r: simulate_completion_times(["video"], {"likert": 5.0}, r), ModelError, "'video'"),
        (
            lambda r: simulate_completion_times(["likert"], {"likert": 0.0}, r),
            ModelError,
            "seconds > 0",
        ),
    ],
)
def test_bad_simulation_settings_are_refused(call, error, message):
    with pytest.raises(error, match=message):
        call(np.random.default_rng(0))
