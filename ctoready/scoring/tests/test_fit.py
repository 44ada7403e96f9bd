"""Role/type fit and readiness: weighted composites with error and reasons."""

import math

import pytest

from ctoready.scoring import (
    PreferenceSpec,
    ProfileSpec,
    ResponseError,
    ScaleEstimate,
    fit_profiles,
    preference_tally,
    readiness_for_context,
)

SCALES = {
    "strategy": ScaleEstimate(80.0, 6.0),
    "leadership": ScaleEstimate(50.0, 8.0),
    "security": ScaleEstimate(30.0, 6.0),
}
CTO = ProfileSpec("cto", {"strategy": 3.0, "leadership": 1.0})
VPE = ProfileSpec("vpe", {"leadership": 3.0, "strategy": 1.0})
CIO = ProfileSpec("cio", {"security": 1.0, "business": 3.0})


def test_readiness_is_the_weighted_mean_with_composite_se():
    # (3·80 + 1·50) / 4 = 72.5; SE = sqrt(9·36 + 64) / 4
    result = readiness_for_context(CTO, SCALES)
    assert result.score == pytest.approx(72.5)
    assert result.se == pytest.approx(math.sqrt(9 * 36 + 64) / 4)
    assert result.ci95_low < 72.5 < result.ci95_high
    assert result.scales_used == ("strategy", "leadership") and result.scales_missing == ()


def test_readiness_is_not_claimed_when_most_weight_is_unmeasured():
    result = readiness_for_context(CIO, SCALES)
    assert (result.score, result.sufficient) == (None, False)
    assert result.scales_missing == ("business",) and result.scales_used == ("security",)


def test_readiness_uses_measured_scales_when_they_carry_half_the_weight():
    result = readiness_for_context(ProfileSpec("x", {"strategy": 1.0, "business": 1.0}), SCALES)
    assert result.score == pytest.approx(80.0) and result.scales_missing == ("business",)


def test_preference_tally_counts_choices_and_offers():
    specs = (
        PreferenceSpec("p1", "role", ("cto", "vpe", "cio")),
        PreferenceSpec("p2", "role", ("cto", "vpe")),
        PreferenceSpec("p3", "type", ("startup", "enterprise")),
        PreferenceSpec("p4", "role", ("vpe", "cio")),
    )
    tally = preference_tally(specs, {"p1": 0, "p2": 1, "p3": 0}, "role")
    assert tally == {"cto": (1, 2), "vpe": (1, 2), "cio": (0, 1)}
    with pytest.raises(ResponseError, match=r"option 3 is outside 0\.\.1"):
        preference_tally(specs, {"p2": 3}, "role")
    with pytest.raises(ResponseError, match="not an option index"):
        preference_tally(specs, {"p2": "cto"}, "role")


def test_fit_combines_scales_and_preferences_by_hand():
    tally = {"cto": (3, 4), "vpe": (1, 4)}
    result = fit_profiles("role", (CTO, VPE), SCALES, tally, preference_weight=0.3)
    cto = result.profiles[0]
    # S = 72.5, P = 75 → F = 0.7·72.5 + 0.3·75
    assert cto.score == pytest.approx(0.7 * 72.5 + 0.3 * 75)
    p_tilde = 4 / 6
    pref_se = 100 * math.sqrt(p_tilde * (1 - p_tilde) / 4)
    scale_var = (0.7 * 0.75 * 6) ** 2 + (0.7 * 0.25 * 8) ** 2
    assert cto.se == pytest.approx(math.sqrt(scale_var + (0.3 * pref_se) ** 2))
    assert result.ranking == ("cto", "vpe") and result.top == "cto"
    assert result.margin == pytest.approx(cto.score - result.profiles[1].score)
    assert result.margin_se is not None and result.margin_se > 0


def test_reasons_name_the_scales_and_preferences_that_drove_the_fit():
    result = fit_profiles("role", (CTO,), SCALES, {"cto": (3, 4)}, preference_weight=0.3)
    reasons = result.profiles[0].reasons
    assert [r.kind for r in reasons] == ["scale", "scale", "preference"]
    assert reasons[0].id == "strategy" and reasons[0].contribution > 0
    mean = (80 + 50 + 30) / 3
    assert reasons[0].contribution == pytest.approx(0.7 * 0.75 * (80 - mean))
    assert reasons[2].contribution == pytest.approx(0.3 * (75 - 50))


def test_clearly_ahead_only_beyond_error():
    far = {"a": ScaleEstimate(90.0, 2.0), "b": ScaleEstimate(20.0, 2.0)}
    profiles = (ProfileSpec("x", {"a": 1.0}), ProfileSpec("y", {"b": 1.0}))
    assert fit_profiles("role", profiles, far, {}, 0.3).clearly_ahead
    near = {"a": ScaleEstimate(55.0, 8.0), "b": ScaleEstimate(50.0, 8.0)}
    assert not fit_profiles("role", profiles, near, {}, 0.3).clearly_ahead


def test_profile_without_any_evidence_is_unscored():
    result = fit_profiles("role", (CIO, CTO), {"strategy": SCALES["strategy"]}, {}, 0.3)
    assert result.profiles[0].score is None and result.ranking == ("cto",)
    assert result.top == "cto" and not result.clearly_ahead and result.margin is None


def test_preferences_alone_can_score_a_profile():
    result = fit_profiles("type", (CIO,), {}, {"cio": (2, 2)}, 0.3)
    fit = result.profiles[0]
    assert fit.score == pytest.approx(100.0) and fit.scale_component is None
    assert fit.reasons[0].kind == "preference"


def test_no_profiles_no_top():
    result = fit_profiles("type", (), SCALES, {}, 0.3)
    assert (result.top, result.ranking, result.clearly_ahead) == (None, (), False)
