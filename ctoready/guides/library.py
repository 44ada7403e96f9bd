"""The guides: Markdown files under ``content/<lang>/``, loaded once per process.

Public surface for other apps: :func:`guide_url`, :func:`all_anchors`, :func:`get_guide`,
:func:`list_guides`, :func:`pick_language`. A guide missing in a language falls back to
the default language (English), so every slug exists in every language.
"""

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from ctoready.guides.rendering import Heading, render
from ctoready.guides.search import Section, build_section

__all__ = [
    "DEFAULT_LANGUAGE",
    "Guide",
    "GuideError",
    "all_anchors",
    "get_guide",
    "guide_url",
    "languages",
    "list_guides",
    "pick_language",
    "sections",
]

CONTENT_DIR = Path(__file__).resolve().parent / "content"
DEFAULT_LANGUAGE = "en"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FRONT_MATTER_KEYS = ("title", "summary", "order")
FRONT_MATTER = re.compile(r"\A---\n(?P<meta>.*?)\n---\n(?P<body>.*)\Z", re.DOTALL)


class GuideError(ValueError):
    """A guide file is malformed (bad front matter or slug)."""


@dataclass(frozen=True)
class Guide:
    slug: str
    lang: str
    title: str
    summary: str
    order: int
    html: str
    toc: tuple[Heading, ...]
    anchors: frozenset[str]
    guide_refs: tuple[str, ...]
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class _Library:
    by_lang: dict[str, dict[str, Guide]]
    index: dict[str, tuple[Section, ...]]


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _normalise_language(lang: str | None) -> str:
    base = (lang or "").lower().split("-")[0]
    return base if base in languages() else DEFAULT_LANGUAGE


def pick_language(request: HttpRequest) -> str:
    """``?lang=xx`` first, then the language Django's LocaleMiddleware chose."""
    asked = request.GET.get("lang")
    if asked and _normalise_language(asked) == asked.lower():
        return asked.lower()
    return _normalise_language(getattr(request, "LANGUAGE_CODE", None))


def _url(slug: str, lang: str, anchor: str = "") -> str:
    url = reverse("guides:guide", args=[slug])
    if lang != DEFAULT_LANGUAGE:
        url += f"?lang={lang}"
    return f"{url}#{anchor}" if anchor else url


def _front_matter(path: Path, text: str) -> dict[str, str]:
    """``key: value`` lines; the value is the rest of the line, colons and all (not YAML)."""
    meta: dict[str, str] = {}
    for line in text.splitlines():
        key, colon, value = line.partition(":")
        if not colon or key.strip() not in FRONT_MATTER_KEYS:
            raise GuideError(
                f"{path}: front matter line {line!r} is not one of {FRONT_MATTER_KEYS}"
            )
        meta[key.strip()] = value.strip()
    if not meta.get("title") or not meta.get("summary"):
        raise GuideError(f"{path}: front matter needs a title and a summary")
    if not meta.get("order", "0").isdigit():
        raise GuideError(f"{path}: order must be a whole number")
    return meta


def _parse(path: Path, lang: str) -> Guide:
    slug = path.stem
    if not SLUG.match(slug):
        raise GuideError(f"{path}: the file name must be a lowercase-hyphenated slug")
    match = FRONT_MATTER.match(path.read_text(encoding="utf-8"))
    if not match:
        raise GuideError(f"{path}: missing front matter (--- title/summary ---)")
    meta = _front_matter(path, match["meta"])

    def link_for(ref: str) -> str:
        target, _, anchor = ref.partition("#")
        return _url(target, lang, anchor)

    rendered = render(match["body"], link_for)
    if "<h1" in rendered.html:
        raise GuideError(f"{path}: the title comes from the front matter; start headings at ##")
    title = meta["title"]
    return Guide(
        slug=slug,
        lang=lang,
        title=title,
        summary=meta["summary"],
        order=int(meta.get("order", 100)),
        html=rendered.html,
        toc=rendered.toc,
        anchors=frozenset(s.anchor for s in rendered.sections if s.anchor),
        guide_refs=rendered.guide_refs,
        sections=tuple(
            build_section(slug=slug, guide_title=title, url=_url(slug, lang, s.anchor), raw=s)
            for s in rendered.sections
        ),
    )


def _signature() -> tuple[tuple[str, int], ...]:
    return tuple((str(p), p.stat().st_mtime_ns) for p in sorted(CONTENT_DIR.glob("*/*.md")))


@functools.lru_cache(maxsize=1)
def _load(signature: tuple[tuple[str, int], ...] | None) -> _Library:
    by_lang: dict[str, dict[str, Guide]] = {}
    for lang in languages():
        own = {p.stem: _parse(p, lang) for p in sorted((CONTENT_DIR / lang).glob("*.md"))}
        by_lang[lang] = own
    fallback = by_lang.get(DEFAULT_LANGUAGE, {})
    for own in by_lang.values():
        for slug, guide in fallback.items():
            own.setdefault(slug, guide)
    index = {
        lang: tuple(s for g in _ordered(own.values()) for s in g.sections)
        for lang, own in by_lang.items()
    }
    return _Library(by_lang, index)


def _ordered(guides: Iterable[Guide]) -> list[Guide]:
    return sorted(guides, key=lambda g: (g.order, g.slug))


def _library() -> _Library:
    # Parse once per process; in development, re-parse when a file changes.
    return _load(_signature() if settings.DEBUG else None)


def list_guides(lang: str = DEFAULT_LANGUAGE) -> list[Guide]:
    return _ordered(_library().by_lang[_normalise_language(lang)].values())


def get_guide(slug: str, lang: str = DEFAULT_LANGUAGE) -> Guide | None:
    return _library().by_lang[_normalise_language(lang)].get(slug)


def sections(lang: str = DEFAULT_LANGUAGE) -> tuple[Section, ...]:
    """Every section of every guide in ``lang``, in reading order: the search index."""
    return _library().index[_normalise_language(lang)]


def all_anchors(lang: str = DEFAULT_LANGUAGE) -> dict[str, set[str]]:
    return {g.slug: set(g.anchors) for g in list_guides(lang)}


def guide_url(ref: str, lang: str = DEFAULT_LANGUAGE) -> str | None:
    """``"slug#anchor"`` (or ``"slug"``) to a URL, or None when either does not exist."""
    slug, hash_, anchor = ref.partition("#")
    guide = get_guide(slug, lang)
    if guide is None or (hash_ and anchor not in guide.anchors):
        return None
    return _url(slug, _normalise_language(lang), anchor)
