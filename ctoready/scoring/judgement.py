"""Situational-judgement scoring against an expert effectiveness key (1..5 per option).

A scenario scores on 0..1; the judgement index is 100 × the mean over answered
scenarios, with a domain-sampling SE across scenarios (see :func:`judgement_index`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ._arrays import Z95
from .errors import ModelError, ResponseError
from .model import ScenarioResponse, ScenarioSpec

__all__ = [
    "JudgementIndex",
    "judgement_index",
    "score_scenario",
    "validate_scenario",
]

MODES = ("best_worst", "rate_each")
PRIOR_SD = 0.2  # σ₀: prior SD of scenario scores (0..1) for the pooled variance
PRIOR_DF = 2.0  # ν₀: its weight in pseudo-scenarios


@dataclass(frozen=True)
class JudgementIndex:
    """Judgement index on 0–100 with SE and 95% interval (``None`` when insufficient)."""

    index: float | None
    se: float | None
    ci95_low: float | None
    ci95_high: float | None
    n_answered: int
    sufficient: bool


def validate_scenario(spec: ScenarioSpec) -> None:
    """Raise ModelError unless the mode is known and the key has >= 2 distinct values
    in 1..5."""
    if spec.mode not in MODES:
        raise ModelError(f"scenario '{spec.id}': mode {spec.mode!r} is not one of {MODES}")
    key = np.asarray(spec.effectiveness, dtype=float)
    if key.size < 2 or np.any(~np.isfinite(key)) or np.any((key < 1) | (key > 5)):
        raise ModelError(f"scenario '{spec.id}': needs >= 2 options keyed within 1..5")
    if key.max() == key.min():
        raise ModelError(f"scenario '{spec.id}': every option is keyed equally effective")


def _option(spec: ScenarioSpec, value: object, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ResponseError(f"scenario '{spec.id}': {what} {value!r} is not an option index")
    if not 0 <= value < len(spec.effectiveness):
        raise ResponseError(
            f"scenario '{spec.id}': {what} option {value} is outside "
            f"0..{len(spec.effectiveness) - 1}"
        )
    return value


def _best_worst(spec: ScenarioSpec, response: ScenarioResponse) -> float | None:
    best = _option(spec, response.best, "best")
    worst = _option(spec, response.worst, "worst")
    if best is not None and best == worst:
        raise ResponseError(f"scenario '{spec.id}': best and worst are the same option")
    key = spec.effectiveness
    lo, hi = min(key), max(key)
    span = hi - lo
    if best is None:
        return None if worst is None else (hi - key[worst]) / span
    if worst is None:
        return (key[best] - lo) / span
    return (key[best] - key[worst] + span) / (2.0 * span)


def _rate_each(spec: ScenarioSpec, response: ScenarioResponse) -> float | None:
    ratings = response.ratings
    if ratings is None:
        return None
    if len(ratings) != len(spec.effectiveness):
        raise ResponseError(
            f"scenario '{spec.id}': {len(ratings)} ratings for {len(spec.effectiveness)} options"
        )
    distance = worst = 0.0
    for i, (rating, key) in enumerate(zip(ratings, spec.effectiveness, strict=True)):
        if rating is None:
            continue
        if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
            raise ResponseError(f"scenario '{spec.id}', option {i}: rating {rating!r} not in 1..5")
        distance += abs(rating - key)
        worst += max(key - 1.0, 5.0 - key)
    return None if worst == 0.0 else 1.0 - distance / worst


def score_scenario(spec: ScenarioSpec, response: ScenarioResponse | None) -> float | None:
    """Score one scenario on 0..1 (``None`` when unanswered).

    Best/worst: ``(e_best - e_worst + R) / 2R`` with ``R = max e - min e`` (one pick
    alone: ``(e_best - min e)/R`` or ``(max e - e_worst)/R``). Rate-each: distance
    scoring ``1 - Σ|r_i - e_i| / Σ max(e_i - 1, 5 - e_i)`` over rated options.
    McDaniel, M. A., Psotka, J., Legree, P. J., Yost, A. P., & Weekley, J. A. (2011).
    Toward an understanding of situational judgment item validity and group differences.
    *Journal of Applied Psychology*, 96(2), 327–336; Weekley et al. (2015).
    """
    if response is None:
        return None
    if spec.mode == "best_worst":
        return _best_worst(spec, response)
    return _rate_each(spec, response)


def judgement_index(
    scores: Sequence[float], min_scenarios: int = 2, z: float = Z95
) -> JudgementIndex:
    """Mean scenario score ×100 with a domain-sampling SE across scenarios.

    ``SE = 100·sqrt(s²_p / m)`` where ``s²_p = ((m - 1)s² + ν₀σ₀²) / (m - 1 + ν₀)`` pools
    the observed between-scenario variance with a prior (σ₀ = 0.2, ν₀ = 2) so that a few
    identical scenario scores do not claim zero error (Gelman et al., *Bayesian Data
    Analysis*, 3rd ed., §3.3, scaled-inverse-χ² prior). Interval: index ± z·SE, clipped
    to 0–100. Insufficient (no number) when fewer than ``min_scenarios`` are answered.
    """
    s = np.asarray(scores, dtype=float)
    m = int(s.size)
    if m < max(1, min_scenarios):
        return JudgementIndex(None, None, None, None, n_answered=m, sufficient=False)
    ss = float(np.sum((s - s.mean()) ** 2))
    pooled = (ss + PRIOR_DF * PRIOR_SD**2) / (m - 1 + PRIOR_DF)
    index = 100.0 * float(s.mean())
    se = 100.0 * float(np.sqrt(pooled / m))
    return JudgementIndex(
        index=index,
        se=se,
        ci95_low=max(0.0, index - z * se),
        ci95_high=min(100.0, index + z * se),
        n_answered=m,
        sufficient=True,
    )
