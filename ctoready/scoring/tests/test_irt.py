"""GRM/2PL probabilities, information and θ estimation against independent references."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, optimize, stats

from ctoready import scoring
from ctoready.scoring import (
    DataError,
    ItemParameters,
    ModelError,
    category_probabilities,
    eap,
    expected_score,
    item_information,
    map_estimate,
    sum_score_eap_table,
)

ITEMS = [
    ItemParameters(1.2, (-1.0, 0.0, 1.2), "q1"),
    ItemParameters(0.8, (-0.5, 0.7), "q2"),
    ItemParameters(2.0, (0.3,), "q3"),
]


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _pattern_likelihood(theta: float, pattern, items=ITEMS) -> float:
    """Hand-written GRM likelihood (independent of the package's vectorised code)."""
    like = 1.0
    for item, k in zip(items, pattern, strict=True):
        if k is None:
            continue
        upper = 1.0 if k == 0 else _sigmoid(item.a * (theta - item.thresholds[k - 1]))
        lower = (
            0.0 if k == len(item.thresholds) else _sigmoid(item.a * (theta - item.thresholds[k]))
        )
        like *= upper - lower
    return like


def test_2pl_probability_matches_hand_computation():
    # P(X=1 | θ=1) = 1 / (1 + exp(-1.5 (1 - 0.5))) = 1 / (1 + e^-0.75)
    p = category_probabilities(1.0, 1.5, (0.5,))
    assert p[0, 1] == pytest.approx(1 / (1 + math.exp(-0.75)), abs=1e-12)
    assert p[0, 0] == pytest.approx(1 - 1 / (1 + math.exp(-0.75)), abs=1e-12)


def test_grm_three_categories_match_hand_computation():
    # θ = 0, a = 1, b = (-1, 1): P*1 = σ(1) = 0.7310585786, P*2 = σ(-1) = 0.2689414214
    p = category_probabilities(0.0, 1.0, (-1.0, 1.0))[0]
    assert p == pytest.approx([0.2689414214, 0.4621171573, 0.2689414214], abs=1e-9)


def test_2pl_information_is_a_squared_pq():
    p = 1 / (1 + math.exp(-0.75))
    assert item_information(1.0, 1.5, (0.5,))[0] == pytest.approx(2.25 * p * (1 - p), rel=1e-12)


def test_grm_information_matches_numerical_derivative_definition():
    theta, h = 0.37, 1e-5
    a, b = 1.7, (-1.2, -0.1, 0.9, 2.0)
    deriv = (category_probabilities(theta + h, a, b) - category_probabilities(theta - h, a, b)) / (
        2 * h
    )
    expected = float(np.sum(deriv**2 / category_probabilities(theta, a, b)))
    assert item_information(theta, a, b)[0] == pytest.approx(expected, rel=1e-6)


def test_test_information_is_the_sum_of_item_information():
    grid = np.linspace(-3, 3, 13)
    total = sum(item_information(grid, it.a, it.thresholds) for it in ITEMS)
    np.testing.assert_allclose(scoring.test_information(grid, ITEMS), total, rtol=1e-12)


thresholds_strategy = (
    st.lists(st.floats(-3, 3), min_size=1, max_size=6, unique=True)
    .map(sorted)
    .filter(lambda b: all(y - x > 0.05 for x, y in itertools.pairwise(b)))
)


@settings(max_examples=200, deadline=None)
@given(theta=st.floats(-4, 4), a=st.floats(0.2, 4), b=thresholds_strategy)
def test_category_probabilities_are_in_open_unit_interval_and_sum_to_one(theta, a, b):
    p = category_probabilities(theta, a, b)
    assert np.all(p > 0) and np.all(p < 1)
    assert p.sum() == pytest.approx(1.0, abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(theta=st.floats(-4, 4), a=st.floats(0.2, 4), b=thresholds_strategy)
def test_item_information_is_positive(theta, a, b):
    assert item_information(theta, a, b)[0] > 0


@settings(max_examples=100, deadline=None)
@given(a=st.floats(0.2, 4), b=thresholds_strategy)
def test_test_characteristic_curve_is_increasing(a, b):
    curve = expected_score(np.linspace(-4, 4, 81), [ItemParameters(a, tuple(b))])
    assert np.all(np.diff(curve) > 0)


def test_eap_matches_adaptive_quadrature_reference():
    pattern = (2, 0, 1)

    def moment(power: int) -> float:
        return integrate.quad(
            lambda t: t**power * _pattern_likelihood(t, pattern) * stats.norm.pdf(t), -12, 12
        )[0]

    mean = moment(1) / moment(0)
    sd = math.sqrt(moment(2) / moment(0) - mean**2)
    est = eap([pattern], ITEMS)
    assert est.theta[0] == pytest.approx(mean, abs=1e-4)
    assert est.se[0] == pytest.approx(sd, abs=1e-4)


def test_eap_lies_between_prior_mean_and_maximum_likelihood():
    pattern = (2, 1, 1)
    mle = optimize.minimize_scalar(
        lambda t: -math.log(_pattern_likelihood(t, pattern)), bounds=(-6, 6), method="bounded"
    ).x
    est = eap([pattern], ITEMS)
    assert 0 < est.theta[0] < mle
    assert 0 < est.se[0] < 1


def test_eap_ignores_missing_cells():
    with_missing = eap([[2, np.nan, 1]], ITEMS)
    subset = eap([[2, 1]], [ITEMS[0], ITEMS[2]])
    assert with_missing.theta[0] == pytest.approx(subset.theta[0], abs=1e-12)
    no_data = eap([[np.nan, np.nan, np.nan]], ITEMS)
    assert no_data.theta[0] == pytest.approx(0.0, abs=1e-12)
    assert no_data.se[0] == pytest.approx(1.0, abs=1e-3)


@settings(max_examples=60, deadline=None)
@given(pattern=st.tuples(st.integers(0, 3), st.integers(0, 2), st.integers(0, 1)))
def test_reversing_every_item_negates_eap(pattern):
    reversed_items = [
        ItemParameters(it.a, tuple(-b for b in reversed(it.thresholds))) for it in ITEMS
    ]
    reversed_pattern = [it.categories - 1 - k for it, k in zip(ITEMS, pattern, strict=True)]
    original = eap([pattern], ITEMS)
    mirrored = eap([reversed_pattern], reversed_items)
    assert mirrored.theta[0] == pytest.approx(-original.theta[0], abs=1e-10)
    assert mirrored.se[0] == pytest.approx(original.se[0], abs=1e-10)


def test_map_matches_scipy_optimiser_and_numerical_curvature():
    pattern = (3, 1, 0)

    def neg_log_post(t: float) -> float:
        return -math.log(_pattern_likelihood(t, pattern)) + t * t / 2

    ref = optimize.minimize_scalar(
        neg_log_post, bounds=(-6, 6), method="bounded", options={"xatol": 1e-10}
    )
    h = 1e-4
    curvature = (neg_log_post(ref.x + h) - 2 * neg_log_post(ref.x) + neg_log_post(ref.x - h)) / h**2
    est = map_estimate([pattern], ITEMS)
    assert est.theta[0] == pytest.approx(ref.x, abs=1e-6)
    assert est.se[0] == pytest.approx(1 / math.sqrt(curvature), rel=1e-4)


def test_map_with_missing_item_and_empty_row():
    est = map_estimate([[3, np.nan, 0], [np.nan, np.nan, np.nan]], ITEMS)
    assert est.theta[1] == pytest.approx(0.0, abs=1e-9)
    assert est.se[1] == pytest.approx(1.0, abs=1e-9)
    assert np.all(np.isfinite(est.theta))


def test_lord_wingersky_matches_brute_force_enumeration():
    table = sum_score_eap_table(ITEMS, n_nodes=61)
    nodes = np.linspace(-5, 5, 61)
    prior = stats.norm.pdf(nodes)
    prior /= prior.sum()
    by_sum: dict[int, np.ndarray] = {}
    for pattern in itertools.product(*(range(it.categories) for it in ITEMS)):
        like = np.array([_pattern_likelihood(t, pattern) for t in nodes])
        by_sum[sum(pattern)] = by_sum.get(sum(pattern), 0) + like
    assert table.sum_scores.tolist() == sorted(by_sum)
    for s, like in by_sum.items():
        joint = like * prior
        mean = joint @ nodes / joint.sum()
        assert table.theta[s] == pytest.approx(mean, abs=1e-10)
        assert table.se[s] == pytest.approx(
            math.sqrt(joint @ nodes**2 / joint.sum() - mean**2), abs=1e-10
        )
        assert table.probability[s] == pytest.approx(joint.sum(), abs=1e-12)
    assert table.probability.sum() == pytest.approx(1.0)
    assert np.all(np.diff(table.theta) > 0)


@pytest.mark.parametrize(
    ("a", "b", "message"),
    [
        (0.0, (0.0,), "discrimination"),
        (float("nan"), (0.0,), "discrimination"),
        (1.0, (), "at least one threshold"),
        (1.0, (0.0, float("inf")), "finite"),
        (1.0, (0.5, 0.2), "strictly increasing"),
    ],
)
def test_bad_item_parameters_are_refused(a, b, message):
    with pytest.raises(ModelError, match=message):
        ItemParameters(a, b, "q9")
    with pytest.raises(ModelError, match=message):
        category_probabilities(0.0, a, b)


def test_bad_responses_name_the_item_and_row():
    with pytest.raises(DataError, match=r"item 'q2', row 1: 5 is not a category 0\.\.2"):
        eap([[0, 0, 0], [1, 5, 0]], ITEMS)
    with pytest.raises(DataError, match="3 columns"):
        eap([[0, 0]], ITEMS)
    with pytest.raises(ModelError, match="not numeric"):
        eap([["x", 0, 0]], ITEMS)
    with pytest.raises(DataError, match="not a category"):
        eap([[0.5, 0, 0]], ITEMS)


def test_theta_must_be_finite_one_dimensional():
    with pytest.raises(ModelError, match="theta"):
        item_information([[0.0, 1.0]], 1.0, (0.0,))
    with pytest.raises(ModelError, match="theta"):
        item_information(float("nan"), 1.0, (0.0,))


def test_quadrature_needs_enough_nodes():
    with pytest.raises(ModelError, match="n_nodes"):
        eap([[0, 0, 0]], ITEMS, n_nodes=3)


def test_item_parameters_report_categories():
    assert ITEMS[0].categories == 4
