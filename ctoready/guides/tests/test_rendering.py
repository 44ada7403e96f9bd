import pytest

from ctoready.guides import library
from ctoready.guides.rendering import render


def _link(ref: str) -> str:
    return f"/to/{ref}"


def test_raw_html_is_escaped_not_rendered():
    html = render("Hello <b>bold</b>\n\n<script>alert(1)</script>\n", _link).html
    assert "<script>" not in html
    assert "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_attr_list_cannot_add_event_handlers_or_styles():
    html = render('## Title {#t onclick="x()" style="color:red" .note}\n', _link).html
    assert html == '<h2 class="note" id="t">Title</h2>'


@pytest.mark.parametrize(
    "href", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "vbscript:x"]
)
def test_unsafe_link_schemes_lose_their_href(href):
    html = render(f"[click]({href})\n", _link).html
    assert "href" not in html
    assert "click" in html


@pytest.mark.parametrize("href", ["https://example.org/", "/guides/", "#part", "mailto:a@b.c"])
def test_ordinary_links_are_kept(href):
    assert f'href="{href}"' in render(f"[ok]({href})\n", _link).html


def test_guide_links_are_rewritten_and_collected():
    rendered = render("See [types](guide:types-of-cto#startup).\n", _link)
    assert 'href="/to/types-of-cto#startup"' in rendered.html
    assert rendered.guide_refs == ("types-of-cto#startup",)


def test_toc_and_sections_follow_the_headings():
    rendered = render(
        "Intro text.\n\n## First {#one}\n\nAlpha.\n\n### Inner {#inner}\n\nBeta.\n\n"
        "## Second {#two}\n\nGamma *delta*.\n",
        _link,
    )
    assert [(h.anchor, [c.anchor for c in h.children]) for h in rendered.toc] == [
        ("one", ["inner"]),
        ("two", []),
    ]
    assert [(s.anchor, s.heading, s.text) for s in rendered.sections] == [
        ("", "", "Intro text."),
        ("one", "First", "Alpha."),
        ("inner", "Inner", "Beta."),
        ("two", "Second", "Gamma delta."),
    ]


def test_tables_align_without_inline_styles():
    html = render("| a | b |\n| :-- | --: |\n| 1 | 2 |\n", _link).html
    assert 'align="right"' in html
    assert "style=" not in html


def _write(tmp_path, text: str):
    (tmp_path / "en").mkdir(exist_ok=True)
    path = tmp_path / "en" / "sample.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_front_matter_values_may_contain_colons(tmp_path):
    path = _write(tmp_path, "---\ntitle: A: B\nsummary: one: two\norder: 3\n---\nBody.\n")
    guide = library._parse(path, "en")
    assert (guide.title, guide.summary, guide.order) == ("A: B", "one: two", 3)


@pytest.mark.parametrize(
    "text",
    [
        "No front matter.\n",
        "---\ntitle: Only a title\n---\nBody.\n",
        "---\ntitle: T\nsummary: S\nauthor: me\n---\nBody.\n",
        "---\ntitle: T\nsummary: S\norder: first\n---\nBody.\n",
        "---\ntitle: T\nsummary: S\n---\n# A second h1\n",
    ],
)
def test_malformed_front_matter_is_refused(tmp_path, text):
    with pytest.raises(library.GuideError):
        library._parse(_write(tmp_path, text), "en")
