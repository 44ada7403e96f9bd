"""``score_attempt``: the one entry point the web app calls at the end of an attempt."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ._arrays import Z95, FloatArray
from .classical import classical_sem
from .compare import classify_profile
from .errors import ResponseError
from .fit import ScaleEstimate, fit_profiles, preference_tally, readiness_for_context
from .judgement import judgement_index, score_scenario
from .labels import holm_classify_profile
from .model import Responses, ScoringModel
from .prepared import TCC_GRID, PreparedModel, prepare
from .results import AttemptResult, JudgementResult, ScaleScore, ScenarioScore

__all__ = ["ENGINE_VERSION", "score_attempt"]

ENGINE_VERSION = "1.1.0"  # 1.1: Holm-controlled strength/development labels


@dataclass
class _ScaleAnswers:
    items: list[int]  # global Likert indices answered
    keyed: list[int]  # keyed category 0..K-1
    no_opportunity: int = 0


def _collect(prepared: PreparedModel, responses: Responses) -> list[_ScaleAnswers]:
    model = prepared.model
    per_scale = [_ScaleAnswers([], []) for _ in model.scales]
    for item_id, value in responses.likert.items():
        g = prepared.likert_index.get(item_id)
        if g is None:
            raise ResponseError(f"unknown Likert item '{item_id}'")
        spec = model.likert[g]
        bucket = per_scale[prepared.scale_index[spec.scale]]
        if value is None:
            bucket.no_opportunity += 1
            continue
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not 1 <= value <= spec.categories
        ):
            raise ResponseError(
                f"item '{item_id}': {value!r} is not a response 1..{spec.categories}"
            )
        bucket.items.append(g)
        bucket.keyed.append(spec.categories - value if spec.reverse else value - 1)
    return per_scale


def _irt_score(
    prepared: PreparedModel, tables: list[FloatArray], keyed: list[int], tcc: FloatArray
) -> tuple[float, ...]:
    loglik = np.zeros_like(prepared.nodes)
    for table, k in zip(tables, keyed, strict=True):
        loglik += table[k]
    post = np.exp(loglik - loglik.max()) * prepared.weights
    post /= post.sum()
    theta = float(post @ prepared.nodes)
    theta_se = float(np.sqrt(max(float(post @ prepared.nodes**2) - theta**2, 0.0)))
    points = np.array([theta, theta - Z95 * theta_se, theta + Z95 * theta_se])
    score, low, high = (float(v) for v in np.interp(points, TCC_GRID, tcc))
    return score, low, high, (high - low) / (2 * Z95), theta, theta_se


def _classical_score(prepared: PreparedModel, s: int, ans: _ScaleAnswers) -> tuple[float, ...]:
    model = prepared.model
    pomp = [
        100.0 * k / (model.likert[g].categories - 1)
        for g, k in zip(ans.items, ans.keyed, strict=True)
    ]
    score = float(np.mean(pomp))
    sem = classical_sem(
        len(ans.items), prepared.items_per_scale[s], model.classical_reliability, model.classical_sd
    )
    low, high = max(0.0, score - Z95 * sem), min(100.0, score + Z95 * sem)
    return score, low, high, sem


def _scale_score(prepared: PreparedModel, s: int, ans: _ScaleAnswers) -> ScaleScore:
    model = prepared.model
    n = len(ans.items)
    base = ScaleScore(
        scale=model.scales[s],
        score=None,
        ci95_low=None,
        ci95_high=None,
        se=None,
        theta=None,
        theta_se=None,
        n_items=prepared.items_per_scale[s],
        n_answered=n,
        n_no_opportunity=ans.no_opportunity,
        sufficient=False,
        method="none",
        classification="insufficient",
    )
    if n < model.min_answered_per_scale:
        return base
    tables = [t for t in (prepared.log_probs[g] for g in ans.items) if t is not None]
    tcc = prepared.tcc[s]
    theta: float | None = None
    theta_se: float | None = None
    if tcc is not None and len(tables) == n:
        score, low, high, se, theta, theta_se = _irt_score(prepared, tables, ans.keyed, tcc)
        method = "irt"
    else:
        score, low, high, se = _classical_score(prepared, s, ans)
        method = "classical"
    return replace(
        base,
        score=score,
        ci95_low=low,
        ci95_high=high,
        se=se,
        theta=theta,
        theta_se=theta_se,
        sufficient=True,
        method=method,
        classification="pending",
    )


def _classified(scores: list[ScaleScore], model: ScoringModel) -> tuple[ScaleScore, ...]:
    ok = [s for s in scores if s.sufficient]
    values, ses = [s.score or 0.0 for s in ok], [s.se or 0.0 for s in ok]
    labels = (
        holm_classify_profile(values, ses, model.classification_alpha)
        if model.classification_method == "holm"
        else classify_profile(values, ses, model.classification_z)
    )
    by_scale = dict(zip((s.scale for s in ok), labels, strict=True))
    return tuple(
        replace(s, classification=by_scale[s.scale]) if s.sufficient else s for s in scores
    )


def _judgement(model: ScoringModel, responses: Responses) -> JudgementResult:
    known = {sc.id for sc in model.scenarios}
    for sid in responses.scenarios:
        if sid not in known:
            raise ResponseError(f"unknown scenario '{sid}'")
    details = []
    for sc in model.scenarios:
        value = score_scenario(sc, responses.scenarios.get(sc.id))
        details.append(
            ScenarioScore(sc.id, sc.mode, None if value is None else 100 * value, value is not None)
        )
    answered = [d.score / 100.0 for d in details if d.score is not None]
    ji = judgement_index(answered, model.min_scenarios)
    return JudgementResult(
        index=ji.index,
        se=ji.se,
        ci95_low=ji.ci95_low,
        ci95_high=ji.ci95_high,
        n_scenarios=len(details),
        n_answered=ji.n_answered,
        sufficient=ji.sufficient,
        scenarios=tuple(details),
    )


def score_attempt(model: ScoringModel, responses: Responses) -> AttemptResult:
    """Score one attempt: scale scores, profile classification, judgement, readiness,
    role and type fit. See docs/scoring.md for every estimator.

    Scale scores: EAP θ (N(0,1) prior, rectangular quadrature; Bock & Mislevy, 1982)
    mapped to 0–100 through the scale's test characteristic curve when every answered
    item has GRM parameters, else the classical POMP of the keyed mean (Cohen et al.,
    1999) with a Spearman–Brown-adjusted SEM. Raises ResponseError on an unknown item
    or an out-of-range answer, ModelError on an inconsistent model.
    """
    prepared = prepare(model)
    known_prefs = {p.id for p in model.preferences}
    for pid in responses.preferences:
        if pid not in known_prefs:
            raise ResponseError(f"unknown preference item '{pid}'")
    per_scale = _collect(prepared, responses)
    scored = [_scale_score(prepared, s, a) for s, a in enumerate(per_scale)]
    scales = _classified(scored, model)
    estimates = {
        s.scale: ScaleEstimate(s.score, s.se)
        for s in scales
        if s.sufficient and s.score is not None and s.se is not None
    }
    fits = {
        dim: fit_profiles(
            dim,
            profiles,
            estimates,
            preference_tally(model.preferences, responses.preferences, dim),
            model.preference_weight,
        )
        for dim, profiles in (("role", model.roles), ("type", model.types))
    }
    return AttemptResult(
        engine_version=ENGINE_VERSION,
        scales=scales,
        judgement=_judgement(model, responses),
        readiness=tuple(readiness_for_context(c, estimates) for c in model.contexts),
        role_fit=fits["role"],
        type_fit=fits["type"],
    )
