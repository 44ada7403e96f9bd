"""DIF for polytomous items: identities, bands and simulated DIF."""

import numpy as np
import pytest

from ctoready import scoring
from ctoready.scoring.errors import DataError


def test_one_stratum_mantel_statistic_is_n_minus_one_times_r_squared():
    # With a single stratum, Mantel's statistic is the correlation statistic (n - 1) r².
    rng = np.random.default_rng(1)
    y = rng.integers(1, 6, 80).astype(float)
    g = rng.random(80) < 0.4
    dif = scoring.polytomous_dif(y, np.zeros(80), g)
    r = np.corrcoef(y, g.astype(float))[0, 1]
    assert dif.chi2 == pytest.approx(79 * r**2, rel=1e-12)
    assert dif.smd == pytest.approx(y[g].mean() - y[~g].mean(), rel=1e-12)


def test_smd_weights_strata_by_the_focal_group():
    y = np.array([1, 2, 3, 3, 4, 5, 2, 4], dtype=float)
    m = np.array([0, 0, 0, 0, 1, 1, 1, 1], dtype=float)
    g = np.array([1, 1, 0, 0, 1, 0, 0, 0], dtype=bool)
    # stratum 0: focal mean 1.5, reference 3 (2 focal); stratum 1: focal 4, reference 11/3 (1)
    expected = (2 * (1.5 - 3.0) + 1 * (4.0 - 11.0 / 3.0)) / 3
    assert scoring.polytomous_dif(y, m, g).smd == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("effect", "p", "band"),
    [(0.10, 0.001, "A"), (0.30, 0.20, "A"), (0.20, 0.001, "B"), (-0.30, 0.001, "C")],
)
def test_ets_bands(effect, p, band):
    assert scoring.ets_polytomous_class(effect, p) == band


def _simulate(shift: float, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    items = [scoring.ItemParameters(a=1.4, thresholds=(-1.5, -0.5, 0.5, 1.5)) for _ in range(6)]
    theta = rng.standard_normal(1200)
    focal = rng.random(1200) < 0.5
    data = scoring.simulate_responses(items, theta, rng) + 1
    shifted = scoring.ItemParameters(
        a=1.4, thresholds=(-1.5 + shift, -0.5 + shift, 0.5 + shift, 1.5 + shift)
    )
    data[focal, 0] = scoring.simulate_responses([shifted], theta[focal], rng)[:, 0] + 1
    return data[:, 0], data.sum(axis=1), focal


def test_no_dif_is_class_a_and_an_item_made_harder_for_one_group_is_flagged():
    fair = scoring.polytomous_dif(*_simulate(0.0, 3))
    assert abs(fair.effect_size) < 0.17 and fair.ets_class == "A"
    biased = scoring.polytomous_dif(*_simulate(1.0, 3))
    assert biased.smd < 0 and biased.ets_class == "C" and biased.p_value < 1e-6


def test_groups_too_small_are_refused():
    with pytest.raises(DataError):
        scoring.polytomous_dif([1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [True, False, False])
