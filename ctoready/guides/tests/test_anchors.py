import pytest

from ctoready.guides import library

# The instrument and the reports link to these: renaming one breaks their links.
CONTRACT = {
    "what-a-cto-does": {
        "technology-strategy",
        "engineering-leadership",
        "business-alignment",
        "stakeholder-communication",
        "security-and-risk",
    },
    "cto-vs-vpe-vs-cio": {"cto", "vpe", "cio", "as-the-company-grows"},
    "types-of-cto": {"startup", "enterprise", "fractional"},
    "week-in-the-life": set(),
    "skills-that-matter": {
        "strategy",
        "leadership",
        "business-alignment",
        "communication",
        "security",
        "strategic-thinking",
        "architecture",
        "business-acumen",
        "emotional-intelligence",
        "resilience",
    },
    "am-i-ready": set(),
    "how-to-become-a-cto": set(),
    "first-90-days": {"listen", "quick-wins", "execute"},
}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_contract_anchor_exists(lang):
    anchors = library.all_anchors(lang)
    for slug, expected in CONTRACT.items():
        assert expected <= anchors[slug], (slug, expected - anchors[slug])


def test_french_and_english_guides_share_every_anchor():
    assert library.all_anchors("fr") == library.all_anchors("en")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_links_between_guides_resolve(lang):
    for guide in library.list_guides(lang):
        for ref in guide.guide_refs:
            assert library.guide_url(ref, lang), f"{lang}/{guide.slug} links to missing {ref}"


def test_guide_url_resolves_good_refs():
    assert library.guide_url("types-of-cto#fractional") == "/guides/types-of-cto/#fractional"
    assert library.guide_url("types-of-cto") == "/guides/types-of-cto/"
    assert (
        library.guide_url("skills-that-matter#resilience", "fr")
        == "/guides/skills-that-matter/?lang=fr#resilience"
    )


@pytest.mark.parametrize(
    "ref",
    ["no-such-guide", "no-such-guide#cto", "types-of-cto#no-such-anchor", "types-of-cto#", ""],
)
def test_guide_url_rejects_bad_refs(ref):
    assert library.guide_url(ref) is None
    assert library.guide_url(ref, "fr") is None


def test_guide_url_with_unknown_language_uses_english():
    assert library.guide_url("first-90-days#listen", "de") == "/guides/first-90-days/#listen"
