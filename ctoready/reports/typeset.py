"""PDFs typeset by Typst from the HTML of our own print templates.

The report's PDF and the technical manual's PDF are the same Django templates as their HTML
print layouts (``reports/pdf.html``, ``analytics/manual_pdf.html``): one text, one place to
change it. :func:`document_tree` reads that HTML into a small tree of plain data (tag,
classes, a few attributes, children, text) and ``typst/document.typ`` lays the tree out.
Text reaches Typst only as data (a JSON input), never as markup, so nothing a user typed
can become a Typst instruction.

The renderer reads no file but its template and the DejaVu fonts, and never the network:
an HTML element it does not know (an image, say) is left out and logged as an error.
"""

import json
import logging
import re
import threading
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from django.utils.translation import gettext

logger = logging.getLogger(__name__)

TEMPLATE_DIR = Path(__file__).resolve().parent / "typst"
TEMPLATE = TEMPLATE_DIR / "document.typ"
# Debian's fonts-dejavu-core; the template asks for DejaVu Sans by name.
FONT_DIRS = ["/usr/share/fonts/truetype/dejavu"]
PAPERS = {"A4": "a4", "letter": "us-letter"}

Node = str | dict[str, Any]

# Elements whose content the PDF never shows (interactive parts, the document head).
_SKIPPED = {
    "head", "script", "style", "template", "noscript", "form", "button", "input", "select",
    "textarea", "option", "label", "fieldset", "legend", "title", "meta", "link",
}  # fmt: skip
_VOID = {"br", "hr", "img", "meta", "link", "input", "col", "wbr", "source"}
# Elements the template lays out; anything else is refused (left out, logged).
_KNOWN = {
    "html", "body", "article", "section", "nav", "div", "figure", "main", "header", "footer",
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "dl", "dt", "dd",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    "a", "strong", "b", "em", "i", "span", "br", "hr", "code", "small", "abbr", "svg",
}  # fmt: skip
# Classes that hide an element from print (the page's CSS says the same).
_HIDDEN = {"visually-hidden", "no-print"}
# Blocks: whitespace between them means nothing.
_BLOCKS = _KNOWN - {"a", "strong", "b", "em", "i", "span", "br", "code", "small", "abbr"}
_ATTRIBUTES = ("id", "href", "colspan", "rowspan")
_SPACE = re.compile(r"[ \t\n\r\f]+")


@dataclass
class _Element:
    tag: str
    classes: list[str]
    attrs: dict[str, str]
    children: list["Node | _Element"] = field(default_factory=list)

    def data(self) -> dict[str, Any]:
        node: dict[str, Any] = {"t": self.tag}
        if self.classes:
            node["c"] = self.classes
        node.update({k: v for k, v in self.attrs.items() if k in _ATTRIBUTES})
        kids = [c.data() if isinstance(c, _Element) else c for c in self.children]
        node["k"] = _tidy(kids, block=self.tag in _BLOCKS)
        return node


def _tidy(children: list[Node], *, block: bool) -> list[Node]:
    """HTML's whitespace rules, as far as our templates need them: runs of spaces are one
    space; in a block, spaces at its edges and next to a child block disappear."""
    out: list[Node] = []
    for child in children:
        if isinstance(child, str) and out and isinstance(out[-1], str):
            out[-1] += child
        else:
            out.append(child)
    out = [_SPACE.sub(" ", c) if isinstance(c, str) else c for c in out]
    if not block:
        return [c for c in out if c != ""]

    def is_block(node: Node | None) -> bool:
        return isinstance(node, dict) and node["t"] in _BLOCKS

    tidied: list[Node] = []
    for i, child in enumerate(out):
        if isinstance(child, str):
            before = out[i - 1] if i > 0 else None
            after = out[i + 1] if i + 1 < len(out) else None
            if before is None or is_block(before):
                child = child.lstrip(" ")
            if after is None or is_block(after):
                child = child.rstrip(" ")
            if not child:
                continue
        tidied.append(child)
    return tidied


class _TreeBuilder(HTMLParser):
    def __init__(self, site: str) -> None:
        super().__init__(convert_charrefs=True)
        self.site = site.rstrip("/")
        self.root = _Element("root", [], {})
        self.stack: list[_Element] = [self.root]
        self.skipping = 0  # depth inside an element that is left out
        self.svg: list[str] | None = None  # the source of the SVG being copied
        self.svg_depth = 0
        self.svg_title = ""
        self.title = ""
        self.lang = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if self.svg is not None:
            self._svg_open(tag, attrs)
            return
        if tag == "html":
            self.lang = values.get("lang", "")
        if tag == "title":
            self._in_title = True
        if self.skipping:
            if tag not in _VOID:
                self.skipping += 1
            return
        classes = values.get("class", "").split()
        if tag in _SKIPPED or _HIDDEN.intersection(classes) or tag not in _KNOWN:
            if tag not in _KNOWN and tag not in _SKIPPED:
                logger.error("PDF: left out an element it cannot typeset: <%s>", tag)
            if tag not in _VOID:
                self.skipping = 1
            return
        if tag == "svg":
            self.svg, self.svg_depth = [], 0
            self._svg_open(tag, attrs)
            return
        if tag in ("html", "body"):
            return  # their content is the document
        href = values.get("href", "")
        if href.startswith("/") and not href.startswith("//"):
            values["href"] = self.site + href  # a link in a file must say where it goes
        element = _Element(tag, classes, values)
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        if self.svg is not None:
            self.svg.append(f"</{tag}>")
            self.svg_depth -= 1
            if self.svg_depth == 0:
                svg = {"t": "svg", "src": "".join(self.svg), "alt": self.svg_title.strip(), "k": []}
                self.stack[-1].children.append(svg)
                self.svg = None
            return
        if tag == "title":
            self._in_title = False
        if self.skipping:
            if tag not in _VOID:
                self.skipping -= 1
            return
        if tag in _VOID:
            return
        # Pop to the matching element (a stray end tag changes nothing).
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        if self.svg is not None:
            if self.svg[-1].startswith("<title"):
                self.svg_title += data
            self.svg.append(escape(data, quote=False))
            return
        if not self.skipping and data:
            self.stack[-1].children.append(data)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.svg is not None:
            self.svg.append(self.get_starttag_text() or "")  # ``<circle .../>``, closed
        else:
            self.handle_starttag(tag, attrs)
            self.handle_endtag(tag)

    def _svg_open(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Copies an SVG start tag as written: SVG's names are case-sensitive (``viewBox``),
        and HTMLParser reports them in lower case."""
        assert self.svg is not None
        self.svg.append(self.get_starttag_text() or "")
        self.svg_depth += 1


@dataclass(frozen=True)
class Document:
    title: str
    lang: str
    body: list[Node]


def document_tree(html: str, *, site: str = "") -> Document:
    """The tree the Typst template lays out, from the HTML of a print template; links
    relative to the site are made absolute with ``site``."""
    builder = _TreeBuilder(site)
    builder.feed(html)
    builder.close()
    body = builder.root.data()["k"]
    return Document(title=_SPACE.sub(" ", builder.title).strip(), lang=builder.lang, body=body)


_compilers: tuple[Any, Any] | None = None
_lock = threading.Lock()
# Typst keeps what it computed in a process-wide cache, and after each compilation drops
# only what the last ten did not use: about 15 MB per distinct report, 150 MB more in
# a worker that has rendered ten. Ten compilations of an empty document after each render
# (0.05 ms each) age the report's entries out, so a worker keeps about one render's worth.
_FORGET = 10


def _typst() -> tuple[Any, Any]:
    """The report compiler (one per process: its fonts are read once) and the one that
    compiles nothing. Typst (a native library) loads only where PDFs are rendered."""
    global _compilers
    if _compilers is None:
        import typst

        _compilers = (
            typst.Compiler(
                str(TEMPLATE),
                root=str(TEMPLATE_DIR),
                font_paths=FONT_DIRS,
                ignore_system_fonts=True,
            ),
            typst.Compiler(ignore_system_fonts=True, font_paths=[]),
        )
    return _compilers


def typeset(html: str, *, paper: str = "A4", footer: str = "", site: str = "") -> bytes:
    """A tagged PDF (PDF/UA-1) of a print template's HTML.

    ``footer`` is printed at the foot of every page on the left, "Page N of M" (in the
    active language) on the right.
    """
    if paper not in PAPERS:
        raise ValueError(f"unknown paper size {paper!r}: one of {', '.join(PAPERS)}")
    document = document_tree(html, site=site)
    inputs = {
        "doc": json.dumps(document.body, ensure_ascii=False, separators=(",", ":")),
        "title": document.title,
        "lang": document.lang or "en",
        "paper": PAPERS[paper],
        "footer": footer,
        # Typst puts in the page number and the page count.
        "page-of": gettext("Page {page} of {pages}"),
    }
    with _lock:
        compiler, empty = _typst()
        try:
            data, warnings = compiler.compile_with_warnings(
                format="pdf", sys_inputs=inputs, pdf_standards=["ua-1"]
            )
        finally:
            for _ in range(_FORGET):
                empty.compile(input=b"", format="svg")
    for warning in warnings:  # a missing font, say: the PDF would not look as designed
        logger.error("PDF: %s", warning)
    return bytes(data)
