"""Standard errors of GRM estimates cover the true values at the nominal rate; S-X² accepts
items that fit and rejects an item that does not."""

import numpy as np
import pytest

from ctoready import scoring

TRUE = [
    (1.0, (-1.8, -0.6, 0.5, 1.6)),
    (1.5, (-2.0, -0.8, 0.2, 1.2)),
    (0.8, (-1.2, -0.2, 0.8, 1.9)),
    (1.2, (-2.2, -1.0, 0.0, 1.0)),
    (2.0, (-1.5, -0.5, 0.4, 1.4)),
]


def items():
    return [scoring.ItemParameters(a=a, thresholds=b, id=f"i{j}") for j, (a, b) in enumerate(TRUE)]


def test_standard_errors_cover_true_parameters_at_the_nominal_rate():
    # 20 replications x 25 parameters (a and d): 95% intervals should hold ~95% of them.
    covered, total, se_a = 0, 0, []
    for seed in range(20):
        rng = np.random.default_rng(100 + seed)
        data = scoring.simulate_responses(items(), rng.standard_normal(600), rng)
        result = scoring.calibrate_grm(data, [f"i{j}" for j in range(5)])
        errors = scoring.grm_standard_errors(data, result)
        for (a, b), est, se in zip(TRUE, result.items, errors, strict=True):
            d = [-a * bk for bk in b]
            truth = [a, *d]
            values = [est.a, *est.d]
            spread = [se.a, *se.d]
            for t, v, s in zip(truth, values, spread, strict=True):
                covered += abs(v - t) <= 1.96 * s
                total += 1
            se_a.append(se.a)
    assert 0.90 <= covered / total <= 0.985
    # At n = 600 most slopes are estimated within the .25 withholding rule.
    assert float(np.median(se_a)) < 0.25


def test_standard_errors_shrink_with_the_square_root_of_n():
    rng = np.random.default_rng(5)
    theta = rng.standard_normal(3200)
    data = scoring.simulate_responses(items(), theta, rng)
    small = scoring.grm_standard_errors(data[:800], scoring.calibrate_grm(data[:800]))
    large = scoring.grm_standard_errors(data, scoring.calibrate_grm(data))
    ratio = np.mean([s.a / big.a for s, big in zip(small, large, strict=True)])
    assert ratio == pytest.approx(2.0, rel=0.15)


def test_sx2_accepts_fitting_items_and_flags_a_misfitting_one():
    rng = np.random.default_rng(8)
    theta = rng.standard_normal(2000)
    data = scoring.simulate_responses(items(), theta, rng)
    fits = scoring.sx2_item_fit(data, scoring.calibrate_grm(data))
    assert all(f.df > 0 and f.p_value > 0.001 for f in fits)
    # Item 0 answered by a non-monotone (U-shaped) rule that no GRM item can fit.
    bent = np.clip(np.rint(np.abs(theta) * 1.8 + rng.normal(0, 0.5, theta.size)), 0, 4)
    data[:, 0] = bent
    misfit = scoring.sx2_item_fit(data, scoring.calibrate_grm(data))
    assert misfit[0].p_value < 1e-6
