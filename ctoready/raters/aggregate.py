"""The 360 section, built once when a round closes: self versus others per scale.

No Django here: plain data in (the instrument, the candidate's own scale scores from the
report snapshot, the submitted ratings without identity), a JSON-ready dict out. Every
aggregate passes :func:`ctoready.raters.anonymity.visible_groups` first; nothing else in
the app computes rater aggregates.
"""

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import NormalDist, fmean, variance
from typing import Any

from ctoready import scoring
from ctoready.instruments.document import Instrument, Scale
from ctoready.instruments.scoring_bridge import responses, scoring_model
from ctoready.raters.anonymity import ALL, CATEGORIES, MANAGER, comments_visible, visible_groups

SECTION_SCHEMA = 1
Z95 = NormalDist().inv_cdf(0.975)
COMMENT_PROMPTS = ("keep", "change")
GROUP_LABELS = {
    ALL: "All raters",
    "manager": "Manager",
    "peer": "Peers",
    "direct": "Direct reports",
    "other": "Others",
}
BLIND_SPOT, HIDDEN_STRENGTH, AGREE = "blind_spot", "hidden_strength", "agree"


@dataclass(frozen=True)
class Rating:
    """One submitted response: a category, the answers and comments, and no identity."""

    category: str
    answers: Mapping[str, Any]
    manager_alone: bool = False
    comments: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Estimate:
    score: float
    se: float


def rater_scores(doc: Instrument, rating: Rating) -> dict[str, Estimate]:
    """One rater's scores, on the same 0–100 metric and estimator as the self scores."""
    likert = {item.id: rating.answers.get(item.id) for item in doc.likert_items}
    result = scoring.score_attempt(scoring_model(doc), responses(doc, likert))
    return {
        s.scale: Estimate(s.score, s.se)
        for s in result.scales
        if s.sufficient and s.score is not None and s.se is not None
    }


def group_estimate(estimates: Sequence[Estimate]) -> Estimate:
    """Mean of the raters' scores with the standard error of that mean.

    One rater's score varies around the group's view by measurement error and by how
    raters differ; the sample variance estimates both, and the mean squared standard error
    is a floor (three raters who happen to agree do not make the mean exact):
    ``SE = sqrt(max(s², mean(SEᵢ²)) / n)``.
    """
    n = len(estimates)
    if n == 0:
        raise ValueError("a group needs at least one rater")
    scores = [e.score for e in estimates]
    error = fmean(e.se**2 for e in estimates)
    spread = variance(scores) if n > 1 else 0.0
    return Estimate(fmean(scores), math.sqrt(max(spread, error) / n))


def _rounded(estimate: Estimate, band: str) -> dict[str, Any]:
    low = max(0.0, estimate.score - Z95 * estimate.se)
    high = min(100.0, estimate.score + Z95 * estimate.se)
    return {
        "score": round(estimate.score),
        "low": round(low),
        "high": round(high),
        "se": round(estimate.se, 2),
        "band": band,
    }


def _verdict(own: Estimate | None, other: Estimate) -> str | None:
    if own is None:
        return None
    if not scoring.differs_beyond_error(own.score, own.se, other.score, other.se):
        return AGREE
    return BLIND_SPOT if own.score > other.score else HIDDEN_STRENGTH


def _self_scores(self_scales: Sequence[scoring.ScaleScore]) -> dict[str, scoring.ScaleScore]:
    return {s.scale: s for s in self_scales if s.score is not None and s.se is not None}


def _own(own: scoring.ScaleScore | None, scale: Scale) -> tuple[Estimate | None, Any]:
    """The candidate's own estimate and the section's rounded view of it (None: unscored)."""
    if own is None:
        return None, None
    score, se, low, high = own.score, own.se, own.ci95_low, own.ci95_high
    if score is None or se is None or low is None or high is None:
        return None, None
    shown = {"score": round(score), "low": round(low), "high": round(high)}
    return Estimate(score, se), {**shown, "band": scale.band(score)}


def _scale_row(
    doc: Instrument,
    scale_id: str,
    self_score: scoring.ScaleScore | None,
    per_category: dict[str, list[Estimate]],
    manager_alone: bool,
) -> dict[str, Any]:
    scale = doc.scale_by_id[scale_id]
    own, shown = _own(self_score, scale)
    counts = {c: len(per_category[c]) for c in CATEGORIES}
    visible = visible_groups(counts, manager_alone=manager_alone)
    members = {ALL: [e for c in CATEGORIES for e in per_category[c]], **per_category}
    groups = []
    for group in visible.groups:
        estimate = group_estimate(members[group])
        groups.append(
            {
                "group": group,
                "label": GROUP_LABELS[group],
                "n": len(members[group]),
                **_rounded(estimate, scale.band(estimate.score)),
                "verdict": _verdict(own, estimate),
            }
        )
    # The headline comparison: all raters when shown, else the largest shown category.
    reference = max(groups, key=lambda g: (g["group"] == ALL, g["n"]), default=None)
    return {
        "scale": scale_id,
        "name": scale.name,
        "self": shown,
        "groups": groups,
        "reference": reference["group"] if reference else None,
        "verdict": reference["verdict"] if reference else None,
    }


def build_section(
    doc: Instrument,
    self_scales: Sequence[scoring.ScaleScore],
    ratings: Sequence[Rating],
    rng: random.Random,
) -> dict[str, Any]:
    """The 360 section of the report, every aggregate passed through the anonymity rules.

    ``self_scales`` are the snapshot's ``result.scales``; ``rng`` shuffles the comments
    (pass ``random.SystemRandom()`` outside tests).
    """
    unknown = {r.category for r in ratings} - set(CATEGORIES)
    if unknown:
        raise ValueError(f"unknown rater categories: {sorted(unknown)}")
    own = _self_scores(self_scales)
    managers = [r for r in ratings if r.category == MANAGER]
    manager_alone = bool(managers) and all(r.manager_alone for r in managers)
    per_scale: dict[str, dict[str, list[Estimate]]] = {
        s.id: {c: [] for c in CATEGORIES} for s in doc.scales
    }
    for rating in ratings:
        for scale_id, estimate in rater_scores(doc, rating).items():
            per_scale[scale_id][rating.category].append(estimate)
    scales = [
        _scale_row(doc, s.id, own.get(s.id), per_scale[s.id], manager_alone) for s in doc.scales
    ]
    return {
        "schema": SECTION_SCHEMA,
        "responses": len(ratings),
        "by_category": {c: sum(1 for r in ratings if r.category == c) for c in CATEGORIES},
        "manager_alone": manager_alone,
        "scales": scales,
        "blind_spots": [s["scale"] for s in scales if s["verdict"] == BLIND_SPOT],
        "hidden_strengths": [s["scale"] for s in scales if s["verdict"] == HIDDEN_STRENGTH],
        "comments": _comments(ratings, rng),
    }


def _comments(ratings: Sequence[Rating], rng: random.Random) -> dict[str, list[str]] | None:
    """Each prompt's comments in random order, with no rater or group attached."""
    if not comments_visible(len(ratings)):
        return None
    pools: dict[str, list[str]] = {}
    for prompt in COMMENT_PROMPTS:
        pool = [
            text.strip() for r in ratings if (text := (r.comments or {}).get(prompt, "")).strip()
        ]
        rng.shuffle(pool)
        pools[prompt] = pool
    return pools
