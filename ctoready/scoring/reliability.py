"""Reliability coefficients: Cronbach's alpha with Feldt's interval, McDonald's omega."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import fdtri

from ._arrays import FloatArray
from .classical import (
    ItemCovariance,
    alpha_from_cov,
    alpha_if_dropped,
    item_covariance,
    item_total_correlations,
)
from .errors import DataError, InsufficientDataError

__all__ = [
    "AlphaResult",
    "ItemStatistics",
    "OmegaResult",
    "cronbach_alpha",
    "feldt_interval",
    "item_statistics",
    "mcdonald_omega",
]

MAX_COMMUNALITY = 0.995  # caps Heywood cases (a loading of 1 implies zero unique variance)


@dataclass(frozen=True)
class AlphaResult:
    """Cronbach's alpha with its Feldt confidence interval."""

    alpha: float
    ci_low: float
    ci_high: float
    n: int
    k: int


@dataclass(frozen=True)
class OmegaResult:
    """McDonald's omega total with the one-factor standardised loadings behind it."""

    omega_total: float
    loadings: FloatArray
    uniquenesses: FloatArray


@dataclass(frozen=True)
class ItemStatistics:
    """Everything an item analysis of one scale reports, from one covariance matrix."""

    n: int
    k: int
    alpha: AlphaResult
    omega: OmegaResult
    item_total_r: FloatArray
    alpha_if_dropped: FloatArray


def feldt_interval(alpha: float, n: int, k: int, level: float = 0.95) -> tuple[float, float]:
    """Feldt's interval for alpha: ``1 - (1 - α)·F_{1-γ/2}`` to ``1 - (1 - α)·F_{γ/2}``
    with ``F`` on ``(n - 1, (n - 1)(k - 1))`` degrees of freedom, γ = 1 - level.

    Feldt, L. S., Woodruff, D. J., & Salih, F. A. (1987). Statistical inference for
    coefficient alpha. *Applied Psychological Measurement*, 11(1), 93–103.
    """
    if n < 2 or k < 2 or not 0.0 < level < 1.0:
        raise InsufficientDataError("Feldt's interval needs n >= 2, k >= 2 and 0 < level < 1")
    gamma = 1.0 - level
    df1, df2 = n - 1, (n - 1) * (k - 1)
    # F's upper quantiles through the inverse CDF (``fdtri``), which is what
    # ``scipy.stats.f.isf`` computes: scipy.stats costs ~1 s and ~40 MB to load.
    low = 1.0 - (1.0 - alpha) * float(fdtri(df1, df2, 1.0 - gamma / 2.0))
    high = 1.0 - (1.0 - alpha) * float(fdtri(df1, df2, gamma / 2.0))
    return low, high


def _cov(data: object, missing: str, columns: Sequence[str] | None) -> ItemCovariance:
    return data if isinstance(data, ItemCovariance) else item_covariance(data, missing, columns)


def cronbach_alpha(
    data: object,
    missing: str = "listwise",
    level: float = 0.95,
    columns: Sequence[str] | None = None,
) -> AlphaResult:
    """Cronbach's alpha ``k/(k-1) · (1 - Σ σ²_i / σ²_total)`` with Feldt's interval.

    Pairwise deletion computes each covariance from the rows observing both items and
    uses as ``n`` the rows with any observation (as R's ``psych::alpha(use="pairwise")``
    and pingouin do). Cronbach, L. J. (1951). Coefficient alpha and the internal
    structure of tests. *Psychometrika*, 16(3), 297–334.
    """
    ic = _cov(data, missing, columns)
    k = ic.cov.shape[0]
    alpha = alpha_from_cov(ic.cov)
    low, high = feldt_interval(alpha, ic.n, k, level)
    return AlphaResult(alpha=alpha, ci_low=low, ci_high=high, n=ic.n, k=k)


def _one_factor_loadings(corr: FloatArray) -> FloatArray:
    """Iterated principal-axis (= minres/ULS at convergence) loadings of one factor."""
    k = corr.shape[0]
    if k == 2:
        r = corr[0, 1]
        if r <= 0:
            raise DataError("omega for two items needs a positive inter-item correlation")
        return np.full(2, np.sqrt(min(r, MAX_COMMUNALITY)))
    off = corr - np.diag(np.diag(corr))
    h2 = np.clip(np.abs(off).max(axis=1), 0.05, MAX_COMMUNALITY)
    loadings = np.sqrt(h2)
    for _ in range(2000):
        reduced = off + np.diag(h2)
        values, vectors = np.linalg.eigh(reduced)
        loadings = vectors[:, -1] * np.sqrt(max(values[-1], 0.0))
        new_h2 = np.minimum(loadings**2, MAX_COMMUNALITY)
        if np.max(np.abs(new_h2 - h2)) < 1e-10:
            break
        h2 = new_h2
    sign = 1.0 if loadings.sum() >= 0 else -1.0
    result: FloatArray = (
        sign * np.sign(loadings) * np.sqrt(np.minimum(loadings**2, MAX_COMMUNALITY))
    )
    return result


def mcdonald_omega(
    data: object, missing: str = "listwise", columns: Sequence[str] | None = None
) -> OmegaResult:
    """McDonald's omega total from a one-factor model of the item correlation matrix:
    ``ω = (Σλ)² / ((Σλ)² + Σψ)`` with ``ψ_i = 1 - λ_i²``.

    Loadings by iterated principal-axis factoring, which converges to the minres (ULS)
    solution; communalities are capped at 0.995 (Heywood cases). McDonald, R. P. (1999).
    *Test Theory: A Unified Treatment*, ch. 6; Revelle & Zinbarg (2009), Psychometrika 74.
    """
    cov = _cov(data, missing, columns).cov
    sd = np.sqrt(np.diag(cov))
    corr = cov / np.outer(sd, sd)
    loadings = _one_factor_loadings(corr)
    psi = 1.0 - loadings**2
    common = loadings.sum() ** 2
    return OmegaResult(
        omega_total=float(common / (common + psi.sum())), loadings=loadings, uniquenesses=psi
    )


def item_statistics(
    data: object,
    missing: str = "listwise",
    columns: Sequence[str] | None = None,
    level: float = 0.95,
) -> ItemStatistics:
    """Alpha (Feldt CI), omega total, corrected item-total r and alpha-if-dropped of one
    scale, all from a single covariance matrix (see the individual functions)."""
    ic = _cov(data, missing, columns)
    k = ic.cov.shape[0]
    if k < 3:
        raise InsufficientDataError(f"item analysis needs at least 3 items, got {k}")
    return ItemStatistics(
        n=ic.n,
        k=k,
        alpha=cronbach_alpha(ic, level=level),
        omega=mcdonald_omega(ic),
        item_total_r=item_total_correlations(ic),
        alpha_if_dropped=alpha_if_dropped(ic),
    )
