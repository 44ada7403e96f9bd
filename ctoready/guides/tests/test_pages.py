import re

import pytest
from django.urls import reverse

from ctoready.guides import library

SLUGS = [
    "what-a-cto-does",
    "cto-vs-vpe-vs-cio",
    "types-of-cto",
    "week-in-the-life",
    "skills-that-matter",
    "am-i-ready",
    "how-to-become-a-cto",
    "first-90-days",
]
LANGS = ["en", "fr"]


def _get(client, slug: str, lang: str):
    return client.get(reverse("guides:guide", args=[slug]), {"lang": lang})


def test_every_shipped_guide_is_listed_in_both_languages():
    for lang in LANGS:
        assert [g.slug for g in library.list_guides(lang)] == SLUGS
        assert all(g.lang == lang for g in library.list_guides(lang)), "a guide fell back"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug", SLUGS)
def test_guide_has_one_h1_a_toc_and_the_call_to_action(client, slug, lang):
    response = _get(client, slug, lang)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert 'class="guides-toc"' in html
    toc = html.split('class="guides-toc"', 1)[1].split("</nav>", 1)[0]
    assert toc.count("<li>") >= 3
    cta = html.split('class="guides-cta"', 1)[1]
    assert f'href="{reverse("home")}"' in cta
    assert f'lang="{lang}"' in html


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug", SLUGS)
def test_guide_page_is_small_and_csp_clean(client, slug, lang):
    response = _get(client, slug, lang)
    assert len(response.content) < 50_000
    html = response.content.decode()
    assert " style=" not in html
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bnonce=)(?![^>]*\bsrc=)", html)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug", SLUGS)
def test_guide_is_600_to_1200_words(slug, lang):
    text = (library.CONTENT_DIR / lang / f"{slug}.md").read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    assert 600 <= len(body.split()) <= 1200


def test_index_lists_every_guide_with_its_summary(client):
    response = client.get(reverse("guides:index"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    for guide in library.list_guides("en"):
        assert reverse("guides:guide", args=[guide.slug]) in html
        assert guide.summary.replace("'", "&#x27;") in html


def test_lang_parameter_serves_french(client):
    html = client.get(reverse("guides:index"), {"lang": "fr"}).content.decode()
    assert "Guides\u00a0: le rôle de CTO expliqué" in html
    assert "/guides/what-a-cto-does/?lang=fr" in html


def test_active_django_language_serves_french(client):
    response = client.get(
        reverse("guides:guide", args=["first-90-days"]), headers={"accept-language": "fr"}
    )
    assert 'lang="fr"' in response.content.decode()
    assert library.get_guide("first-90-days", "fr").title in response.content.decode()


def test_unknown_language_falls_back_to_english(client):
    response = _get(client, "types-of-cto", "xx")
    assert response.status_code == 200
    assert library.get_guide("types-of-cto", "en").title in response.content.decode()


def test_missing_french_guide_falls_back_to_english(client, monkeypatch, tmp_path):
    (tmp_path / "en").mkdir()
    (tmp_path / "fr").mkdir()
    (tmp_path / "en" / "only-english.md").write_text(
        "---\ntitle: Only English\nsummary: Not translated.\n---\n## Part {#part}\n\nText.\n"
    )
    monkeypatch.setattr(library, "CONTENT_DIR", tmp_path)
    library._load.cache_clear()
    try:
        response = _get(client, "only-english", "fr")
        html = response.content.decode()
        assert response.status_code == 200
        assert "Only English" in html
        assert "pas encore traduit" in html
        assert library.all_anchors("fr") == {"only-english": {"part"}}
    finally:
        library._load.cache_clear()


@pytest.mark.parametrize(
    "path", ["/guides/no-such-guide/", "/guides/WHAT-A-CTO-DOES/", "/guides/%C3%A9t%C3%A9/"]
)
def test_unknown_slug_is_404(client, path):
    assert client.get(path).status_code == 404
