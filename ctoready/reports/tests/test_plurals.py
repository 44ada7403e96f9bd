"""Counts agree with their nouns in every language, through Django's plural forms."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from ctoready.instruments.document import KeyProvenance
from ctoready.reports.assembly import _reason
from ctoready.reports.provenance import key_phrase
from ctoready.scoring import FitReason

PO = Path(__file__).resolve().parents[2] / "locale" / "fr" / "LC_MESSAGES" / "django.po"


class _Doc:
    scale_by_id: dict = {}


@pytest.mark.parametrize(
    ("lang", "one", "many"),
    [
        ("en", "by 1 point.", "by 2 points."),
        ("fr", "de 1 point.", "de 2 points."),
    ],
)
def test_points_agree_with_their_count(lang, one, many):
    with translation.override(lang):
        assert _reason(_Doc(), FitReason("preference", "x", 0.0, 1.2)).endswith(one)
        assert _reason(_Doc(), FitReason("preference", "x", 0.0, 2.4)).endswith(many)
        scale = FitReason("scale", "s", 40, -1)
        assert re.search(r"\b1 points?\b", _reason(_Doc(), scale)).group(0) == "1 point"


def test_panel_size_agrees_in_english():
    with translation.override("en"):
        assert "6 practising CTOs" in key_phrase(KeyProvenance("panel", 6, 0.8, "2026-01-01"))


@pytest.mark.parametrize(
    ("lang", "text"), [("en", "1 person answered"), ("fr", "1 personne a répondu")]
)
def test_one_rater_is_one_person(lang, text):
    template = Template(
        "{% load i18n %}{% blocktranslate count counter=n %}{{ counter }} person answered"
        "{% plural %}{{ counter }} people answered{% endblocktranslate %}"
    )
    with translation.override(lang):
        assert template.render(Context({"n": 1})) == text


def test_every_french_plural_entry_has_all_three_forms():
    blocks = [b for b in PO.read_text(encoding="utf-8").split("\n\n") if "msgid_plural" in b]
    assert blocks
    for block in blocks:
        forms = re.findall(r'^msgstr\[(\d)\] "(.*)"', block, re.MULTILINE)
        assert [f for f, _ in forms] == ["0", "1", "2"], block
        assert all(text or '"\n"' in block for _, text in forms), block


@pytest.mark.parametrize(
    ("lang", "one", "two"),
    [
        ("en", "1 direct report", "2 direct reports"),
        ("fr", "1 collaborateur direct", "2 collaborateurs directs"),
    ],
)
def test_rater_groups_agree_with_their_count(lang, one, two):
    from ctoready.raters.wording import counted_category

    with translation.override(lang):
        assert counted_category("direct", 1) == one
        assert counted_category("direct", 2) == two
        assert counted_category("peer", 1).endswith(("1 peer", "1 pair"))
