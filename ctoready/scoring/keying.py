"""Expert keying of scenarios: agreement (rwg, rwg(j)) and reliability (ICC) of a panel.

Ratings are experts x options matrices of effectiveness on an ``A``-point scale (1..A).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._arrays import FloatArray
from .errors import DataError

__all__ = [
    "IntraclassCorrelations",
    "intraclass_correlations",
    "rwg",
    "rwg_j",
    "rwg_j_null",
    "uniform_null_variance",
]


def uniform_null_variance(points: int) -> float:
    """Variance of ratings under the uniform (no agreement) null: ``σ²_E = (A² − 1)/12``.
    James, L. R., Demaree, R. G., & Wolf, G. (1984). *Journal of Applied Psychology* 69,
    85–98."""
    if points < 2:
        raise DataError("a rating scale needs at least 2 points")
    return (points**2 - 1) / 12.0


def _ratings(ratings: object, points: int) -> FloatArray:
    x = np.asarray(ratings, dtype=float)
    if x.size == 0 or np.any(~np.isfinite(x)) or np.any((x < 1) | (x > points)):
        raise DataError(f"ratings must be numbers from 1 to {points}")
    return x


def rwg(ratings: object, points: int = 7) -> float:
    """Within-group agreement on one option: ``rwg = 1 − s²/σ²_E`` with the sample variance
    ``s²`` (n − 1) and the uniform null, 0 when ``s² > σ²_E`` (James et al., 1984; R
    ``multilevel::rwg``)."""
    x = _ratings(ratings, points).ravel()
    if x.size < 2:
        raise DataError("rwg needs at least two ratings")
    ratio = float(np.var(x, ddof=1)) / uniform_null_variance(points)
    return max(0.0, 1.0 - ratio)


def rwg_j(ratings: object, points: int = 7) -> float:
    """Agreement over J options rated by the same experts (experts x options):
    ``rwg(j) = J(1 − s̄²/σ²_E) / (J(1 − s̄²/σ²_E) + s̄²/σ²_E)`` with ``s̄²`` the mean of the
    options' sample variances; 0 when ``s̄² > σ²_E``. James, Demaree & Wolf (1984); R
    ``multilevel::rwg.j``."""
    x = _ratings(ratings, points)
    if x.ndim != 2 or x.shape[0] < 2:
        raise DataError("rwg(j) needs an experts x options matrix with at least two experts")
    ratio = float(np.mean(np.var(x, axis=0, ddof=1))) / uniform_null_variance(points)
    if ratio >= 1.0:
        return 0.0
    j = float(x.shape[1])
    return j * (1.0 - ratio) / (j * (1.0 - ratio) + ratio)


def rwg_j_null(
    experts: int,
    options: int,
    rng: np.random.Generator,
    points: int = 7,
    draws: int = 10_000,
    level: float = 0.95,
) -> float:
    """The ``level`` quantile of rwg(j) when ``experts`` rate ``options`` uniformly at random:
    the value a panel of that size must exceed before its agreement counts (small panels
    pass .70 by chance). Dunlap, W. P., Burke, M. J., & Smith-Crowe, K. (2003). *Journal of
    Applied Psychology* 88, 356–362."""
    if experts < 2 or options < 1 or draws < 100:
        raise DataError("the null needs at least 2 experts, 1 option and 100 draws")
    x = rng.integers(1, points + 1, size=(draws, experts, options)).astype(float)
    ratio = np.var(x, axis=1, ddof=1).mean(axis=1) / uniform_null_variance(points)
    ratio = np.minimum(ratio, 1.0)
    values = options * (1.0 - ratio) / (options * (1.0 - ratio) + ratio)
    return float(np.quantile(values, level))


@dataclass(frozen=True)
class IntraclassCorrelations:
    """Shrout & Fleiss's six ICCs (targets in rows, judges in columns)."""

    icc1: float
    icc2: float
    icc3: float
    icc1k: float
    icc2k: float
    icc3k: float


def intraclass_correlations(ratings: object) -> IntraclassCorrelations:
    """ICCs from the two-way ANOVA of a targets x judges matrix (n x k) with mean squares
    BMS (targets), JMS (judges), EMS (residual) and WMS (within targets):
    ``ICC(1) = (BMS − WMS)/(BMS + (k−1)WMS)``,
    ``ICC(2,1) = (BMS − EMS)/(BMS + (k−1)EMS + k(JMS − EMS)/n)``,
    ``ICC(3,1) = (BMS − EMS)/(BMS + (k−1)EMS)``, ``ICC(1,k) = (BMS − WMS)/BMS``,
    ``ICC(2,k) = (BMS − EMS)/(BMS + (JMS − EMS)/n)``, ``ICC(3,k) = (BMS − EMS)/BMS``.
    Shrout, P. E., & Fleiss, J. L. (1979). *Psychological Bulletin* 86, 420–428."""
    x = np.asarray(ratings, dtype=float)
    if x.ndim != 2 or x.shape[0] < 2 or x.shape[1] < 2 or np.any(~np.isfinite(x)):
        raise DataError("ICCs need a complete targets x judges matrix, at least 2 x 2")
    n, k = x.shape
    grand = x.mean()
    ss_rows = k * float(np.sum((x.mean(axis=1) - grand) ** 2))
    ss_cols = n * float(np.sum((x.mean(axis=0) - grand) ** 2))
    ss_err = float(np.sum((x - grand) ** 2)) - ss_rows - ss_cols
    bms, jms = ss_rows / (n - 1), ss_cols / (k - 1)
    ems = ss_err / ((n - 1) * (k - 1))
    wms = (ss_cols + ss_err) / (n * (k - 1))
    if bms <= 0:
        raise DataError("the targets do not differ: ICCs are undefined")
    return IntraclassCorrelations(
        icc1=(bms - wms) / (bms + (k - 1) * wms),
        icc2=(bms - ems) / (bms + (k - 1) * ems + k * (jms - ems) / n),
        icc3=(bms - ems) / (bms + (k - 1) * ems),
        icc1k=(bms - wms) / bms,
        icc2k=(bms - ems) / (bms + (jms - ems) / n),
        icc3k=(bms - ems) / bms,
    )
