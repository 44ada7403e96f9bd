"""How long an instrument takes to complete: a small, documented timing model.

The model is explained, with its sources, in ``docs/timing-model.md``. In short, the time a
person spends on the instrument is

    reading time    every word they read, at their reading speed (a response scale's
                    stem once per page, each item's text in full)
  + response time   a fixed allowance per item type for deciding and clicking
  + page time       a fixed allowance per page for moving on

Reading speeds vary between people, and so does how quickly they decide; both are drawn
from log-normal distributions (seeded, so the figures are reproducible). The result is the
median and the 90th-percentile completion time across simulated people.

The model reads a plain document, as ``yaml.safe_load`` returns it, so it depends on nothing
else in the project. It is pure: no I/O, no global state.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

# Brysbaert (2019): adult silent reading of English non-fiction averages 238 words per
# minute; most adults fall between 175 and 300.
READING_WPM = 238.0
# A log-normal spread whose 10th-90th percentile range is about 175-300 wpm:
# ln(238/175) = 0.31 and ln(300/238) = 0.23, averaging 0.27 = 1.28 * 0.21.
READING_SIGMA = 0.21

# Seconds to decide and answer once the item has been read, by item type.
RESPONSE_SECONDS: Mapping[str, float] = {
    "likert": 1.5,  # recall how often, click one of six labelled buttons
    "scenario": 15.0,  # weigh four options, pick the most and the least effective
    "background": 2.0,  # a fact the person knows
    "preference": 3.0,  # compare three short activities
    "self_check": 2.0,  # yes / partly / not yet
}
RESPONSE_SIGMA = 0.30  # people differ in how long they deliberate; independent of reading
PAGE_SECONDS = 2.0  # scroll, press "next", the next page renders
# A response scale may declare a ``stem`` ("In the last twelve months, how often did
# you…") that the page shows once above its Likert items; it is read once per page and each
# item's text, which continues it, is read in full.
#
# Instruments without a declared stem repeat it at the start of every item instead. The
# first item on a page is then read in full; after that readers recognise the repeated
# words and only glance at them, so they count at this fraction.
REPEATED_STEM_FRACTION = 0.25


@dataclass(frozen=True)
class TimingModel:
    reading_wpm: float = READING_WPM
    reading_sigma: float = READING_SIGMA
    response_seconds: Mapping[str, float] = field(default_factory=lambda: dict(RESPONSE_SECONDS))
    response_sigma: float = RESPONSE_SIGMA
    page_seconds: float = PAGE_SECONDS
    repeated_stem_fraction: float = REPEATED_STEM_FRACTION


@dataclass(frozen=True)
class Workload:
    """What a person has to read and do, before their speed is applied."""

    words: float  # words read (stems counted once per page, or repeated ones discounted)
    response_seconds: float  # deciding and answering, for a typical person
    pages: int
    words_by_type: Mapping[str, float]
    responses_by_type: Mapping[str, float]


@dataclass(frozen=True)
class TimingEstimate:
    median_minutes: float
    p90_minutes: float
    typical_minutes: float  # a person at the median reading and response speed
    workload: Workload


def count_words(text: Any) -> int:
    """Words as a reader meets them: whitespace-separated tokens."""
    return len(str(text).split()) if text else 0


def _likert_stem(items: Sequence[Mapping[str, Any]]) -> list[str]:
    """The words every Likert item's text starts with (a stem repeated in each item)."""
    texts = [str(i.get("text", "")).split() for i in items if i.get("type") == "likert"]
    if len(texts) < 2:
        return []
    stem: list[str] = []
    for words in zip(*texts, strict=False):
        if any(w != words[0] for w in words):
            break
        stem.append(words[0])
    return stem


def workload(doc: Mapping[str, Any], model: TimingModel | None = None) -> Workload:
    """Count the words to read and the answers to give, page by page."""
    model = model or TimingModel()
    items = {i["id"]: i for i in doc.get("items", [])}
    scales = doc.get("response_scales", {})
    # Items whose response scale declares a stem do not repeat it in their text.
    stem_len = len(_likert_stem([i for i in items.values() if not _declared_stem(scales, i)]))
    words: dict[str, float] = {"instructions": float(count_words(doc.get("instructions")))}
    responses: dict[str, float] = {}
    scale_labels_read: set[str] = set()

    def add(kind: str, n: float) -> None:
        words[kind] = words.get(kind, 0.0) + n

    for page in doc.get("pages", []):
        add("pages", count_words(page.get("title")) + count_words(page.get("intro")))
        seen_stem_on_page = False
        stems_shown: set[str] = set()  # declared stems shown on this page, read once
        for item_id in page.get("items", []):
            item = items[item_id]
            kind = item["type"]
            responses[kind] = responses.get(kind, 0.0) + model.response_seconds.get(kind, 0.0)
            n = float(count_words(item.get("text")))
            if kind == "likert":
                declared = _declared_stem(scales, item)
                if declared:
                    if declared not in stems_shown:
                        stems_shown.add(declared)
                        n += count_words(declared)
                else:
                    if seen_stem_on_page and stem_len:
                        n -= stem_len * (1.0 - model.repeated_stem_fraction)
                    seen_stem_on_page = True
                scale = item.get("response_scale")
                if scale not in scale_labels_read:  # labels are read once, then familiar
                    scale_labels_read.add(scale)
                    n += _response_scale_words(doc, scale)
            n += count_words(item.get("title")) + count_words(item.get("question"))
            n += sum(count_words(o.get("text")) for o in item.get("options", []))
            add(kind, n)

    return Workload(
        words=sum(words.values()),
        response_seconds=sum(responses.values()),
        pages=len(doc.get("pages", [])),
        words_by_type=words,
        responses_by_type=responses,
    )


def _declared_stem(scales: Mapping[str, Any], item: Mapping[str, Any]) -> str:
    """The stem the item's response scale declares, shown once per page ("" if none)."""
    if item.get("type") != "likert":
        return ""
    scale = scales.get(str(item.get("response_scale")), {}) or {}
    return str(scale.get("stem") or "")


def _response_scale_words(doc: Mapping[str, Any], name: Any) -> int:
    scale = doc.get("response_scales", {}).get(name, {})
    labels = [p.get("label") for p in scale.get("points", [])]
    return sum(count_words(label) for label in labels) + count_words(scale.get("no_opportunity"))


def part_document(doc: Mapping[str, Any], part: str) -> dict[str, Any]:
    """The document as one part shows it: its pages only (``part`` defaults to ``core``).

    The instructions are read at the start of the core; the deep-dive has its own page
    intros instead. Response-scale labels are counted again in each part that shows them.
    """
    pages = [p for p in doc.get("pages", []) if p.get("part", "core") == part]
    out = dict(doc, pages=pages)
    if part != "core":
        out["instructions"] = None
    return out


def has_parts(doc: Mapping[str, Any]) -> bool:
    return any(p.get("part", "core") != "core" for p in doc.get("pages", []))


def estimate(
    doc: Mapping[str, Any],
    *,
    model: TimingModel | None = None,
    people: int = 20_000,
    seed: int = 20190412,
) -> TimingEstimate:
    """Median and 90th-percentile completion time, in minutes, across simulated people."""
    model = model or TimingModel()
    load = workload(doc, model)
    rng = np.random.default_rng(seed)
    wpm = model.reading_wpm * rng.lognormal(0.0, model.reading_sigma, people)
    pace = rng.lognormal(0.0, model.response_sigma, people)
    seconds = load.words / wpm * 60.0 + load.response_seconds * pace
    seconds += load.pages * model.page_seconds
    typical = load.words / model.reading_wpm * 60.0 + load.response_seconds
    typical += load.pages * model.page_seconds
    return TimingEstimate(
        median_minutes=float(np.median(seconds)) / 60.0,
        p90_minutes=float(np.quantile(seconds, 0.9)) / 60.0,
        typical_minutes=typical / 60.0,
        workload=load,
    )


def seconds_by_type(doc: Mapping[str, Any], model: TimingModel | None = None) -> dict[str, float]:
    """Seconds a typical person spends on each kind of content (for the docs and review)."""
    model = model or TimingModel()
    load = workload(doc, model)
    out = {k: v / model.reading_wpm * 60.0 for k, v in load.words_by_type.items()}
    for k, v in load.responses_by_type.items():
        out[k] = out.get(k, 0.0) + v
    out["page turns"] = load.pages * model.page_seconds
    return out
