"""Panel agreement and reliability against published values."""

import numpy as np
import pytest

from ctoready import scoring
from ctoready.scoring.errors import DataError

SHROUT_FLEISS = [
    [9, 2, 5, 8],
    [6, 1, 3, 2],
    [8, 4, 6, 8],
    [7, 1, 2, 6],
    [10, 5, 6, 9],
    [6, 2, 4, 7],
]


def test_rwg_matches_the_worked_example():
    # Ratings 6,6,7,5,6,7,6,5 on 7 points: s² = .571, σ²_E = 4, rwg = .857.
    assert scoring.uniform_null_variance(7) == 4.0
    assert scoring.rwg([6, 6, 7, 5, 6, 7, 6, 5]) == pytest.approx(1 - 0.5714285714 / 4, abs=1e-9)
    assert scoring.rwg([1, 7, 1, 7]) == 0.0  # more spread than chance


def test_rwg_j_follows_the_spearman_brown_form():
    ratings = np.array(
        [[6, 2, 4, 1], [6, 3, 4, 2], [7, 2, 5, 1], [5, 2, 4, 1], [6, 1, 3, 2], [6, 2, 4, 1]]
    )
    ratio = np.mean(np.var(ratings, axis=0, ddof=1)) / 4.0
    expected = 4 * (1 - ratio) / (4 * (1 - ratio) + ratio)
    assert scoring.rwg_j(ratings) == pytest.approx(expected, abs=1e-12)
    assert scoring.rwg_j(ratings) > scoring.rwg(ratings[:, 0])


def test_small_panels_pass_70_by_chance_more_often_than_large_ones():
    rng = np.random.default_rng(1)
    small = scoring.rwg_j_null(3, 4, rng, draws=4000)
    large = scoring.rwg_j_null(12, 4, rng, draws=4000)
    assert small > large and small > 0.5


def test_icc_matches_shrout_and_fleiss():
    icc = scoring.intraclass_correlations(SHROUT_FLEISS)
    expected = (0.166, 0.290, 0.715, 0.443, 0.620, 0.909)
    got = (icc.icc1, icc.icc2, icc.icc3, icc.icc1k, icc.icc2k, icc.icc3k)
    assert got == pytest.approx(expected, abs=0.0006)


def test_ratings_outside_the_scale_are_refused():
    with pytest.raises(DataError):
        scoring.rwg([0, 8])
