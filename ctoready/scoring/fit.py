"""Role fit, CTO-type fit and readiness for a target context, each with uncertainty.

Profiles are data (:class:`ProfileSpec`: scale -> weight). Only sufficient scale scores
enter; errors of different scales are treated as independent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ._arrays import Z95
from .errors import ResponseError
from .model import PreferenceSpec, ProfileSpec
from .results import FitReason, FitResult, ProfileFit, ReadinessScore

__all__ = [
    "ScaleEstimate",
    "fit_profiles",
    "preference_tally",
    "readiness_for_context",
]

MIN_WEIGHT_SHARE = 0.5  # a weighted mean needs scales carrying >= half the total weight
MAX_REASONS = 3


@dataclass(frozen=True)
class ScaleEstimate:
    """A sufficient scale score on 0–100 with its SE."""

    score: float
    se: float


@dataclass(frozen=True)
class _Weighted:
    value: float
    coefs: dict[str, float]  # scale -> coefficient in the weighted mean
    used: tuple[str, ...]
    missing: tuple[str, ...]


def _clip(x: float) -> float:
    return float(min(100.0, max(0.0, x)))


def _weighted_mean(profile: ProfileSpec, scales: Mapping[str, ScaleEstimate]) -> _Weighted | None:
    weights = {s: w for s, w in profile.weights.items() if w > 0}
    used = tuple(s for s in weights if s in scales)
    missing = tuple(s for s in weights if s not in scales)
    total = sum(weights.values())
    used_weight = sum(weights[s] for s in used)
    if total == 0 or used_weight < MIN_WEIGHT_SHARE * total:
        return None
    coefs = {s: weights[s] / used_weight for s in used}
    value = sum(c * scales[s].score for s, c in coefs.items())
    return _Weighted(value=value, coefs=coefs, used=used, missing=missing)


def _se(
    coefs: Mapping[str, float], scales: Mapping[str, ScaleEstimate], extra: float = 0.0
) -> float:
    return float(np.sqrt(sum((c * scales[s].se) ** 2 for s, c in coefs.items()) + extra**2))


def readiness_for_context(
    context: ProfileSpec, scales: Mapping[str, ScaleEstimate], z: float = Z95
) -> ReadinessScore:
    """Readiness = weighted mean ``Σ w_s x_s / Σ w_s`` over the context's sufficient scales,
    ``SE = sqrt(Σ w_s² SE_s²) / Σ w_s``; interval ± z·SE clipped to 0–100. Not claimed when
    the sufficient scales carry under half of the context's weight.

    Composite-score error variance under independent errors: Lord & Novick (1968), §4.3;
    Nunnally & Bernstein (1994), *Psychometric Theory*, ch. 7 (linear combinations).
    """
    wm = _weighted_mean(context, scales)
    if wm is None:
        missing = tuple(s for s, w in context.weights.items() if w > 0 and s not in scales)
        used = tuple(s for s, w in context.weights.items() if w > 0 and s in scales)
        return ReadinessScore(context.id, None, None, None, None, False, used, missing)
    se = _se(wm.coefs, scales)
    return ReadinessScore(
        context=context.id,
        score=wm.value,
        se=se,
        ci95_low=_clip(wm.value - z * se),
        ci95_high=_clip(wm.value + z * se),
        sufficient=True,
        scales_used=wm.used,
        scales_missing=wm.missing,
    )


def preference_tally(
    specs: Sequence[PreferenceSpec], answers: Mapping[str, int], dimension: str
) -> dict[str, tuple[int, int]]:
    """Per profile id: (times chosen, times offered among answered items) on a dimension."""
    tally: dict[str, list[int]] = {}
    for spec in specs:
        if spec.dimension != dimension or spec.id not in answers:
            continue
        choice = answers[spec.id]
        if isinstance(choice, bool) or not isinstance(choice, int):
            raise ResponseError(f"preference '{spec.id}': {choice!r} is not an option index")
        if not 0 <= choice < len(spec.points_to):
            raise ResponseError(
                f"preference '{spec.id}': option {choice} is outside 0..{len(spec.points_to) - 1}"
            )
        for target in set(spec.points_to):
            tally.setdefault(target, [0, 0])[1] += 1
        tally[spec.points_to[choice]][0] += 1
    return {k: (v[0], v[1]) for k, v in tally.items()}


@dataclass(frozen=True)
class _Fit:
    fit: ProfileFit
    coefs: dict[str, float]
    pref_se: float


def _one_fit(
    profile: ProfileSpec,
    scales: Mapping[str, ScaleEstimate],
    tally: tuple[int, int],
    weight: float,
    z: float,
) -> _Fit:
    wm = _weighted_mean(profile, scales)
    chosen, offered = tally
    pref = 100.0 * chosen / offered if offered else None
    p_tilde = (chosen + 1.0) / (offered + 2.0)  # Agresti–Coull style: no zero SE at 0 or 1
    pref_se = 100.0 * float(np.sqrt(p_tilde * (1 - p_tilde) / offered)) if offered else 0.0
    lam = weight if (wm is not None and pref is not None) else (1.0 if wm is None else 0.0)
    coefs = {} if wm is None else {s: (1 - lam) * c for s, c in wm.coefs.items()}
    if wm is None and pref is None:
        empty = ProfileFit(profile.id, None, None, None, None, None, None, 0, ())
        return _Fit(empty, {}, 0.0)
    score = (0.0 if wm is None else (1 - lam) * wm.value) + (0.0 if pref is None else lam * pref)
    se = _se(coefs, scales, lam * pref_se)
    mean_x = float(np.mean([e.score for e in scales.values()])) if scales else 0.0
    reasons = [
        FitReason("scale", s, scales[s].score, c * (scales[s].score - mean_x))
        for s, c in coefs.items()
    ]
    reasons.sort(key=lambda r: -abs(r.contribution))
    reasons = reasons[:MAX_REASONS]
    if pref is not None:
        reasons.append(FitReason("preference", profile.id, pref, lam * (pref - 50.0)))
    fit = ProfileFit(
        id=profile.id,
        score=score,
        se=se,
        ci95_low=_clip(score - z * se),
        ci95_high=_clip(score + z * se),
        scale_component=None if wm is None else wm.value,
        preference_component=pref,
        n_preferences=offered,
        reasons=tuple(reasons),
    )
    return _Fit(fit, coefs, lam * pref_se)


def fit_profiles(
    dimension: str,
    profiles: Sequence[ProfileSpec],
    scales: Mapping[str, ScaleEstimate],
    tally: Mapping[str, tuple[int, int]],
    preference_weight: float = 0.3,
    z: float = Z95,
) -> FitResult:
    """Fit to each profile: ``F = (1-λ)·S + λ·P`` where S is the profile-weighted mean of
    scale scores, P = 100 × share of the answered preference items offering this profile
    in which it was chosen, λ = ``preference_weight`` (S or P alone when the other is
    unavailable). ``SE(F)² = Σ_s c_s² SE_s² + λ² SE_P²``, ``SE_P`` binomial with
    ``p̃ = (c+1)/(n+2)``. The top profile is *clearly ahead* when its margin over the
    runner-up exceeds ``z·SE(margin)``; the margin SE uses exact scale coefficients and a
    conservative (perfectly negatively correlated) bound for the preference parts.

    Reasons: each scale's contribution ``(1-λ)·w̃_s·(x_s - x̄)`` (x̄ = person's mean scale
    score; they sum to ``(1-λ)(S - x̄)``), top 3 by size, and the preference
    contribution ``λ·(P - 50)``. Composite-score variance: Lord & Novick (1968), §4.3;
    Agresti & Coull (1998), *The American Statistician*, 52(2), 119–126.
    """
    fits = [_one_fit(p, scales, tally.get(p.id, (0, 0)), preference_weight, z) for p in profiles]
    scored = [f for f in fits if f.fit.score is not None]
    scored.sort(key=lambda f: -(f.fit.score or 0.0))
    ranking = tuple(f.fit.id for f in scored)
    margin = margin_se = None
    clearly = False
    if len(scored) >= 2:
        first, second = scored[0], scored[1]
        margin = (first.fit.score or 0.0) - (second.fit.score or 0.0)
        diff = {
            s: first.coefs.get(s, 0.0) - second.coefs.get(s, 0.0)
            for s in sorted({*first.coefs, *second.coefs})
        }
        margin_se = _se(diff, scales, first.pref_se + second.pref_se)
        clearly = bool(margin > z * margin_se)
    return FitResult(
        dimension=dimension,
        profiles=tuple(f.fit for f in fits),
        ranking=ranking,
        top=ranking[0] if ranking else None,
        clearly_ahead=clearly,
        margin=margin,
        margin_se=margin_se,
    )
