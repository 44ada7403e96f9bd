from django.urls import reverse

from ctoready.guides.rendering import RawSection
from ctoready.guides.search import MAX_QUERY_LENGTH, build_section, fold, search


def _search(client, q: str, **extra: str):
    response = client.get(reverse("guides:search"), {"q": q, **extra})
    assert response.status_code == 200
    return response.content.decode()


def test_search_finds_a_phrase_and_links_to_its_section(client):
    html = _search(client, "vendor security review")
    assert 'href="/guides/week-in-the-life/#wednesday"' in html
    assert "<mark>" in html


def test_search_needs_every_word(client):
    assert "#wednesday" in _search(client, "masking retention")
    assert "#wednesday" not in _search(client, "masking zebra")


def test_search_ignores_case_and_accents(client):
    plain = _search(client, "STRATEGIE", lang="fr")
    assert 'href="/guides/skills-that-matter/?lang=fr#strategy"' in plain
    assert "#incomplete-information" in _search(client, "DÉCISIONS incomplète")


def test_search_matches_typographic_apostrophes_with_plain_ones(client):
    assert "#head-of-engineering" in _search(client, "company's unit economics")


def test_search_escapes_the_query(client):
    html = _search(client, "<script>alert(1)</script>")
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_empty_search_shows_the_form_only(client):
    html = _search(client, "   ")
    assert 'name="q"' in html
    assert "sections found" not in html
    assert "No section" not in html


def test_overlong_search_is_refused_politely(client):
    html = _search(client, "cto " * MAX_QUERY_LENGTH)
    assert "too long" in html
    assert "sections found" not in html


def test_search_with_no_match_says_so(client):
    assert "No section contains all of those words" in _search(client, "xylophone")


def test_fold_strips_accents_and_keeps_offsets():
    folded, offsets = fold("Élan ŒUVRE ß’")
    assert folded == "elan œuvre ss'"
    assert offsets[-3:] == (11, 11, 12)


def test_excerpt_marks_the_original_accented_text():
    raw = RawSection("a", "Heading", "Une stratégie claire. " + "Mot " * 80 + "Fin stratégique.")
    section = build_section(slug="s", guide_title="G", url="/g/#a", raw=raw)
    [result] = search(["strategi"], (section,))
    marked = [p.text for p in result.excerpt if p.match]
    assert marked == ["stratégi"]
    assert result.excerpt[-1].text == "…"
