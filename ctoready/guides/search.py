"""Search over guide sections: every word must match, ignoring case and accents.

The index is the list of sections the library builds once per process; each carries its
text already folded, so a query costs one substring test per word per section.
"""

import bisect
import functools
import unicodedata
from dataclasses import dataclass

from ctoready.guides.rendering import RawSection

MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
MAX_RESULTS = 30
EXCERPT_BEFORE = 60
EXCERPT_LENGTH = 220
# Typographic quotes in the guides should match the plain ones people type.
PLAIN_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


@dataclass(frozen=True)
class Section:
    slug: str
    guide_title: str
    anchor: str
    heading: str
    url: str
    text: str
    folded_heading: str
    folded_text: str
    offsets: tuple[int, ...]  # folded_text[i] came from text[offsets[i]]


@dataclass(frozen=True)
class Piece:
    text: str
    match: bool


@dataclass(frozen=True)
class Result:
    section: Section
    excerpt: tuple[Piece, ...]


class QueryTooLongError(ValueError):
    pass


@functools.lru_cache(maxsize=2048)
def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char.translate(PLAIN_QUOTES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def fold(text: str) -> tuple[str, tuple[int, ...]]:
    """Lowercase and strip accents, remembering where each folded character came from."""
    if text.isascii():
        return text.lower(), tuple(range(len(text)))
    out: list[str] = []
    offsets: list[int] = []
    for i, char in enumerate(text):
        folded = char.lower() if char.isascii() else _fold_char(char)
        out.append(folded)
        offsets.extend([i] * len(folded))
    return "".join(out), tuple(offsets)


def build_section(*, slug: str, guide_title: str, url: str, raw: RawSection) -> Section:
    folded_text, offsets = fold(raw.text)
    return Section(
        slug=slug,
        guide_title=guide_title,
        anchor=raw.anchor,
        heading=raw.heading or guide_title,
        url=url,
        text=raw.text,
        folded_heading=fold(raw.heading)[0],
        folded_text=folded_text,
        offsets=offsets,
    )


def query_words(query: str) -> list[str]:
    """The folded words of a query; raises QueryTooLongError past the limits."""
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryTooLongError(query)
    words = list(dict.fromkeys(fold(query)[0].split()))
    if len(words) > MAX_WORDS:
        raise QueryTooLongError(query)
    return words


def search(words: list[str], index: tuple[Section, ...]) -> list[Result]:
    """Sections containing every word; those matching in the heading come first."""
    if not words:
        return []
    hits = [s for s in index if all(w in s.folded_heading or w in s.folded_text for w in words)]
    hits.sort(key=lambda s: -sum(w in s.folded_heading for w in words))
    return [Result(s, excerpt(s, words)) for s in hits[:MAX_RESULTS]]


def excerpt(section: Section, words: list[str]) -> tuple[Piece, ...]:
    """A window of the section text around the first match, matches marked."""
    text, folded = section.text, section.folded_text
    if not text:
        return ()
    first = min((i for w in words if (i := folded.find(w)) >= 0), default=0)
    start = max(0, section.offsets[first] - EXCERPT_BEFORE) if folded else 0
    if start:
        start = text.find(" ", start) + 1 or start
    end = min(len(text), start + EXCERPT_LENGTH)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    spans = _match_spans(section, words, start, end)
    pieces: list[Piece] = [Piece("…", False)] if start else []
    cursor = start
    for a, b in spans:
        if a > cursor:
            pieces.append(Piece(text[cursor:a], False))
        pieces.append(Piece(text[a:b], True))
        cursor = b
    if cursor < end:
        pieces.append(Piece(text[cursor:end], False))
    if end < len(text):
        pieces.append(Piece("…", False))
    return tuple(pieces)


def _match_spans(section: Section, words: list[str], start: int, end: int) -> list[tuple[int, int]]:
    folded, offsets = section.folded_text, section.offsets
    # Only look inside the window: offsets never decrease, so bisect maps text to folded.
    lo, hi = bisect.bisect_left(offsets, start), bisect.bisect_left(offsets, end)
    spans: list[tuple[int, int]] = []
    for w in words:
        i = folded.find(w, lo, hi)
        while i >= 0:
            a, b = offsets[i], offsets[i + len(w) - 1] + 1
            if start <= a and b <= end:
                spans.append((a, b))
            i = folded.find(w, i + len(w), hi)
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged
