"""Role and CTO-type profiles weight what distinguishes them; preference options are equally
appealing (none reads as help-desk work or bureaucracy)."""

import re
from pathlib import Path

import pytest

from ctoready.instruments.loader import load_file

CONTENT = Path(__file__).resolve().parents[1] / "content"
EN = load_file(CONTENT / "cto-readiness.yaml").instrument
FR = load_file(CONTENT / "cto-readiness.fr.yaml").instrument
UNAPPEALING = re.compile(
    r"help ?desk|support for|devices|login|password|ageing|audit|committee|approval|"
    r"paperwork|ticket|comité|support pour|connexion|vieux",
    re.IGNORECASE,
)


@pytest.mark.parametrize("dimension", ["roles", "cto_types"])
def test_no_profile_weights_all_ten_scales_equally(dimension):
    for profile in getattr(EN, dimension):
        positive = {s: w for s, w in profile.weights.items() if w > 0}
        assert len(positive) < len(EN.scales), profile.id
        assert len(set(positive.values())) > 1 or len(positive) <= 3, profile.id


@pytest.mark.parametrize("dimension", ["roles", "cto_types"])
def test_each_profile_leads_on_scales_no_other_profile_leads_on(dimension):
    profiles = getattr(EN, dimension)
    for profile in profiles:
        top = max(profile.weights.values())
        leading = {s for s, w in profile.weights.items() if w == top}
        for other in profiles:
            if other.id != profile.id:
                assert all(other.weights.get(s, 0) < top for s in leading), (profile.id, other.id)


@pytest.mark.parametrize("doc", [EN, FR], ids=["en", "fr"])
def test_preference_options_are_equally_appealing(doc):
    for item in doc.items_of("preference"):
        lengths = [len(option.text.split()) for option in item.options]
        assert max(lengths) - min(lengths) <= 4, (item.id, lengths)
        for option in item.options:
            assert not UNAPPEALING.search(option.text), (item.id, option.text)
