"""Markdown to safe HTML, with the table of contents and the sections for search.

Guides are trusted-ish: written in the repo, reviewed like code. Raw HTML is still
switched off (it comes out escaped), attr_list may only set ``id`` and ``class``, and links
may only point at the web, e-mail, this site or another guide (``guide:slug#anchor``).
"""

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

SAFE_ATTRIBUTES = {"id", "class", "href", "title", "align", "start", "colspan", "rowspan"}
SAFE_LINK = re.compile(r"^(https?://|mailto:|/|#|guide:)|^[^:]*$", re.IGNORECASE)
GUIDE_LINK = "guide:"
HEADINGS = {"h2": 2, "h3": 3}


@dataclass(frozen=True)
class Heading:
    anchor: str
    title: str
    level: int
    children: tuple["Heading", ...] = ()


@dataclass(frozen=True)
class RawSection:
    """The plain text under one heading (anchor "" is the text before the first one)."""

    anchor: str
    heading: str
    text: str


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: tuple[Heading, ...]
    sections: tuple[RawSection, ...]
    guide_refs: tuple[str, ...]


LinkFor = Callable[[str], str]


# markdown ships no type hints, hence the ignores on subclassing.
class _Sanitise(Treeprocessor):  # type: ignore[misc]
    """Drop unsafe attributes and links; rewrite ``guide:slug#anchor`` links to URLs."""

    def __init__(self, md: markdown.Markdown, link_for: LinkFor) -> None:
        super().__init__(md)
        self.link_for = link_for
        self.refs: list[str] = []

    def run(self, root: ET.Element) -> None:
        for el in root.iter():
            for name in list(el.attrib):
                if name not in SAFE_ATTRIBUTES:
                    del el.attrib[name]
            href = el.get("href")
            if href is None:
                continue
            if el.tag != "a" or not SAFE_LINK.match(href.strip()):
                del el.attrib["href"]
            elif href.startswith(GUIDE_LINK):
                ref = href.removeprefix(GUIDE_LINK)
                self.refs.append(ref)
                el.set("href", self.link_for(ref))


class _Sections(Treeprocessor):  # type: ignore[misc]
    """Split the top-level blocks into sections at each h2/h3, as plain text."""

    sections: tuple[RawSection, ...] = ()

    def run(self, root: ET.Element) -> None:
        sections: list[RawSection] = []
        anchor, heading, parts = "", "", list[str]()
        for el in root:
            if el.tag in HEADINGS and el.get("id"):
                sections.append(RawSection(anchor, heading, _squash(" ".join(parts))))
                anchor, heading, parts = el.attrib["id"], _squash("".join(el.itertext())), []
            else:
                parts.append("".join(el.itertext()))
        sections.append(RawSection(anchor, heading, _squash(" ".join(parts))))
        self.sections = tuple(s for s in sections if s.anchor or s.text)


class _SafeGuides(Extension):  # type: ignore[misc]
    def __init__(self, link_for: LinkFor) -> None:
        super().__init__()
        self.link_for = link_for

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (markdown's API)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        # After "unescape" (priority 0), so text and attributes are final.
        self.sanitise = _Sanitise(md, self.link_for)
        self.sections = _Sections(md)
        md.treeprocessors.register(self.sanitise, "guides_sanitise", -1)
        md.treeprocessors.register(self.sections, "guides_sections", -2)


def _squash(text: str) -> str:
    return " ".join(text.split())


def _headings(tokens: list[dict[str, Any]]) -> tuple[Heading, ...]:
    return tuple(
        Heading(t["id"], html.unescape(t["name"]), t["level"], _headings(t["children"]))
        for t in tokens
    )


def render(text: str, link_for: LinkFor) -> Rendered:
    """Render one guide body; ``link_for`` turns ``slug#anchor`` into a URL."""
    guides = _SafeGuides(link_for)
    md = markdown.Markdown(
        extensions=["toc", "attr_list", "tables", "sane_lists", guides],
        extension_configs={
            "toc": {"toc_depth": "2-3"},
            # align= rather than style=, which the Content-Security-Policy would block.
            "tables": {"use_align_attribute": True},
        },
        output_format="html",
    )
    body = md.convert(text)
    return Rendered(
        html=body,
        toc=_headings(md.toc_tokens),
        sections=guides.sections.sections,
        guide_refs=tuple(guides.sanitise.refs),
    )
