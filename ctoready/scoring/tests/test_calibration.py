"""Bock–Aitkin EM calibration: agreement with girth, parameter recovery, clear errors."""

from pathlib import Path

import numpy as np
import pytest

from ctoready.scoring import (
    CalibrationError,
    DataError,
    InsufficientDataError,
    ItemParameters,
    calibrate_2pl,
    calibrate_grm,
    calibration,
    read_numeric_columns,
    simulate_responses,
)

DATA = Path(__file__).parent / "data"

# girth 0.8.0, grm_mml(responses.T, {"quadrature_n": 61, "quadrature_bounds": (-5, 5)}) on
# data/grm_1000x5.csv (simulated with a = 1.8, 1.2, 0.9, 1.5, 2.2).
GIRTH_GRM_A = [
    1.8437952883685356,
    1.245459011944566,
    0.9467536893592952,
    1.4596297398746587,
    2.2722610231796003,
]
GIRTH_GRM_B = [
    [-1.4435033563120863, -0.4671552075324682, 0.46715313038522605, 1.395645158413544],
    [-0.9153197710644405, -0.14695097378561162, 0.6825668835708751, 1.619760160974295],
    [-1.9551049026227039, -0.8144415281513018, 0.2777111669847884, 0.9891881702348251],
    [-1.0953854620805952, 0.08041886477301104, 0.8754957404190941, 1.8843569141144414],
    [-1.5263476848517756, -0.6272471879914754, 0.13883114495070506, 1.0657414613854639],
]
# girth 0.8.0, twopl_mml(responses.T, same options) on data/twopl_1000x6.csv.
GIRTH_2PL_A = [
    0.8345347896843022,
    1.7579978537833831,
    0.9973269144794045,
    1.7217181738586411,
    1.3044589005008735,
    1.6772400874919582,
]
GIRTH_2PL_B = [
    -1.0427626803514316,
    -0.3348616060612212,
    -1.3899586184163602e-06,
    0.3818645368995964,
    1.0328494378554969,
    1.4845853831759381,
]


def test_grm_agrees_with_girth():
    _, raw = read_numeric_columns(DATA / "grm_1000x5.csv")
    result = calibrate_grm(raw - 1, n_nodes=61)
    assert result.converged and result.n_respondents == 1000
    np.testing.assert_allclose([it.a for it in result.items], GIRTH_GRM_A, atol=0.02)
    np.testing.assert_allclose([it.b for it in result.items], GIRTH_GRM_B, atol=0.03)


def test_2pl_agrees_with_girth():
    _, raw = read_numeric_columns(DATA / "twopl_1000x6.csv")
    result = calibrate_2pl(raw, n_nodes=61)
    np.testing.assert_allclose([it.a for it in result.items], GIRTH_2PL_A, atol=0.005)
    np.testing.assert_allclose([it.b[0] for it in result.items], GIRTH_2PL_B, atol=0.005)


def test_slope_intercept_and_difficulty_metrics_agree():
    _, raw = read_numeric_columns(DATA / "twopl_1000x6.csv")
    for item in calibrate_2pl(raw).items:
        assert item.b[0] == pytest.approx(-item.d[0] / item.a)
        assert item.categories == 2
        assert item.parameters().thresholds == item.b


def test_parameter_recovery_with_missing_cells():
    rng = np.random.default_rng(20260101)
    true = [
        ItemParameters(
            float(rng.uniform(0.8, 2.5)),
            tuple(np.sort(rng.uniform(-1.8, 1.8, 4)) + np.arange(4) * 0.15),
        )
        for _ in range(10)
    ]
    data = simulate_responses(true, rng.standard_normal(2000), rng, missing_rate=0.1)
    result = calibrate_grm(data)
    a_true, a_est = [t.a for t in true], [e.a for e in result.items]
    b_true = np.concatenate([t.thresholds for t in true])
    b_est = np.concatenate([e.b for e in result.items])
    assert np.corrcoef(a_true, a_est)[0, 1] >= 0.95
    assert np.corrcoef(b_true, b_est)[0, 1] >= 0.95
    assert np.max(np.abs(np.subtract(a_true, a_est))) < 0.35


def test_loglik_is_the_marginal_likelihood_at_the_estimates():
    rng = np.random.default_rng(7)
    true = [
        ItemParameters(1.5, (-0.5, 0.5)),
        ItemParameters(1.0, (0.0,)),
        ItemParameters(2.0, (-1.0, 0.2, 1.0)),
    ]
    data = simulate_responses(true, rng.standard_normal(300), rng)
    result = calibrate_grm(data, n_nodes=41, tol=1e-7, max_iter=2000)
    nodes = np.linspace(-5, 5, 41)
    weights = np.exp(-(nodes**2) / 2)
    weights /= weights.sum()
    like = np.ones((300, 41))
    for j, item in enumerate(result.items):
        star = np.vstack(
            [
                np.ones(41),
                1 / (1 + np.exp(-(item.a * nodes + np.array(item.d)[:, None]))),
                np.zeros(41),
            ]
        )
        probs = star[:-1] - star[1:]
        like *= probs[data[:, j].astype(int)]
    # the E-step log-likelihood is computed before the last M-step: equal at convergence
    assert result.loglik == pytest.approx(float(np.log(like @ weights).sum()), abs=1e-4)


def test_iteration_cap_reports_no_convergence():
    _, raw = read_numeric_columns(DATA / "twopl_1000x6.csv")
    result = calibrate_2pl(raw, max_iter=2)
    assert (result.iterations, result.converged) == (2, False)
    assert result.max_change > 1e-4


def test_rows_without_any_answer_are_ignored():
    _, raw = read_numeric_columns(DATA / "twopl_1000x6.csv")
    padded = np.vstack([raw, np.full((50, 6), np.nan)])
    assert calibrate_2pl(padded).n_respondents == 1000


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        (
            np.column_stack([np.zeros(200), np.arange(200) % 2]),
            CalibrationError,
            "item 'item0' has 1 observed category",
        ),
        (
            np.column_stack([np.arange(200) % 2 * 2, np.arange(200) % 2]),
            CalibrationError,
            "category 1 is never observed",
        ),
        (
            np.column_stack([np.arange(50) % 2, np.arange(50) % 2]),
            InsufficientDataError,
            "50 respondents",
        ),
        (
            np.array([[0, 1], [1, 0.5]] * 100),
            DataError,
            "item 'item1', row 1: 0.5 is not a category",
        ),
        (np.array([[0, 1], [1, -1]] * 100), DataError, "row 1: -1 is not a category"),
        ([["a", 1]], DataError, "numeric"),
        (np.zeros(5), DataError, "respondents x items"),
    ],
)
def test_bad_calibration_data_is_named(data, error, message):
    with pytest.raises(error, match=message):
        calibrate_grm(data)


def test_item_ids_must_match_columns():
    with pytest.raises(DataError, match="1 item ids for 2 columns"):
        calibrate_grm(np.zeros((10, 2)), ["q1"])


def test_2pl_refuses_polytomous_data():
    with pytest.raises(DataError, match="0/1"):
        calibrate_2pl(np.column_stack([np.arange(200) % 3, np.arange(200) % 2]))


def test_m_step_safeguards_keep_current_values():
    # Private safeguards: a singular information matrix and a direction that cannot
    # improve the objective both leave the item's parameters unchanged.
    nodes = np.linspace(-5, 5, 41)
    w = np.exp(-(nodes**2) / 2)
    r = np.vstack([w * 300, np.zeros(41), w * 200])
    d = np.array([0.3, 0.3 - 1e-12])
    a, new_d = calibration._m_step(nodes, r, 3.0, d)
    assert a == 3.0 and new_d is d
    d = np.array([0.5, -0.5])
    current = calibration._expected_loglik(nodes, r, 1.0, d)
    uphill = calibration._fisher_step(nodes, r, 1.0, d)
    assert calibration._line_search(nodes, r, 1.0, d, -uphill, current) is None
