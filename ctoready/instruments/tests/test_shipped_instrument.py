"""The shipped CTO Readiness instrument follows its brief and the item-writing rules.

These tests read the YAML files directly (no Django, no database), so they run with
``pytest -p no:django``. The rules they check are in /work/shared/ITEM-WRITING.md and
docs/instrument-review.md; the timing model is in docs/timing-model.md.
"""

import itertools
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from ctoready.instruments.loader import check_translation, load_file

CONTENT = Path(__file__).resolve().parents[1] / "content"
EN_PATH = CONTENT / "cto-readiness.yaml"
FR_PATH = CONTENT / "cto-readiness.fr.yaml"

SCALES = {
    "strategy": "responsibility",
    "leadership": "responsibility",
    "business-alignment": "responsibility",
    "communication": "responsibility",
    "security": "responsibility",
    "strategic-thinking": "capability",
    "architecture": "capability",
    "business-acumen": "capability",
    "emotional-intelligence": "capability",
    "resilience": "capability",
}
# The report keys experience gates and the path to CTO on these (ids, fields and option ids
# stay fixed across versions); the current workplace (stage_now) was asked in 1.0.0 but
# the report never used it, so 2.0.0 no longer asks.
BACKGROUND_FIELDS = {
    "leadership_years",
    "team_size",
    "managed_managers",
    "budget",
    "board_exposure",
}
BACKGROUND_OPTIONS = {
    "bg-leadership-years": ["none", "under-2", "2-to-5", "5-to-10", "over-10"],
    "bg-team-size": ["none", "1-to-5", "6-to-15", "16-to-50", "51-to-150", "over-150"],
    "bg-managed-managers": ["no", "managed", "hired-and-managed"],
    "bg-budget": ["none", "under-100k", "100k-to-1m", "1m-to-10m", "over-10m"],
    "bg-board-exposure": ["none", "attended", "presented", "regular"],
}
CORE_SCENARIOS = {"sjt-struggling-team", "sjt-rfc-approval", "sjt-sales-call-request"}
STEM = "In the last twelve months, how often did you…"
OBSERVER_STEM = "In the last twelve months, how often did this person…"
FR_STEM = "Au cours des douze derniers mois, à quelle fréquence avez-vous…"
FR_OBSERVER_STEM = "Au cours des douze derniers mois, à quelle fréquence cette personne a-t-elle…"
# Items whose "and" joins parts of one behaviour, not two behaviours (see
# docs/instrument-review.md).
ONE_BEHAVIOUR_WITH_AND = {
    "strat-build-buy": "comparing building, buying and open-source options is one comparison",
    "arch-decision-record": "one record that holds the options and the reasons",
}
MAX_WORDS = 30  # the whole question, stem included (ITEM-WRITING.md)
MAX_CONTINUATION_WORDS = 14  # what follows the stem: plain and specific, about 8-14 words
PREFERENCE_TEXT = "Which would energise you most?"


def _load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


EN = _load(EN_PATH)
FR = _load(FR_PATH)


def items_of(doc: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [item for item in doc["items"] if item["type"] == kind]


def words(text: str) -> int:
    return len(text.split())


def real_words(text: str) -> int:
    """Words a reader reads: French puts a space before "?" and ";", which are not words."""
    return sum(1 for token in text.split() if re.search(r"\w", token))


def part_of(doc: dict[str, Any]) -> dict[str, str]:
    return {ref: page.get("part", "core") for page in doc["pages"] for ref in page["items"]}


# ------------------------------------------------------------------ parsing and validation


@pytest.mark.parametrize("path", [EN_PATH, FR_PATH], ids=["en", "fr"])
def test_file_validates_with_no_problems(path):
    loaded = load_file(path)
    assert loaded.ok, [str(p) for p in loaded.problems]


def test_top_level_identity():
    assert (EN["id"], EN["version"], EN["locale"], EN["format"]) == (
        "cto-readiness",
        "2.0.0",
        "en",
        1,
    )
    assert (FR["id"], FR["version"], FR["locale"]) == ("cto-readiness", "2.0.0", "fr")
    assert EN["adaptive"] == {"enabled": False, "se_target": 0.45, "max_items": 40}


# ------------------------------------------------------------------ scales


def test_ten_scales_with_the_agreed_ids_and_domains():
    assert {s["id"]: s["domain"] for s in EN["scales"]} == SCALES


@pytest.mark.parametrize("scale", EN["scales"], ids=lambda s: s["id"])
def test_scale_narratives_actions_and_plan_insertions(scale):
    assert set(scale["bands"]) == {"low", "middle", "high"}
    for text in scale["bands"].values():
        assert re.search(r"\byou(r)?\b", text, re.IGNORECASE), "bands speak to the person"
    kinds = Counter(action["kind"] for action in scale["actions"])
    assert len(scale["actions"]) >= 3
    assert set(kinds) == {"experience", "exposure", "education"}
    assert 1 <= len(scale["first_90_days"]) <= 2
    for insertion in scale["first_90_days"]:
        assert 1 <= insertion["week"] <= 13
    assert scale["experience_gap"].strip()
    assert scale["guide"]


# ------------------------------------------------------------------ Likert items


def test_at_least_five_likert_items_per_scale_with_a_reverse_keyed_one():
    likert = items_of(EN, "likert")
    assert len(likert) == 52
    per_scale = Counter(item["scale"] for item in likert)
    assert set(per_scale) == set(SCALES)
    assert min(per_scale.values()) >= 5
    reversed_scales = {item["scale"] for item in likert if item.get("reverse")}
    assert reversed_scales == set(SCALES)


def test_frequency_scale_carries_the_stem_once():
    """The time frame and "how often" stand once per page, in the response scale's stem."""
    assert EN["response_scales"]["frequency"]["stem"] == STEM
    assert EN["response_scales"]["frequency"]["observer_stem"] == OBSERVER_STEM
    assert FR["response_scales"]["frequency"]["stem"] == FR_STEM
    assert FR["response_scales"]["frequency"]["observer_stem"] == FR_OBSERVER_STEM


@pytest.mark.parametrize("item", items_of(EN, "likert"), ids=lambda i: i["id"])
def test_likert_item_wording(item):
    assert item["response_scale"] == "frequency"
    for text, stem in ((item["text"], STEM), (item["observer_text"], OBSERVER_STEM)):
        # The text continues the stem: it does not repeat it and starts with a verb.
        assert not text.startswith("In the last"), "the stem is shown once per page"
        assert text[0].islower(), "continues the stem"
        assert text.endswith("?")
        assert words(text) <= MAX_CONTINUATION_WORDS
        assert words(stem) + words(text) < MAX_WORDS
    behaviour = item["text"]
    assert not behaviour.startswith(("not ", "never ")), "no negated sentences"
    if item["id"] not in ONE_BEHAVIOUR_WITH_AND:
        assert " and " not in behaviour, "one behaviour per item"
    for motive in (" so ", "so that", " because ", "mainly"):
        assert motive not in behaviour, "no motive a rater cannot observe"


@pytest.mark.parametrize("item", items_of(FR, "likert"), ids=lambda i: i["id"])
def test_french_likert_items_keep_the_english_length_limits(item):
    for text in (item["text"], item["observer_text"]):
        assert real_words(text) <= MAX_CONTINUATION_WORDS, text
        assert real_words(FR_STEM) + real_words(text) < MAX_WORDS


@pytest.mark.parametrize("item", items_of(FR, "scenario"), ids=lambda i: i["id"])
def test_french_scenarios_keep_the_english_length_limits(item):
    assert 60 <= real_words(item["text"]) <= 120
    assert all(real_words(o["text"]) <= 14 for o in item["options"]), "short options"


@pytest.mark.parametrize("item", items_of(EN, "likert"), ids=lambda i: i["id"])
def test_likert_item_has_conservative_irt(item):
    a, b = item["irt"]["a"], item["irt"]["b"]
    assert 0.9 <= a <= 1.5
    assert len(b) == 4
    assert all(x < y for x, y in itertools.pairwise(b))
    assert b[0] >= -2.5 and b[-1] <= 2.0


def test_response_scale_is_labelled_frequency_with_no_opportunity():
    scale = EN["response_scales"]["frequency"]
    assert [p["label"] for p in scale["points"]] == [
        "Never",
        "Rarely",
        "Sometimes",
        "Often",
        "Almost always",
    ]
    assert scale["no_opportunity"] == "No opportunity yet"


# ------------------------------------------------------------------ scenarios


def test_three_scenarios_in_the_core_and_five_in_the_deep_dive():
    scenarios = items_of(EN, "scenario")
    parts = part_of(EN)
    assert {i["id"] for i in scenarios if parts[i["id"]] == "core"} == CORE_SCENARIOS
    deep = {i["id"] for i in scenarios if parts[i["id"]] == "deep"}
    assert len(deep) == 5 and {"sjt-cloud-costs", "sjt-mentoring"} <= deep


def test_the_keyed_best_option_is_not_the_same_letter_in_most_scenarios():
    bests = Counter(
        max(item["options"], key=lambda o: o["effectiveness"])["id"]
        for item in items_of(EN, "scenario")
    )
    assert max(bests.values()) <= len(items_of(EN, "scenario")) // 2, bests


def test_lowest_keyed_board_option_says_it_goes_round_the_ceo():
    board = next(i for i in items_of(EN, "scenario") if i["id"] == "sjt-board-deck")
    worst = min(board["options"], key=lambda o: o["effectiveness"])
    assert "without telling the ceo" in worst["text"].lower()


def test_a_tool_inventing_details_for_patients_is_keyed_below_waiting():
    memo = {o["id"]: o for o in next(i for i in EN["items"] if i["id"] == "sjt-ai-memo")["options"]}
    ship = next(o for o in memo.values() if o["text"].startswith("Ship the prototype"))
    wait = next(o for o in memo.values() if o["text"].startswith("Advise waiting"))
    assert ship["effectiveness"] < wait["effectiveness"]


@pytest.mark.parametrize("item", items_of(EN, "scenario"), ids=lambda i: i["id"])
def test_scenario_is_keyed_and_fair(item):
    assert item["mode"] == "best_worst"
    assert 60 <= words(item["text"]) <= 120
    assert all(words(o["text"]) <= 12 for o in item["options"]), "short options"
    options = item["options"]
    assert len(options) == 4
    keys = [o["effectiveness"] for o in options]
    assert all(1 <= k <= 5 for k in keys)
    assert keys.count(max(keys)) == 1 and keys.count(min(keys)) == 1
    for option in options:
        assert option["rationale"].strip()
    best = max(options, key=lambda o: o["effectiveness"])
    assert words(best["text"]) < max(words(o["text"]) for o in options), "best is not longest"


@pytest.mark.parametrize("item", items_of(FR, "scenario"), ids=lambda i: i["id"])
def test_french_scenario_best_option_is_not_the_longest(item):
    options = item["options"]
    best = max(options, key=lambda o: o["effectiveness"])
    assert words(best["text"]) < max(words(o["text"]) for o in options)


# ------------------------------------------------------------------ other item types


def test_background_fields():
    background = items_of(EN, "background")
    assert {item["field"] for item in background} == BACKGROUND_FIELDS
    assert len(background) == len(BACKGROUND_FIELDS)
    for item in background:
        assert [o["id"] for o in item["options"]] == BACKGROUND_OPTIONS[item["id"]]
        assert part_of(EN)[item["id"]] == "core"


def _bounds(text: str) -> tuple[float, float, bool] | None:
    """(low, high, high is exclusive) of a numeric band such as "2 to 4" or "100k to under 1m"."""
    scale = {"k": 1e3, "m": 1e6}
    numbers = [
        float(n) * scale.get(unit.lower(), 1)
        for n, unit in re.findall(r"(\d+(?:\.\d+)?)\s*([kKmM]?)", text)
    ]
    if not numbers:
        return None
    exclusive = bool(re.search(r"\b(under|moins de)\b", text, re.IGNORECASE))
    low = 0.0 if exclusive and len(numbers) == 1 else numbers[0]
    if re.search(r"\b(over|plus de)\b", text, re.IGNORECASE):
        low += 0.5  # "over 150" starts after 150
    return low, numbers[-1], exclusive


@pytest.mark.parametrize("doc", [EN, FR], ids=["en", "fr"])
def test_background_bands_do_not_overlap(doc):
    """No number belongs to two bands ("2–5" then "5–10" did)."""
    for item in items_of(doc, "background"):
        bands = [b for b in (_bounds(o["text"]) for o in item["options"]) if b is not None]
        for (_, high, exclusive), (low, _, _) in itertools.pairwise(bands):
            assert high <= low if exclusive else high < low, (item["id"], bands)


@pytest.mark.parametrize(
    ("dimension", "targets"),
    [("role", {"cto", "vpe", "cio"}), ("cto_type", {"startup", "enterprise", "fractional"})],
)
def test_preferences_offer_one_option_per_target(dimension, targets):
    # Three items per dimension: each target is offered three times (see
    # docs/instrument-review.md, "Preference items", for why three and not four).
    prefs = [i for i in items_of(EN, "preference") if i["dimension"] == dimension]
    assert len(prefs) == 3
    for item in prefs:
        assert item["text"] == PREFERENCE_TEXT
        assert sorted(o["points_to"] for o in item["options"]) == sorted(targets)
        lengths = [words(o["text"]) for o in item["options"]]
        assert max(lengths) - min(lengths) <= 5, "options of comparable length"


def test_self_check():
    checks = items_of(EN, "self_check")
    assert len(checks) == 6
    for item in checks:
        assert [o["id"] for o in item["options"]] == ["yes", "partly", "no"]
        assert item["scales"] and set(item["scales"]) <= set(SCALES)


# ------------------------------------------------------------------ profiles, levels, plans


def test_roles_types_and_contexts():
    assert [r["id"] for r in EN["roles"]] == ["cto", "vpe", "cio"]
    assert [t["id"] for t in EN["cto_types"]] == ["startup", "enterprise", "fractional"]
    assert [c["id"] for c in EN["contexts"]] == ["seed", "growth", "enterprise", "fractional"]
    for profile in EN["contexts"]:  # roles and types: test_fit_profiles.py
        assert set(profile["weights"]) == set(SCALES)
        assert max(profile["weights"].values()) > 0
    for context in EN["contexts"]:
        assert context["rationale"].strip()


def test_readiness_levels():
    assert [level["min"] for level in EN["readiness_levels"]] == [0, 45, 65, 80]


def test_plans():
    path = EN["plans"]["path_to_cto"]
    assert 4 <= len(path) <= 6
    assert all(stage["milestones"] for stage in path)
    weeks = EN["plans"]["first_90_days"]
    assert [w["week"] for w in weeks] == list(range(1, 14))
    for week in weeks:
        expected = (
            "listen" if week["week"] <= 4 else "quick-wins" if week["week"] <= 8 else "execute"
        )
        assert week["phase"] == expected
        assert week["title"] and 2 <= len(week["actions"]) <= 3


# ------------------------------------------------------------------ pages


def test_page_layout():
    pages = EN["pages"]
    by_id = {item["id"]: item for item in EN["items"]}
    placed = [i for page in pages for i in page["items"]]
    assert sorted(placed) == sorted(by_id), "every item on exactly one page"
    assert pages[0]["title"] == "About you"
    assert {by_id[i]["type"] for i in pages[0]["items"]} == {"background"}
    core = [p for p in pages if p.get("part", "core") == "core"]
    deep = [p for p in pages if p.get("part") == "deep"]
    assert pages == core + deep, "the deep-dive follows the core"
    kinds = []
    for page in core:
        types = {by_id[i]["type"] for i in page["items"]}
        if types == {"likert"}:
            scales = [by_id[i]["scale"] for i in page["items"]]
            assert 5 <= len(page["items"]) <= 6
            assert len(set(scales)) >= 4, f"{page['id']} mixes scales"
            kinds.append("likert")
        elif types == {"scenario"}:
            assert len(page["items"]) == 1
            kinds.append("scenario")
        else:
            kinds.append("/".join(sorted(types)))
    assert kinds[-1] == "preference", "the core ends with what energises you"
    middle = kinds[1:-1]
    assert middle.count("scenario") == 3 and middle[0] == "likert"
    assert all(not (a == b == "scenario") for a, b in itertools.pairwise(middle))
    deep_types = [{by_id[i]["type"] for i in page["items"]} for page in deep]
    assert deep_types[-1] == {"self_check"}
    assert all(types == {"scenario"} for types in deep_types[:-1])


# ------------------------------------------------------------------ guide links


def _guides(value: Any):
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "guide":
                yield inner
            else:
                yield from _guides(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _guides(inner)


@pytest.mark.parametrize("doc", [EN, FR], ids=["en", "fr"])
def test_guide_links_resolve_to_real_guide_sections(doc):
    from ctoready.guides import guide_url

    links = list(_guides(doc))
    assert links
    for link in links:
        assert guide_url(link, doc["locale"]), link


def test_every_scale_links_to_its_guide():
    for scale in EN["scales"]:
        if scale["domain"] == "capability":
            assert scale["guide"] == f"skills-that-matter#{scale['id']}"
        else:
            assert scale["guide"].startswith("what-a-cto-does#")


# ------------------------------------------------------------------ French


def test_french_differs_from_english_only_in_its_texts():
    # Ids, keys, numbers, references and list lengths, as the loader compares them.
    assert check_translation(EN, FR, "cto-readiness.fr.yaml") == []


def test_french_texts_are_translated():
    english = {item["id"]: item for item in EN["items"]}
    for item in FR["items"]:
        assert item["text"] != english[item["id"]]["text"], item["id"]
    for item in items_of(FR, "likert"):
        for text in (item["text"], item["observer_text"]):
            assert not text.startswith("Au cours"), "the stem is shown once per page"
            assert text[0].islower() and text.endswith(" ?")
