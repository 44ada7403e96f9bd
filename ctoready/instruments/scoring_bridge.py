"""Turn an instrument and saved answers into the scoring core's plain data."""

from collections.abc import Mapping
from typing import Any

from ctoready import scoring
from ctoready.instruments.derived import PerDocument
from ctoready.instruments.document import Instrument

_models: PerDocument[scoring.ScoringModel] = PerDocument()


def scoring_model(doc: Instrument) -> scoring.ScoringModel:
    """The engine's model of an instrument, built once per document object."""
    return _models.get_or_build(doc, lambda: _build(doc))


def _build(doc: Instrument) -> scoring.ScoringModel:
    return scoring.ScoringModel(
        scales=tuple(scale.id for scale in doc.scales),
        likert=tuple(
            scoring.LikertSpec(
                id=item.id,
                scale=item.scale or "",
                reverse=item.reverse,
                categories=doc.response_scales[item.response_scale or ""].max_value,
                a=item.irt_a,
                thresholds=item.irt_b,
            )
            for item in doc.likert_items
        ),
        scenarios=tuple(
            scoring.ScenarioSpec(
                id=item.id,
                mode=item.mode or "best_worst",
                effectiveness=tuple(float(o.effectiveness or 0) for o in item.options),
            )
            for item in doc.items_of("scenario")
        ),
        preferences=tuple(
            scoring.PreferenceSpec(
                id=item.id,
                dimension="role" if item.dimension == "role" else "type",
                points_to=tuple(o.points_to or "" for o in item.options),
            )
            for item in doc.items_of("preference")
        ),
        roles=_profiles(doc.roles),
        types=_profiles(doc.cto_types),
        contexts=_profiles(doc.contexts),
    )


def _profiles(profiles: Any) -> tuple[scoring.ProfileSpec, ...]:
    return tuple(scoring.ProfileSpec(id=p.id, weights=dict(p.weights)) for p in profiles)


def responses(doc: Instrument, answers: Mapping[str, Any]) -> scoring.Responses:
    """Saved answer values (as the flow stores them) to the engine's responses."""
    likert: dict[str, int | None] = {}
    scenarios: dict[str, scoring.ScenarioResponse] = {}
    preferences: dict[str, int] = {}
    for item in doc.items:
        value = answers.get(item.id)
        option_index = {option.id: i for i, option in enumerate(item.options)}
        if item.type == "likert":
            likert[item.id] = value if isinstance(value, int) else None
        elif item.type == "scenario" and isinstance(value, dict):
            if item.mode == "rate_each":
                ratings = tuple(value.get(option.id) for option in item.options)
                scenarios[item.id] = scoring.ScenarioResponse(ratings=ratings)
            else:
                scenarios[item.id] = scoring.ScenarioResponse(
                    best=option_index.get(value.get("best", "")),
                    worst=option_index.get(value.get("worst", "")),
                )
        elif item.type == "preference" and value in option_index:
            preferences[item.id] = option_index[value]
    return scoring.Responses(likert=likert, scenarios=scenarios, preferences=preferences)
