"""The shipped plans agree with the guides: each week of the first 90 days follows the guide
section for that week, and the path to CTO names the stages of "How to become a CTO"."""

import re
from pathlib import Path

import pytest

from ctoready.instruments.loader import load_file

CONTENT = Path(__file__).resolve().parents[1] / "content"
GUIDES = Path(__file__).resolve().parents[2] / "guides" / "content"
FILES = {"en": CONTENT / "cto-readiness.yaml", "fr": CONTENT / "cto-readiness.fr.yaml"}
WEEK_HEADING = re.compile(r"^### \D*(\d+)(?:\D+(\d+))? \{#([a-z0-9-]+)\}$", re.MULTILINE)
STAGE_HEADING = re.compile(r"^## [^:]+?(\d)\s?: (.+) \{#([a-z0-9-]+)\}$", re.MULTILINE)
SECURITY = {"en": "security baseline", "fr": "socle de sécurité"}
STRATEGY_DRAFT = {"en": "Draft the technology strategy", "fr": "Rédigez la stratégie technologique"}


def guide_weeks(lang: str) -> dict[int, str]:
    """Week number -> the anchor of the guide section that covers it."""
    text = (GUIDES / lang / "first-90-days.md").read_text(encoding="utf-8")
    covered = {}
    for first, last, anchor in WEEK_HEADING.findall(text):
        for week in range(int(first), int(last or first) + 1):
            covered[week] = anchor
    return covered


def guide_stages(lang: str) -> list[tuple[str, str]]:
    text = (GUIDES / lang / "how-to-become-a-cto.md").read_text(encoding="utf-8")
    return [(title, anchor) for _n, title, anchor in STAGE_HEADING.findall(text)]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_plan_week_follows_the_guide_section_for_that_week(lang):
    covered = guide_weeks(lang)
    assert sorted(covered) == list(range(1, 14)), "the guide covers weeks 1 to 13"
    weeks = load_file(FILES[lang]).instrument.first_90_days
    assert [w.week for w in weeks] == list(range(1, 14))
    for week in weeks:
        assert week.guide == f"first-90-days#{covered[week.week]}", week.week


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_security_baseline_comes_in_the_first_month_for_everyone(lang):
    weeks = load_file(FILES[lang]).instrument.first_90_days
    first_month = " ".join(a for w in weeks if w.week <= 4 for a in w.actions)
    assert SECURITY[lang] in first_month


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_strategy_is_drafted_where_the_guide_puts_it(lang):
    weeks = load_file(FILES[lang]).instrument.first_90_days
    drafted = [w.week for w in weeks if any(STRATEGY_DRAFT[lang] in a for a in w.actions)]
    covered = guide_weeks(lang)
    assert drafted and all(covered[w] == "weeks-7-8" for w in drafted)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_scale_insertions_do_not_postpone_what_the_guide_says_is_urgent(lang):
    doc = load_file(FILES[lang]).instrument
    security = doc.scale_by_id["security"]
    assert max(i.week for i in security.first_90_days) <= 6, "serious gaps closed in weeks 5-6"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_path_to_cto_names_the_guides_stages_in_order(lang):
    stages = load_file(FILES[lang]).instrument.path_to_cto
    expected = guide_stages(lang)
    assert len(expected) == 5
    assert [(s.title.casefold().replace("'", "’"), s.guide) for s in stages] == [
        (title.casefold(), f"how-to-become-a-cto#{anchor}") for title, anchor in expected
    ]
