from django.urls import reverse

from ctoready.guides.search import MAX_QUERY_LENGTH


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
