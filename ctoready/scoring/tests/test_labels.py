"""Strength/development labels control the chance of any spurious label across scales."""

import math

import numpy as np
import pytest

from ctoready.scoring import (
    DataError,
    classify_profile,
    davis_critical_difference,
    flat_profile_label_rate,
    holm_classify_profile,
    ipsative_deviations,
)

TEN_SES = [8.9] * 10  # the classical SEM of a full scale (docs/scoring.md)


def test_davis_critical_difference_matches_the_published_value():
    # MEASUREMENT.md: ten scales, reliability .80, T metric, Bonferroni: about 11.9 points.
    assert davis_critical_difference(10, 0.80) == pytest.approx(11.91, abs=0.01)
    # Without the correction: 1.96 x 4.472 x sqrt(.9) = 8.32.
    assert davis_critical_difference(10, 0.80, bonferroni=False) == pytest.approx(8.315, abs=0.01)


def test_ipsative_deviation_sd_reduces_to_davis_for_equal_errors():
    d, sd = ipsative_deviations([40, 50, 60], [5, 5, 5])
    assert d.tolist() == [-10, 0, 10]
    assert sd == pytest.approx([5 * math.sqrt(2 / 3)] * 3)


def test_holm_steps_down_from_the_smallest_p_value():
    scores = [30, 50, 50, 50, 50, 50, 50, 50, 50, 72]
    labels = holm_classify_profile(scores, [4.0] * 10)
    assert labels[0] == "development" and labels[-1] == "strength"
    assert set(labels[1:-1]) == {"no_clear_difference"}


def test_holm_is_stricter_than_testing_each_scale_alone():
    # 60 vs a mean of 51: z = 2.37, beyond 1.96 on its own, not beyond Holm's first step (2.81).
    scores = [60, 50, 50, 50, 50, 50, 50, 50, 50, 50]
    assert classify_profile(scores, [4.0] * 10)[0] == "strength"
    assert holm_classify_profile(scores, [4.0] * 10)[0] == "no_clear_difference"


def test_holm_labels_agree_with_davis_cut_for_equal_errors():
    # One scale far out, the rest flat: labelled exactly when its deviation exceeds the
    # Bonferroni critical difference (Holm's first step is Bonferroni's test).
    sem = 10 * math.sqrt(0.2)
    cut = davis_critical_difference(10, 0.80)
    for gap in (cut - 0.2, cut + 0.2):
        high = 50 + gap * 10 / 9  # x - mean = gap when the other nine sit at 50
        labels = holm_classify_profile([high] + [50] * 9, [sem] * 10)
        assert (labels[0] == "strength") == (gap > cut)


def test_fewer_than_two_scales_are_never_labelled():
    assert holm_classify_profile([80], [5]) == ("no_clear_difference",)
    assert holm_classify_profile([], []) == ()


def test_bad_inputs_raise_clear_errors():
    with pytest.raises(DataError):
        holm_classify_profile([1, 2], [1])
    with pytest.raises(DataError):
        holm_classify_profile([1, 2], [1, -1])
    with pytest.raises(DataError):
        holm_classify_profile([1, 2], [1, 1], alpha=0)


def test_flat_profiles_get_a_spurious_label_at_most_ten_percent_of_the_time():
    corrected = flat_profile_label_rate(TEN_SES, n=4000, seed=7)
    uncorrected = flat_profile_label_rate(TEN_SES, n=4000, seed=7, corrected=False)
    assert corrected <= 0.10
    assert corrected == pytest.approx(0.05, abs=3 * math.sqrt(0.05 * 0.95 / 4000) + 0.01)
    assert uncorrected > 0.30  # about 40%: why the correction is needed


def test_flat_profile_rate_holds_with_unequal_errors():
    ses = np.linspace(5, 12, 10).tolist()
    assert flat_profile_label_rate(ses, n=3000, seed=11) <= 0.10
