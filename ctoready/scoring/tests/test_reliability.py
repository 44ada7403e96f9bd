"""Alpha, omega and item statistics against published and independently computed values."""

import numpy as np
import pytest

from ctoready.scoring import (
    DataError,
    InsufficientDataError,
    ModelError,
    alpha_if_dropped,
    classical_sem,
    cronbach_alpha,
    feldt_interval,
    item_covariance,
    item_statistics,
    item_total_correlations,
    mcdonald_omega,
    pomp_score,
    spearman_brown,
)

NAN = np.nan
# pingouin's "cronbach_wide_missing" dataset (pingouin 0.7.0, pingouin/datasets/).
WIDE_MISSING = [
    [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
    [1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0],
    [NAN, 0, 1, 1, NAN, 1, 1, 1, 1, 0, 0],
    [1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 0],
    [1, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0],
    [0, 1, NAN, 0, 1, 1, 1, 1, 0, 0, 0],
    [1, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
    [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0],
    [0, 1, 0, 1, 1, 0, 0, 0, 0, 1, 0],
    [1, 0, 0, 1, 0, 1, 0, 0, NAN, 0, 0],
    [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0],
    [1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0],
]

# 40 x 5 Likert answers simulated once from a one-factor model (seed 2026) and frozen here.
OMEGA_DATA = np.array(
    [
        [2, 2, 2, 4, 3],
        [4, 5, 2, 5, 5],
        [2, 2, 1, 3, 1],
        [4, 4, 4, 5, 4],
        [3, 3, 3, 2, 3],
        [4, 2, 3, 2, 3],
        [2, 2, 5, 2, 4],
        [4, 3, 3, 4, 3],
        [4, 2, 3, 3, 3],
        [2, 2, 3, 2, 3],
        [4, 2, 2, 2, 4],
        [5, 3, 4, 2, 3],
        [2, 3, 4, 3, 4],
        [3, 3, 3, 3, 4],
        [3, 1, 3, 3, 3],
        [4, 2, 3, 4, 3],
        [3, 2, 2, 4, 3],
        [4, 4, 5, 3, 3],
        [2, 2, 4, 2, 3],
        [3, 3, 4, 1, 1],
        [4, 2, 3, 3, 2],
        [5, 5, 4, 3, 4],
        [2, 3, 3, 2, 3],
        [2, 3, 1, 3, 3],
        [4, 5, 4, 2, 5],
        [4, 5, 5, 3, 5],
        [3, 3, 2, 4, 2],
        [3, 5, 4, 4, 5],
        [3, 3, 3, 2, 3],
        [4, 4, 3, 1, 4],
        [2, 2, 3, 3, 2],
        [3, 3, 4, 4, 4],
        [4, 4, 4, 4, 4],
        [5, 3, 4, 4, 4],
        [2, 3, 3, 1, 2],
        [4, 3, 3, 2, 3],
        [2, 2, 2, 2, 3],
        [2, 2, 2, 2, 2],
        [3, 5, 5, 5, 5],
        [3, 4, 4, 4, 5],
    ],
    dtype=float,
)


def _alpha_by_hand(x: np.ndarray) -> float:
    k = x.shape[1]
    return k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1))


def test_alpha_pairwise_matches_pingouin_and_r_psych():
    # pingouin.cronbach_alpha(data) docstring: (0.732660835214447, [0.435, 0.909]),
    # there checked against R psych::alpha(data, use="pairwise").
    result = cronbach_alpha(WIDE_MISSING, missing="pairwise")
    assert result.alpha == pytest.approx(0.732660835214447, abs=1e-12)
    assert (round(result.ci_low, 3), round(result.ci_high, 3)) == (0.435, 0.909)
    assert (result.n, result.k) == (12, 11)


def test_alpha_listwise_matches_pingouin_and_r_psych():
    # pingouin.cronbach_alpha(data, nan_policy="listwise"): (0.8016949152542373, [0.581, 0.933])
    # pingouin takes n = 12 (all rows) before dropping incomplete ones; Feldt's n is the
    # number of respondents actually used, 9, so only alpha and the n = 12 interval match.
    result = cronbach_alpha(WIDE_MISSING, missing="listwise")
    assert result.alpha == pytest.approx(0.8016949152542373, abs=1e-12)
    low, high = feldt_interval(result.alpha, 12, 11)
    assert (round(low, 3), round(high, 3)) == (0.581, 0.933)
    assert result.n == 9
    assert result.ci_low < low and result.ci_high > high  # fewer respondents, wider


def test_alpha_on_complete_data_matches_pingouin_and_hand_formula():
    # pingouin 0.7.0 on OMEGA_DATA: (0.7420687689969607, [0.59, 0.85])
    result = cronbach_alpha(OMEGA_DATA)
    assert result.alpha == pytest.approx(0.7420687689969607, abs=1e-12)
    assert result.alpha == pytest.approx(_alpha_by_hand(OMEGA_DATA), abs=1e-12)
    assert (round(result.ci_low, 2), round(result.ci_high, 2)) == (0.59, 0.85)


def test_omega_matches_factor_analyzer_minres_loadings():
    # factor_analyzer 0.5.1: FactorAnalyzer(n_factors=1, rotation=None, method="minres")
    # .fit(OMEGA_DATA).loadings_, sign-aligned; omega = (Σλ)² / ((Σλ)² + Σ(1 - λ²)).
    reference = [
        0.4798093935511132,
        0.8176126199788156,
        0.5545674733265892,
        0.37594877678469596,
        0.8320066353281931,
    ]
    result = mcdonald_omega(OMEGA_DATA)
    np.testing.assert_allclose(result.loadings, reference, atol=1e-5)
    assert result.omega_total == pytest.approx(0.7597930862771792, abs=1e-6)
    np.testing.assert_allclose(result.uniquenesses, 1 - np.asarray(reference) ** 2, atol=1e-5)


def test_omega_is_invariant_to_reversing_an_item_sign_convention():
    flipped = OMEGA_DATA * -1
    assert mcdonald_omega(flipped).omega_total == pytest.approx(
        mcdonald_omega(OMEGA_DATA).omega_total
    )


def test_omega_for_two_items_uses_equal_loadings():
    two = OMEGA_DATA[:, [1, 4]]
    r = np.corrcoef(two.T)[0, 1]
    result = mcdonald_omega(two)
    assert result.loadings == pytest.approx([np.sqrt(r), np.sqrt(r)])
    assert result.omega_total == pytest.approx(4 * r / (4 * r + 2 * (1 - r)))
    with pytest.raises(DataError, match="positive inter-item correlation"):
        mcdonald_omega(np.column_stack([two[:, 0], -two[:, 0] + np.arange(40) % 2]))


def test_omega_caps_heywood_cases():
    rng = np.random.default_rng(5)
    f = rng.standard_normal(500)
    x = np.column_stack(
        [f, f + 1e-3 * rng.standard_normal(500), rng.standard_normal(500) + f * 0.3]
    )
    result = mcdonald_omega(x)
    assert np.all(result.loadings**2 <= 0.995 + 1e-12)
    assert 0 < result.omega_total < 1


def test_corrected_item_total_matches_raw_data_correlations():
    expected = [
        np.corrcoef(OMEGA_DATA[:, i], np.delete(OMEGA_DATA, i, axis=1).sum(axis=1))[0, 1]
        for i in range(5)
    ]
    np.testing.assert_allclose(item_total_correlations(OMEGA_DATA), expected, atol=1e-12)


def test_alpha_if_dropped_matches_alpha_of_each_subset():
    expected = [_alpha_by_hand(np.delete(OMEGA_DATA, i, axis=1)) for i in range(5)]
    np.testing.assert_allclose(alpha_if_dropped(OMEGA_DATA), expected, atol=1e-12)


def test_pairwise_covariance_matches_pair_by_pair_computation():
    x = np.array(WIDE_MISSING, dtype=float)
    cov = item_covariance(x, "pairwise")
    for i in range(x.shape[1]):
        for j in range(x.shape[1]):
            both = ~np.isnan(x[:, i]) & ~np.isnan(x[:, j])
            ref = np.cov(x[both, i], x[both, j])[0, 1]
            assert cov.cov[i, j] == pytest.approx(ref, abs=1e-12)
            assert cov.pair_counts[i, j] == both.sum()


def test_item_statistics_bundle_agrees_with_individual_functions():
    stats = item_statistics(OMEGA_DATA)
    assert stats.alpha.alpha == pytest.approx(cronbach_alpha(OMEGA_DATA).alpha)
    assert stats.omega.omega_total == pytest.approx(mcdonald_omega(OMEGA_DATA).omega_total)
    np.testing.assert_allclose(stats.item_total_r, item_total_correlations(OMEGA_DATA))
    np.testing.assert_allclose(stats.alpha_if_dropped, alpha_if_dropped(OMEGA_DATA))
    assert (stats.n, stats.k) == (40, 5)


@pytest.mark.parametrize(
    ("alpha", "n", "k", "level"),
    [(0.8, 200, 10, 0.95), (0.73, 12, 11, 0.95), (0.91, 100_065, 50, 0.99), (0.5, 3, 3, 0.9)],
)
def test_feldt_interval_uses_the_quantiles_of_scipy_stats_f(alpha, n, k, level):
    """The interval's F quantiles come from ``scipy.special.fdtri`` (cheap to load), and
    are ``scipy.stats.f.isf``'s to twelve digits."""
    from scipy.stats import f

    gamma, df1, df2 = 1 - level, n - 1, (n - 1) * (k - 1)
    low, high = feldt_interval(alpha, n, k, level)
    assert low == pytest.approx(1 - (1 - alpha) * f.isf(gamma / 2, df1, df2), rel=1e-12)
    assert high == pytest.approx(1 - (1 - alpha) * f.isf(1 - gamma / 2, df1, df2), rel=1e-12)


def test_feldt_interval_is_ordered_and_contains_alpha():
    low, high = feldt_interval(0.8, 200, 10)
    assert low < 0.8 < high
    with pytest.raises(InsufficientDataError):
        feldt_interval(0.8, 1, 10)


def test_constant_column_is_named():
    x = OMEGA_DATA.copy()
    x[:, 2] = 3
    with pytest.raises(DataError, match="column 'c' is constant"):
        cronbach_alpha(x, columns=["a", "b", "c", "d", "e"])


def test_too_few_respondents_are_refused():
    with pytest.raises(InsufficientDataError, match="only 2 respondents answered every item"):
        cronbach_alpha(OMEGA_DATA[:2])
    sparse = OMEGA_DATA[:6].copy()
    sparse[:4, 1] = np.nan
    with pytest.raises(InsufficientDataError, match="columns 'a' and 'b': only 2 respondents"):
        cronbach_alpha(sparse, "pairwise", columns=list("abcde"))
    with pytest.raises(InsufficientDataError, match="at least 3 items"):
        item_statistics(OMEGA_DATA[:, :2])
    with pytest.raises(InsufficientDataError, match="at least 3 items"):
        alpha_if_dropped(OMEGA_DATA[:, :2])


@pytest.mark.parametrize(
    ("data", "kwargs", "message"),
    [
        ([["a", 1], [2, 3]], {}, "numeric"),
        ([1, 2, 3], {}, "respondents x items"),
        (
            [[1, np.inf], [2, 3], [1, 1]],
            {"columns": ["q1", "q2"]},
            "column 'q2', row 0: value is infinite",
        ),
        (OMEGA_DATA, {"missing": "mean"}, "listwise' or 'pairwise"),
        (OMEGA_DATA, {"columns": ["a"]}, "1 column names for 5 columns"),
    ],
)
def test_bad_matrices_raise_clear_errors(data, kwargs, message):
    with pytest.raises(DataError, match=message):
        item_covariance(data, **kwargs)


def test_rest_score_without_variance_is_an_error():
    x = np.array([[1, 1, 2], [2, 2, 1], [3, 1, 2], [4, 2, 1]], dtype=float)
    with pytest.raises(DataError, match="no variance"):
        item_total_correlations(x)


def test_pomp_sem_and_spearman_brown_by_hand():
    assert pomp_score([1, 5, 3], [5, 5, 5]) == pytest.approx(50.0)
    assert pomp_score([2, 7], [3, 7]) == pytest.approx(75.0)
    # ρ = 0.8 doubled: 2·0.8 / (1 + 0.8) = 0.8889
    assert spearman_brown(0.8, 2) == pytest.approx(1.6 / 1.8)
    # half of a ρ = 0.8 scale: 0.4 / 0.6 = 0.6667 → SEM = 20·sqrt(1/3)
    assert classical_sem(5, 10, 0.8, 20.0) == pytest.approx(20 * np.sqrt(1 - 0.4 / 0.6))
    assert classical_sem(10, 10, 0.8, 20.0) == pytest.approx(20 * np.sqrt(0.2))


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: pomp_score([], []), DataError),
        (lambda: pomp_score([6], [5]), DataError),
        (lambda: spearman_brown(1.0, 2), ModelError),
        (lambda: classical_sem(0, 10, 0.8, 20.0), ModelError),
    ],
)
def test_classical_helpers_refuse_bad_input(call, error):
    with pytest.raises(error):
        call()
