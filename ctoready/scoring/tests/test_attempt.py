"""score_attempt: the contract the web app calls."""

import dataclasses
import json

import numpy as np
import pytest

from ctoready.scoring import (
    ENGINE_VERSION,
    AttemptResult,
    DataError,
    LikertSpec,
    ModelError,
    PreferenceSpec,
    ProfileSpec,
    ResponseError,
    Responses,
    ScenarioResponse,
    ScenarioSpec,
    classical_sem,
    eap,
    expected_score,
    prepare,
    score_attempt,
)
from ctoready.scoring.irt import ItemParameters

from .factories import (
    SCALES,
    THRESHOLDS,
    full_responses,
    keyed_answers,
    make_model,
    random_responses,
)


def test_full_attempt_scores_every_part():
    model = make_model()
    result = score_attempt(model, full_responses(model))
    assert result.engine_version == ENGINE_VERSION
    assert [s.scale for s in result.scales] == list(SCALES)
    strategy = result.scale("strategy")
    assert strategy.method == "irt" and strategy.sufficient
    assert strategy.ci95_low < strategy.score < strategy.ci95_high
    assert strategy.classification == "strength"
    assert result.scale("security").classification == "development"
    assert result.judgement.index == pytest.approx(100.0) and result.judgement.sufficient
    assert result.role_fit.top == "cto" and result.type_fit.top == "startup"
    assert [r.context for r in result.readiness] == ["series_a", "bank"]
    with pytest.raises(KeyError):
        result.scale("nope")


def test_irt_score_is_eap_mapped_through_the_test_characteristic_curve():
    model = make_model()
    responses = full_responses(model)
    result = score_attempt(model, responses).scale("leadership")
    items = [ItemParameters(it.a, it.thresholds) for it in model.likert if it.scale == "leadership"]
    keyed = [[2] * 4]  # level 3 on a 1..5 scale is keyed category 2
    est = eap(keyed, items)
    assert result.theta == pytest.approx(est.theta[0], abs=1e-9)
    assert result.theta_se == pytest.approx(est.se[0], abs=1e-9)
    tcc = expected_score([est.theta[0], est.theta[0] - 1.96 * est.se[0]], items) / 16 * 100
    assert result.score == pytest.approx(tcc[0], abs=0.05)
    assert result.ci95_low == pytest.approx(tcc[1], abs=0.05)


def test_classification_critical_value_comes_from_the_model():
    model = make_model()
    strict = dataclasses.replace(model, classification_alpha=1e-300)
    labels = {s.classification for s in score_attempt(strict, full_responses(strict)).scales}
    assert labels == {"no_clear_difference"}
    strict = dataclasses.replace(model, classification_method="per_scale", classification_z=50.0)
    labels = {s.classification for s in score_attempt(strict, full_responses(strict)).scales}
    assert labels == {"no_clear_difference"}


def test_classical_score_is_pomp_with_spearman_brown_sem():
    model = make_model(irt=False)
    likert = keyed_answers(model, {"strategy": 5, "leadership": 3, "business": 2, "security": 1})
    likert["business3"] = None
    result = score_attempt(model, Responses(likert=likert)).scale("business")
    assert result.method == "classical" and result.theta is None
    assert result.score == pytest.approx(25.0)
    assert result.se == pytest.approx(classical_sem(3, 4, 0.8, 20.0))
    assert (result.n_answered, result.n_no_opportunity, result.n_items) == (3, 1, 4)


def test_mixed_scale_falls_back_to_classical():
    model = make_model()
    items = list(model.likert)
    items[0] = dataclasses.replace(items[0], a=None, thresholds=None)
    mixed = dataclasses.replace(model, likert=tuple(items))
    result = score_attempt(mixed, full_responses(mixed))
    assert result.scale("strategy").method == "classical"
    assert result.scale("leadership").method == "irt"


def test_no_opportunity_is_missing_not_low():
    model = make_model()
    likert = keyed_answers(model, dict.fromkeys(SCALES, 4))
    base = score_attempt(model, Responses(likert=likert)).scale("strategy")
    likert["strategy0"] = None
    skipped = score_attempt(model, Responses(likert=likert)).scale("strategy")
    assert skipped.n_no_opportunity == 1 and skipped.n_answered == 3
    assert skipped.score == pytest.approx(base.score, abs=10)
    assert skipped.se > base.se


def test_too_few_answers_claim_no_number():
    model = make_model()
    likert = keyed_answers(model, dict.fromkeys(SCALES, 4))
    for j in range(2):
        likert[f"security{j}"] = None
    del likert["security2"]
    result = score_attempt(model, Responses(likert=likert))
    security = result.scale("security")
    assert not security.sufficient and security.score is None and security.se is None
    assert security.classification == "insufficient" and security.method == "none"
    assert result.readiness[1].sufficient is False


def test_reversing_every_item_negates_theta():
    model = make_model()
    flipped_items = tuple(
        dataclasses.replace(
            it, reverse=not it.reverse, thresholds=tuple(-b for b in reversed(THRESHOLDS))
        )
        for it in model.likert
    )
    flipped = dataclasses.replace(model, likert=flipped_items)
    responses = random_responses(model, np.random.default_rng(3))
    for a, b in zip(
        score_attempt(model, responses).scales,
        score_attempt(flipped, responses).scales,
        strict=True,
    ):
        assert b.theta == pytest.approx(-a.theta, abs=1e-9)
        assert b.score == pytest.approx(100 - a.score, abs=1e-6)


def test_result_round_trips_through_json():
    model = make_model()
    result = score_attempt(model, full_responses(model))
    data = json.loads(json.dumps(result.to_dict()))
    assert AttemptResult.from_dict(data) == result
    assert data["scales"][0]["scale"] == "strategy"
    sparse = score_attempt(model, Responses(likert={}))
    assert AttemptResult.from_dict(json.loads(json.dumps(sparse.to_dict()))) == sparse


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda d: d["scales"][1].pop("se"), r"^result\.scales\[1\]\.se: missing$"),
        (lambda d: d.update(judgement=[]), r"^result\.judgement: expected an object"),
        (
            lambda d: d["role_fit"].update(ranking="a"),
            r"^result\.role_fit\.ranking: expected a list",
        ),
        (
            lambda d: d["scales"][0].update(score="high"),
            r"^result\.scales\[0\]\.score: expected a number",
        ),
        (
            lambda d: d["scales"][0].update(n_items=True),
            r"^result\.scales\[0\]\.n_items: expected int",
        ),
    ],
)
def test_a_damaged_result_names_the_field_at_fault(damage, message):
    model = make_model()
    data = json.loads(json.dumps(score_attempt(model, full_responses(model)).to_dict()))
    damage(data)
    with pytest.raises(DataError, match=message):
        AttemptResult.from_dict(data)


def test_empty_attempt_claims_nothing_and_has_no_nan():
    model = make_model()
    result = score_attempt(model, Responses(likert={}))
    assert all(not s.sufficient for s in result.scales)
    assert result.judgement.index is None and result.role_fit.top is None
    assert "NaN" not in json.dumps(result.to_dict())


@pytest.mark.parametrize(
    ("responses", "message"),
    [
        (Responses(likert={"nope": 3}), "unknown Likert item 'nope'"),
        (Responses(likert={"strategy0": 6}), "item 'strategy0': 6 is not a response 1..5"),
        (Responses(likert={"strategy0": True}), "is not a response"),
        (Responses(likert={}, scenarios={"nope": ScenarioResponse(best=0)}), "unknown scenario"),
        (Responses(likert={}, preferences={"nope": 0}), "unknown preference item"),
    ],
)
def test_bad_responses_are_refused_with_the_item_named(responses, message):
    with pytest.raises(ResponseError, match=message):
        score_attempt(make_model(), responses)


def _with(model, **changes):
    return dataclasses.replace(model, **changes)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: _with(m, scales=()), "no scales"),
        (lambda m: _with(m, scales=(*SCALES, "strategy")), "duplicate scale id 'strategy'"),
        (lambda m: _with(m, likert=(*m.likert, m.likert[0])), "duplicate item id 'strategy0'"),
        (lambda m: _with(m, likert=(LikertSpec("x", "nope", False, 5),)), "unknown scale 'nope'"),
        (lambda m: _with(m, likert=(LikertSpec("x", "strategy", False, 1),)), "integer >= 2"),
        (lambda m: _with(m, likert=(LikertSpec("x", "strategy", False, 5, a=1.0),)), "both a and"),
        (
            lambda m: _with(m, likert=(LikertSpec("x", "strategy", False, 5, 1.0, (0.0,)),)),
            "1 thresholds for 5",
        ),
        (
            lambda m: _with(m, likert=(LikertSpec("x", "strategy", False, 2, -1.0, (0.0,)),)),
            "discrimination",
        ),
        (lambda m: _with(m, scenarios=(ScenarioSpec("s", "best_worst", (2.0, 2.0)),)), "equally"),
        (
            lambda m: _with(m, preferences=(PreferenceSpec("p", "mood", ("cto", "vpe")),)),
            "dimension",
        ),
        (lambda m: _with(m, preferences=(PreferenceSpec("p", "role", ("cto",)),)), "two options"),
        (
            lambda m: _with(m, preferences=(PreferenceSpec("p", "role", ("cto", "ceo")),)),
            "unknown role 'ceo'",
        ),
        (
            lambda m: _with(m, preferences=(), roles=(ProfileSpec("r", {"nope": 1.0}),)),
            "role 'r': unknown scale",
        ),
        (
            lambda m: _with(m, preferences=(), types=(ProfileSpec("t", {"strategy": -1.0}),)),
            "finite and >= 0",
        ),
        (lambda m: _with(m, contexts=(ProfileSpec("c", {"strategy": 0.0}),)), "positive weight"),
        (lambda m: _with(m, min_answered_per_scale=0), "must be >= 1"),
        (lambda m: _with(m, classical_reliability=1.0), "classical_reliability"),
        (lambda m: _with(m, preference_weight=1.5), "preference_weight"),
        (lambda m: _with(m, classification_z=0.0), "classification_z"),
    ],
)
def test_inconsistent_models_are_refused(change, message):
    with pytest.raises(ModelError, match=message):
        prepare(change(make_model()))


def test_prepare_is_cached_by_identity_and_bounded():
    model = make_model()
    assert prepare(model) is prepare(model)
    others = [make_model() for _ in range(20)]
    for other in others:
        prepare(other)
    assert prepare(others[-1]) is prepare(others[-1])
