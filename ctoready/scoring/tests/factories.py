"""Small scoring models and responses shared by the scoring tests."""

from __future__ import annotations

import numpy as np

from ctoready.scoring import (
    LikertSpec,
    PreferenceSpec,
    ProfileSpec,
    Responses,
    ScenarioResponse,
    ScenarioSpec,
    ScoringModel,
)

SCALES = ("strategy", "leadership", "business", "security")
THRESHOLDS = (-1.5, -0.5, 0.5, 1.5)


def likert_items(irt: bool = True, per_scale: int = 4) -> tuple[LikertSpec, ...]:
    items = []
    for s in SCALES:
        for j in range(per_scale):
            items.append(
                LikertSpec(
                    id=f"{s}{j}",
                    scale=s,
                    reverse=j == 1,
                    categories=5,
                    a=1.0 + 0.25 * j if irt else None,
                    thresholds=THRESHOLDS if irt else None,
                )
            )
    return tuple(items)


def make_model(irt: bool = True, **overrides: object) -> ScoringModel:
    fields: dict[str, object] = {
        "scales": SCALES,
        "likert": likert_items(irt),
        "scenarios": (
            ScenarioSpec("rfc", "best_worst", (1.0, 3.0, 5.0, 2.0)),
            ScenarioSpec("vendor", "best_worst", (4.0, 1.0, 2.0, 5.0)),
            ScenarioSpec("costs", "rate_each", (5.0, 1.0, 3.0)),
        ),
        "preferences": (
            PreferenceSpec("p1", "role", ("cto", "vpe", "cio")),
            PreferenceSpec("p2", "role", ("cto", "vpe")),
            PreferenceSpec("p3", "type", ("startup", "enterprise", "fractional")),
        ),
        "roles": (
            ProfileSpec("cto", {"strategy": 3.0, "business": 2.0, "leadership": 1.0}),
            ProfileSpec("vpe", {"leadership": 3.0, "strategy": 1.0}),
            ProfileSpec("cio", {"security": 3.0, "business": 1.0}),
        ),
        "types": (
            ProfileSpec("startup", {"strategy": 2.0, "leadership": 1.0}),
            ProfileSpec("enterprise", {"security": 2.0, "business": 1.0}),
            ProfileSpec("fractional", {"business": 1.0, "strategy": 1.0}),
        ),
        "contexts": (
            ProfileSpec("series_a", {"strategy": 2.0, "leadership": 1.0}),
            ProfileSpec("bank", {"security": 3.0, "business": 1.0}),
        ),
    }
    fields.update(overrides)
    return ScoringModel(**fields)  # type: ignore[arg-type]


def keyed_answers(model: ScoringModel, level: dict[str, int]) -> dict[str, int | None]:
    """Raw answers that put every item of a scale at the given keyed level (1..5)."""
    out: dict[str, int | None] = {}
    for it in model.likert:
        keyed = level[it.scale]
        out[it.id] = it.categories + 1 - keyed if it.reverse else keyed
    return out


def full_responses(model: ScoringModel) -> Responses:
    return Responses(
        likert=keyed_answers(model, {"strategy": 5, "leadership": 3, "business": 3, "security": 1}),
        scenarios={
            "rfc": ScenarioResponse(best=2, worst=0),
            "vendor": ScenarioResponse(best=3, worst=1),
            "costs": ScenarioResponse(ratings=(5, 1, 3)),
        },
        preferences={"p1": 0, "p2": 0, "p3": 0},
    )


def random_responses(model: ScoringModel, rng: np.random.Generator) -> Responses:
    return Responses(
        likert={it.id: int(rng.integers(1, it.categories + 1)) for it in model.likert},
        scenarios={"rfc": ScenarioResponse(best=1, worst=3)},
        preferences={"p1": int(rng.integers(3))},
    )
