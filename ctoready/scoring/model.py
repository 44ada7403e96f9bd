"""The scoring model and a person's responses: plain frozen dataclasses, no behaviour.

The web app builds a :class:`ScoringModel` from a published instrument version and a
:class:`Responses` from the saved answers, then calls ``score_attempt``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = [
    "LikertSpec",
    "PreferenceSpec",
    "ProfileSpec",
    "Responses",
    "ScenarioResponse",
    "ScenarioSpec",
    "ScoringModel",
]


@dataclass(frozen=True)
class LikertSpec:
    """One Likert item; responses are ``1..categories``.

    ``a`` and ``thresholds`` are GRM parameters in the difficulty metric (``len ==
    categories - 1``, strictly increasing) for the keyed direction, i.e. after reversal.
    """

    id: str
    scale: str
    reverse: bool
    categories: int
    a: float | None = None
    thresholds: tuple[float, ...] | None = None


@dataclass(frozen=True)
class ScenarioSpec:
    """A situational-judgement scenario keyed by experts, 1 (very ineffective) .. 5."""

    id: str
    mode: str  # "best_worst" | "rate_each"
    effectiveness: tuple[float, ...]


@dataclass(frozen=True)
class PreferenceSpec:
    """A forced choice between activities; each option points to a role or type id."""

    id: str
    dimension: str  # "role" | "type"
    points_to: tuple[str, ...]


@dataclass(frozen=True)
class ProfileSpec:
    """A role, a CTO type or a target context: scale id -> weight (>= 0)."""

    id: str
    weights: Mapping[str, float]


@dataclass(frozen=True)
class ScoringModel:
    """Everything the engine needs to score one instrument version.

    ``classical_reliability`` is the reliability assumed for a full scale when it is
    scored classically, ``classical_sd`` the between-person SD assumed on the 0–100
    metric; together they give the SEM (see docs/scoring.md). ``preference_weight`` is
    the share of role/type fit that comes from preference answers. Strength/development
    labels use Holm's procedure at family-wise ``classification_alpha`` when
    ``classification_method`` is "holm" (the default), or test each scale alone against
    ``classification_z`` when it is "per_scale" (see docs/scoring.md).
    """

    scales: tuple[str, ...]
    likert: tuple[LikertSpec, ...]
    scenarios: tuple[ScenarioSpec, ...]
    preferences: tuple[PreferenceSpec, ...]
    roles: tuple[ProfileSpec, ...]
    types: tuple[ProfileSpec, ...]
    contexts: tuple[ProfileSpec, ...]
    min_answered_per_scale: int = 3
    min_scenarios: int = 2
    classical_reliability: float = 0.80
    classical_sd: float = 20.0
    preference_weight: float = 0.3
    n_nodes: int = 61
    classification_z: float = 1.959963984540054
    classification_alpha: float = 0.05
    classification_method: str = "holm"  # holm | per_scale


@dataclass(frozen=True)
class ScenarioResponse:
    """Answer to one scenario: best/worst option indices (0-based), or one rating 1..5
    per option (``None`` for an option left unrated)."""

    best: int | None = None
    worst: int | None = None
    ratings: tuple[int | None, ...] | None = None


@dataclass(frozen=True)
class Responses:
    """A person's answers. Likert ``None`` means "no opportunity yet"/skipped: missing."""

    likert: Mapping[str, int | None]
    scenarios: Mapping[str, ScenarioResponse] = field(default_factory=dict)
    preferences: Mapping[str, int] = field(default_factory=dict)
