"""Comparisons that respect measurement error: two scores, a change, a profile, a norm."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ._arrays import Z95, FloatArray
from .errors import DataError, InsufficientDataError

__all__ = [
    "Change",
    "PercentileRank",
    "change_beyond_error",
    "classify_profile",
    "differs_beyond_error",
    "percentile_rank",
    "wilson_interval",
]


@dataclass(frozen=True)
class Change:
    """A re-assessment change with its SE and reliable-change index."""

    change: float
    se: float
    rci: float
    beyond_error: bool
    direction: str  # "increase" | "decrease" | "no_clear_change"


@dataclass(frozen=True)
class PercentileRank:
    """Percentile rank against a reference sample, with its own 95% interval."""

    percentile: float
    ci95_low: float
    ci95_high: float
    n: int


def _check_se(*ses: float) -> None:
    for se in ses:
        if not np.isfinite(se) or se < 0:
            raise DataError(f"standard error {se!r} must be finite and >= 0")


def differs_beyond_error(x1: float, sem1: float, x2: float, sem2: float, z: float = Z95) -> bool:
    """True when ``|x1 - x2| > z · sqrt(SEM₁² + SEM₂²)`` (independent errors).

    The SE of a difference of two independently measured scores. Lord & Novick (1968),
    *Statistical Theories of Mental Test Scores*, §3.9; Anastasi & Urbina (1997), ch. 4.
    """
    _check_se(sem1, sem2)
    return bool(abs(x1 - x2) > z * np.hypot(sem1, sem2))


def change_beyond_error(
    before: float, before_se: float, after: float, after_se: float, z: float = Z95
) -> Change:
    """Reliable change index ``RCI = (x₂ - x₁) / sqrt(SE₁² + SE₂²)``; beyond error when
    ``|RCI| > z``.

    Jacobson, N. S., & Truax, P. (1991). Clinical significance: a statistical approach
    to defining meaningful change in psychotherapy research. *J. Consulting and Clinical
    Psychology*, 59(1), 12–19 (with per-occasion SEs instead of a pooled one).
    """
    _check_se(before_se, after_se)
    se = float(np.hypot(before_se, after_se))
    change = after - before
    if se == 0.0:
        raise DataError("change_beyond_error needs at least one positive standard error")
    rci = change / se
    beyond = abs(rci) > z
    direction = "no_clear_change" if not beyond else ("increase" if change > 0 else "decrease")
    return Change(change=change, se=se, rci=rci, beyond_error=beyond, direction=direction)


def wilson_interval(successes: float, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion ``p = successes / n``.

    ``(p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)``. Wilson, E. B. (1927).
    *JASA*, 22(158), 209–212.
    """
    if n < 1 or not 0 <= successes <= n:
        raise DataError("wilson_interval needs n >= 1 and 0 <= successes <= n")
    p = successes / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2.0 * n)) / denom
    half = z * np.sqrt(p * (1.0 - p) / n + z * z / (4.0 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def _rank(sorted_ref: FloatArray, x: float) -> float:
    below = np.searchsorted(sorted_ref, x, side="left")
    not_above = np.searchsorted(sorted_ref, x, side="right")
    return float(below + 0.5 * (not_above - below))


def percentile_rank(
    score: float,
    reference: Sequence[float] | FloatArray,
    sem: float = 0.0,
    min_n: int = 300,
    z: float = Z95,
) -> PercentileRank:
    """Mid-rank percentile ``100·(B + E/2)/n`` of ``score`` in a reference sample.

    Refused (InsufficientDataError) when ``n < min_n``. The interval combines the
    person's measurement error and the reference sampling error: its ends are the Wilson
    bounds (lower at ``score - z·SEM``, upper at ``score + z·SEM``). Crocker & Algina
    (1986), *Introduction to Classical and Modern Test Theory*, ch. 19; Wilson (1927).
    """
    ref = np.sort(np.asarray(reference, dtype=float))
    n = int(ref.size)
    if n < min_n:
        raise InsufficientDataError(f"reference sample has n={n}; percentiles need n >= {min_n}")
    if not np.all(np.isfinite(ref)) or not np.isfinite(score):
        raise DataError("percentile_rank needs a finite score and finite reference values")
    _check_se(sem)
    low, _ = wilson_interval(_rank(ref, score - z * sem), n, z)
    _, high = wilson_interval(_rank(ref, score + z * sem), n, z)
    return PercentileRank(
        percentile=100.0 * _rank(ref, score) / n, ci95_low=100.0 * low, ci95_high=100.0 * high, n=n
    )


def classify_profile(
    scores: Sequence[float], ses: Sequence[float], z: float = Z95
) -> tuple[str, ...]:
    """Ipsative classification of each score against the person's own mean.

    ``d_s = x_s - x̄`` has ``Var(d_s) = (1 - 2/k)·SE_s² + Σ_j SE_j² / k²`` (independent
    errors); "strength" when ``d_s > z·SD(d_s)``, "development" when ``d_s < -z·SD(d_s)``,
    else "no_clear_difference". Fewer than two scores: all "no_clear_difference".
    Cronbach & Gleser (1953), Psychological Bulletin 50(6); Silverstein (1982) on
    ipsative profile analysis.
    """
    x = np.asarray(scores, dtype=float)
    se = np.asarray(ses, dtype=float)
    k = x.size
    if se.size != k:
        raise DataError("classify_profile needs one SE per score")
    _check_se(*se.tolist())
    if k < 2:
        return ("no_clear_difference",) * k
    d = x - x.mean()
    sd = np.sqrt((1.0 - 2.0 / k) * se**2 + np.sum(se**2) / k**2)
    labels = np.where(
        d > z * sd, "strength", np.where(d < -z * sd, "development", "no_clear_difference")
    )
    return tuple(str(v) for v in labels)
