"""The typesetter: HTML of our print templates read into plain data, laid out by Typst."""

import subprocess
import threading
from pathlib import Path

import pytest

from ctoready.reports import typeset


def tree(html: str, **kwargs: str) -> list[object]:
    return typeset.document_tree(html, **kwargs).body


def pdf_tool(tool: str, data: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    extra = ["-"] if tool == "pdftotext" else []
    return subprocess.run(
        [tool, *args, str(path), *extra], check=True, capture_output=True, text=True
    ).stdout


def test_whitespace_follows_html():
    assert tree("<div>\n  <p>a\n   <strong>b</strong>\n c </p>\n</div>") == [
        {"t": "div", "k": [{"t": "p", "k": ["a ", {"t": "strong", "k": ["b"]}, " c"]}]}
    ]


def test_hidden_and_interactive_parts_are_left_out():
    html = (
        '<p class="visually-hidden">hidden</p><form><button>Go</button></form>'
        '<p class="no-print">screen only</p><p>kept</p>'
    )
    assert tree(html) == [{"t": "p", "k": ["kept"]}]


def test_an_element_it_cannot_typeset_is_left_out_and_logged(caplog):
    body = tree('<p>a<img src="file:///etc/passwd">b<iframe src="https://x">c</iframe></p>')
    assert body == [{"t": "p", "k": ["ab"]}]
    assert [r.getMessage() for r in caplog.records] == [
        "PDF: left out an element it cannot typeset: <img>",
        "PDF: left out an element it cannot typeset: <iframe>",
    ]
    caplog.clear()  # expected here; anywhere else it fails the test


def test_links_within_the_site_become_absolute():
    body = tree(
        '<a href="/manual/">m</a><a href="#part">p</a><a href="https://o.example/x">o</a>',
        site="https://cto.example/",
    )
    assert [node["href"] for node in body] == [  # type: ignore[index]
        "https://cto.example/manual/",
        "#part",
        "https://o.example/x",
    ]


def test_an_svg_is_copied_whole_with_its_title_as_alt_text():
    (node,) = tree(
        '<svg viewBox="0 0 10 10"><title>Scores &amp; ranges</title>'
        '<text x="1" y="2">a &lt; b</text><circle r="1"/></svg>'
    )
    assert node == {
        "t": "svg",
        "src": '<svg viewBox="0 0 10 10"><title>Scores &amp; ranges</title>'
        '<text x="1" y="2">a &lt; b</text><circle r="1"/></svg>',
        "alt": "Scores & ranges",
        "k": [],
    }


def test_the_title_and_language_come_from_the_head():
    document = typeset.document_tree(
        '<html lang="fr"><head><title>Rapport\n de préparation</title></head><body></body></html>'
    )
    assert (document.title, document.lang, document.body) == ("Rapport de préparation", "fr", [])


DOCUMENT = """<!doctype html><html lang="en"><head><title>A test document</title></head><body>
<h1>Main title</h1>
<nav class="report-contents"><h2 id="c">Contents</h2><ol>
<li><a href="#one">First part</a></li><li><a href="#two">Second part</a></li></ol></nav>
<section><h2 id="one">First part</h2>
<dl><dt>Term</dt><dd>Its definition</dd></dl>
<table><caption>Scores by area</caption>
<thead><tr><th scope="col">Area</th><th scope="col">Group</th><th>Score</th></tr></thead>
<tbody><tr><th scope="rowgroup" rowspan="2">Strategy</th><td>Peers</td><td>61</td></tr>
<tr><td>Reports</td><td>64</td></tr>
<tr><th scope="row">Resilience</th><td colspan="2">Too few answers</td></tr></tbody></table>
<h3>Lists</h3><ul><li>an item</li></ul><ol class="path"><li class="reached">done stage</li>
<li>next stage</li></ol></section>
<section><h2 id="two">Second part</h2><p>See <a href="https://cto.example/g">the guide</a>.</p>
</section></body></html>"""


def test_a_document_is_typeset_into_a_tagged_pdf_with_its_parts(tmp_path):
    data = typeset.typeset(DOCUMENT, paper="letter", footer="Footer text")
    text = pdf_tool("pdftotext", data, tmp_path, "-layout")
    for expected in [
        "Main title",
        "1. First part (p. 1)",
        "2. Second part (p. 1)",
        "Scores by area",
        "Too few answers",
        "✓ done stage",
        "2. next stage",
        "Footer text",
        "Page 1 of 1",
    ]:
        assert expected in text, expected
    assert [line.split() for line in text.splitlines() if "Peers" in line or "Reports" in line] == [
        ["Strategy", "Peers", "61"],
        ["Reports", "64"],
    ]
    info = pdf_tool("pdfinfo", data, tmp_path)
    assert "Tagged:          yes" in info
    assert "Title:           A test document" in info
    assert "612 x 792 pts (letter)" in info
    assert "DejaVuSans" in pdf_tool("pdffonts", data, tmp_path)


def test_renders_in_several_threads_at_once(tmp_path):
    results: list[bytes] = []

    def render() -> None:
        results.append(typeset.typeset(DOCUMENT))

    threads = [threading.Thread(target=render) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 3
    assert all("Second part" in pdf_tool("pdftotext", data, tmp_path) for data in results)


@pytest.mark.parametrize("paper", ["A3", "tabloid"])
def test_an_unknown_paper_size_is_refused(paper):
    with pytest.raises(ValueError, match="unknown paper size"):
        typeset.typeset(DOCUMENT, paper=paper)
