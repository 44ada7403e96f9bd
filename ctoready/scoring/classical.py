"""Classical test theory: POMP scores, SEM, item covariances and item-level statistics.

Data matrices are float arrays (respondents x items) with ``NaN`` for missing cells.
Missing data are handled ``"listwise"`` (drop every row with a missing cell) or
``"pairwise"`` (each covariance from the rows where both items are observed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ._arrays import FloatArray
from .errors import DataError, InsufficientDataError, ModelError

__all__ = [
    "ItemCovariance",
    "alpha_from_cov",
    "alpha_if_dropped",
    "classical_sem",
    "item_covariance",
    "item_total_correlations",
    "pomp_score",
    "spearman_brown",
]

MISSING_POLICIES = ("listwise", "pairwise")


@dataclass(frozen=True)
class ItemCovariance:
    """Item covariance matrix with the number of respondents behind it.

    ``n`` is the complete-case count (listwise) or the number of rows with at least one
    observed item (pairwise); ``pair_counts`` holds the per-pair counts.
    """

    cov: FloatArray
    n: int
    pair_counts: FloatArray
    missing: str


def pomp_score(keyed_values: Sequence[float], categories: Sequence[int]) -> float:
    """Percent of maximum possible: ``100 · mean_j (x_j - 1) / (K_j - 1)`` for x in 1..K.

    Cohen, P., Cohen, J., Aiken, L. S., & West, S. G. (1999). The problem of units and
    the circumstance for POMP. *Multivariate Behavioral Research*, 34(3), 315–346.
    """
    x = np.asarray(keyed_values, dtype=float)
    k = np.asarray(categories, dtype=float)
    if x.size == 0 or x.shape != k.shape:
        raise DataError("pomp_score needs one category count per value and at least one value")
    if np.any(k < 2) or np.any(x < 1) or np.any(x > k):
        raise DataError("pomp_score values must lie in 1..categories (categories >= 2)")
    return float(100.0 * np.mean((x - 1.0) / (k - 1.0)))


def spearman_brown(reliability: float, length_factor: float) -> float:
    """Spearman–Brown prophecy ``ρ' = mρ / (1 + (m - 1)ρ)`` for a test ``m`` times as long.

    Spearman (1910); Brown (1910); Lord & Novick (1968), *Statistical Theories of Mental
    Test Scores*, §4.4.
    """
    if not 0.0 < reliability < 1.0 or length_factor <= 0:
        raise ModelError("spearman_brown needs 0 < reliability < 1 and length_factor > 0")
    m = length_factor
    return m * reliability / (1.0 + (m - 1.0) * reliability)


def classical_sem(n_answered: int, n_items: int, reliability: float, sd: float) -> float:
    """SEM ``σ·sqrt(1 - ρ_n)`` with ρ_n the full-scale reliability ρ stepped down by
    Spearman–Brown to the ``n_answered`` of ``n_items`` items actually answered.

    Lord & Novick (1968), §3.7 (SEM) and §4.4 (Spearman–Brown).
    """
    if n_answered < 1 or n_items < n_answered or sd <= 0:
        raise ModelError("classical_sem needs 1 <= n_answered <= n_items and sd > 0")
    rho = spearman_brown(reliability, n_answered / n_items)
    return float(sd * np.sqrt(1.0 - rho))


def _column_name(columns: Sequence[str] | None, j: int) -> str:
    return columns[j] if columns is not None else str(j)


def _validated(data: object, columns: Sequence[str] | None) -> FloatArray:
    try:
        x = np.array(data, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise DataError("data must be a numeric matrix (NaN for missing)") from exc
    if x.ndim != 2 or x.shape[1] < 2:
        raise DataError(f"data must be a respondents x items matrix with >= 2 items, got {x.shape}")
    if columns is not None and len(columns) != x.shape[1]:
        raise DataError(f"{len(columns)} column names for {x.shape[1]} columns")
    bad = np.isinf(x)
    if bad.any():
        row, col = (int(v) for v in np.argwhere(bad)[0])
        raise DataError(f"column '{_column_name(columns, col)}', row {row}: value is infinite")
    return x


def _listwise(x: FloatArray) -> tuple[FloatArray, FloatArray, int]:
    complete = x[~np.isnan(x).any(axis=1)]
    n = complete.shape[0]
    if n < 3:
        raise InsufficientDataError(
            f"only {n} respondents answered every item (listwise deletion); need >= 3"
        )
    centred = complete - complete.mean(axis=0)
    cov = centred.T @ centred / (n - 1.0)
    return cov, np.full(cov.shape, float(n)), n


def _pairwise(x: FloatArray, columns: Sequence[str] | None) -> tuple[FloatArray, FloatArray, int]:
    observed = ~np.isnan(x)
    m = observed.astype(np.float64)
    x0 = np.where(observed, x, 0.0)
    counts = m.T @ m
    if counts.min() < 3:
        i, j = (int(v) for v in np.argwhere(counts == counts.min())[0])
        raise InsufficientDataError(
            f"columns '{_column_name(columns, i)}' and '{_column_name(columns, j)}': "
            f"only {int(counts[i, j])} respondents answered both (pairwise deletion); need >= 3"
        )
    sums = x0.T @ m  # sums[i, j] = Σ x_i over rows where j is observed
    cov = (x0.T @ x0 - sums * sums.T / counts) / (counts - 1.0)
    return (cov + cov.T) / 2.0, counts, int(observed.any(axis=1).sum())


def item_covariance(
    data: object, missing: str = "listwise", columns: Sequence[str] | None = None
) -> ItemCovariance:
    """Sample covariance matrix (denominator n - 1) under listwise or pairwise deletion.

    Pairwise: ``c_ij = (Σ x_i x_j - Σx_i Σx_j / n_ij) / (n_ij - 1)`` over rows observing
    both items (Little & Rubin, 2019, *Statistical Analysis with Missing Data*, §3.4).
    Raises when fewer than 3 respondents support a covariance or an item is constant.
    """
    if missing not in MISSING_POLICIES:
        raise DataError(f"missing must be 'listwise' or 'pairwise', got {missing!r}")
    x = _validated(data, columns)
    if missing == "listwise":
        cov, counts, n_rows = _listwise(x)
    else:
        cov, counts, n_rows = _pairwise(x, columns)
    variances = np.diag(cov)
    scale = np.maximum(np.nanmax(np.abs(x), axis=0), 1.0) ** 2
    constant = variances <= 1e-12 * scale
    if constant.any():
        name = _column_name(columns, int(np.flatnonzero(constant)[0]))
        raise DataError(f"column '{name}' is constant: it carries no information")
    return ItemCovariance(cov=cov, n=n_rows, pair_counts=counts, missing=missing)


def _as_cov(data: object, missing: str, columns: Sequence[str] | None) -> FloatArray:
    if isinstance(data, ItemCovariance):
        return data.cov
    return item_covariance(data, missing, columns).cov


def alpha_from_cov(cov: FloatArray) -> float:
    """Cronbach's alpha from a covariance matrix: ``k/(k-1) · (1 - tr C / 1ᵀC1)``."""
    k = cov.shape[0]
    return float(k / (k - 1.0) * (1.0 - np.trace(cov) / cov.sum()))


def item_total_correlations(
    data: object, missing: str = "listwise", columns: Sequence[str] | None = None
) -> FloatArray:
    """Corrected item-total correlations: r between item i and the sum of the others.

    From the covariance matrix: ``r_i = Σ_{j≠i} c_ij / sqrt(c_ii · Σ_{j,l≠i} c_jl)``.
    ``data`` may be an :class:`ItemCovariance`. Nunnally & Bernstein (1994),
    *Psychometric Theory*, 3rd ed., §8.
    """
    cov = _as_cov(data, missing, columns)
    row = cov.sum(axis=1)
    rest_cov = row - np.diag(cov)
    rest_var = cov.sum() - 2.0 * row + np.diag(cov)
    if np.any(rest_var <= 0):
        raise DataError("the sum of the other items has no variance for some item")
    result: FloatArray = rest_cov / np.sqrt(np.diag(cov) * rest_var)
    return result


def alpha_if_dropped(
    data: object, missing: str = "listwise", columns: Sequence[str] | None = None
) -> FloatArray:
    """Cronbach's alpha of the scale with item i removed, for each i (needs >= 3 items).

    Each value is ``alpha_from_cov`` on the covariance matrix without row/column i.
    Cronbach, L. J. (1951). *Psychometrika*, 16(3), 297–334.
    """
    cov = _as_cov(data, missing, columns)
    k = cov.shape[0]
    if k < 3:
        raise InsufficientDataError("alpha if item dropped needs at least 3 items")
    total, row, diag = cov.sum(), cov.sum(axis=1), np.diag(cov)
    rest_total = total - 2.0 * row + diag
    rest_trace = np.trace(cov) - diag
    result: FloatArray = (k - 1.0) / (k - 2.0) * (1.0 - rest_trace / rest_total)
    return result
