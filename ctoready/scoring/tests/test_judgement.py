"""Situational-judgement scoring against the expert key."""

import pytest

from ctoready.scoring import (
    ModelError,
    ResponseError,
    ScenarioResponse,
    ScenarioSpec,
    judgement_index,
    score_scenario,
    validate_scenario,
)

BW = ScenarioSpec("rfc", "best_worst", (1.0, 3.0, 5.0, 2.0))
RATE = ScenarioSpec("costs", "rate_each", (5.0, 1.0, 3.0))


def test_best_worst_scoring_by_hand():
    # key range R = 5 - 1 = 4; (e_best - e_worst + R) / 2R
    assert score_scenario(BW, ScenarioResponse(best=2, worst=0)) == 1.0
    assert score_scenario(BW, ScenarioResponse(best=0, worst=2)) == 0.0
    assert score_scenario(BW, ScenarioResponse(best=1, worst=3)) == pytest.approx((3 - 2 + 4) / 8)
    assert score_scenario(BW, ScenarioResponse(best=1)) == pytest.approx((3 - 1) / 4)
    assert score_scenario(BW, ScenarioResponse(worst=3)) == pytest.approx((5 - 2) / 4)
    assert score_scenario(BW, ScenarioResponse()) is None
    assert score_scenario(BW, None) is None


def test_rate_each_distance_scoring_by_hand():
    # max distances: key 5 → 4, key 1 → 4, key 3 → 2; total 10
    assert score_scenario(RATE, ScenarioResponse(ratings=(5, 1, 3))) == 1.0
    assert score_scenario(RATE, ScenarioResponse(ratings=(1, 5, 1))) == pytest.approx(0.0)
    assert score_scenario(RATE, ScenarioResponse(ratings=(4, None, 4))) == pytest.approx(1 - 2 / 6)
    assert score_scenario(RATE, ScenarioResponse(ratings=(None, None, None))) is None
    assert score_scenario(RATE, ScenarioResponse(best=0)) is None


@pytest.mark.parametrize(
    ("spec", "response", "message"),
    [
        (BW, ScenarioResponse(best=1, worst=1), "same option"),
        (BW, ScenarioResponse(best=4, worst=1), "best option 4 is outside 0..3"),
        (BW, ScenarioResponse(best=True, worst=1), "not an option index"),
        (RATE, ScenarioResponse(ratings=(1, 2)), "2 ratings for 3 options"),
        (RATE, ScenarioResponse(ratings=(1, 6, 2)), "option 1: rating 6 not in 1..5"),
    ],
)
def test_bad_scenario_responses_are_named(spec, response, message):
    with pytest.raises(ResponseError, match=message):
        score_scenario(spec, response)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (ScenarioSpec("x", "ranking", (1.0, 5.0)), "mode"),
        (ScenarioSpec("x", "best_worst", (1.0,)), ">= 2 options"),
        (ScenarioSpec("x", "best_worst", (0.0, 5.0)), "within 1..5"),
        (ScenarioSpec("x", "best_worst", (3.0, 3.0)), "equally effective"),
    ],
)
def test_bad_scenario_keys_are_refused(spec, message):
    with pytest.raises(ModelError, match=message):
        validate_scenario(spec)


def test_judgement_index_and_pooled_se_by_hand():
    # scores 0.5, 0.7, 0.9: mean 0.7, SS = 0.08, pooled var = (0.08 + 2·0.04) / (2 + 2) = 0.04
    result = judgement_index([0.5, 0.7, 0.9])
    assert result.index == pytest.approx(70.0)
    assert result.se == pytest.approx(100 * (0.04 / 3) ** 0.5)
    assert result.ci95_low == pytest.approx(70 - 1.959963984540054 * result.se)
    assert result.sufficient


def test_identical_scenario_scores_still_carry_error():
    result = judgement_index([1.0, 1.0, 1.0, 1.0])
    assert result.se is not None and result.se > 0
    assert result.ci95_high == 100.0


def test_too_few_scenarios_claim_no_index():
    result = judgement_index([0.8], min_scenarios=2)
    assert (result.index, result.se, result.sufficient, result.n_answered) == (None, None, False, 1)
