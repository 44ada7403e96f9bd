"""Score-band texts describe the answers, never other people's opinions, and the
emotional-intelligence and resilience texts are as specific as the best ones."""

import re
from pathlib import Path

import pytest

from ctoready.instruments.loader import load_file

CONTENT = Path(__file__).resolve().parents[1] / "content"
DOCS = {
    "en": load_file(CONTENT / "cto-readiness.yaml").instrument,
    "fr": load_file(CONTENT / "cto-readiness.fr.yaml").instrument,
}
HIGH_OPENING = {"en": "Your answers describe", "fr": "Vos réponses décrivent"}
OTHERS_OPINION = re.compile(
    r"you are trusted|people trust you|trust you with|others see you|you are seen as|"
    r"people see you|seen by others|on vous fait confiance|les autres vous voient",
    re.IGNORECASE,
)
BEST = ("strategy", "security")
SPECIFIC = ("emotional-intelligence", "resilience")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_high_bands_describe_the_answers(lang):
    for scale in DOCS[lang].scales:
        assert scale.bands["high"].startswith(HIGH_OPENING[lang]), scale.id


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_band_claims_how_others_see_the_person(lang):
    for scale in DOCS[lang].scales:
        for band, text in scale.bands.items():
            assert not OTHERS_OPINION.search(text), (scale.id, band)


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("band", ["low", "middle", "high"])
def test_resilience_and_emotional_intelligence_are_as_specific_as_the_best(lang, band):
    doc = DOCS[lang]
    shortest_best = min(len(doc.scale_by_id[s].bands[band].split()) for s in BEST)
    for scale_id in SPECIFIC:
        text = doc.scale_by_id[scale_id].bands[band]
        assert len(text.split()) >= shortest_best, (scale_id, band)
        assert text.count(",") + text.count(":") >= 2, "names concrete behaviours"
