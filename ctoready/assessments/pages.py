"""What a page of the flow shows: its items with current answers, progress and time left."""

import math
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from ctoready.assessments import services
from ctoready.assessments.forms import field_name
from ctoready.assessments.models import Attempt
from ctoready.instruments import timing
from ctoready.instruments.document import PARTS, Instrument, Item, Option, ResponseScale

_page_seconds: dict[int, tuple[Instrument, list[float]]] = {}


@dataclass(frozen=True)
class Question:
    item: Item
    number: int
    name: str
    value: Any
    response_scale: ResponseScale | None = None
    options: tuple[Option, ...] = ()  # in this attempt's order (scenarios are shuffled)

    @property
    def best(self) -> str | None:
        return self.value.get("best") if isinstance(self.value, dict) else None

    @property
    def worst(self) -> str | None:
        return self.value.get("worst") if isinstance(self.value, dict) else None

    @property
    def answered(self) -> bool:
        return self.value is not None and self.value != {}


def page_seconds(doc: Instrument, content: dict[str, Any]) -> list[float]:
    """Typical seconds per page, from the documented timing model (docs/timing-model.md).

    Each part's pages are scaled to the model's typical time for that part, which also
    discounts repeated stems.
    """
    cached = _page_seconds.get(id(doc))
    if cached is not None and cached[0] is doc:
        return cached[1]
    seconds = []
    for page in doc.pages:
        total = timing.PAGE_SECONDS
        for ref in page.items:
            item = doc.item_by_id[ref]
            words = timing.count_words(item.text) + sum(
                timing.count_words(o.text) for o in item.options
            )
            total += words / timing.READING_WPM * 60 + timing.RESPONSE_SECONDS[item.type]
        seconds.append(total)
    for part in PARTS:
        numbers = doc.page_numbers(part)
        if not numbers:
            continue
        estimate = timing.estimate(timing.part_document(content, part), people=1)
        scale = estimate.typical_minutes * 60 / sum(seconds[n - 1] for n in numbers)
        for n in numbers:
            seconds[n - 1] *= scale
    _page_seconds[id(doc)] = (doc, seconds)
    return seconds


def part_minutes(doc: Instrument, content: dict[str, Any], part: str) -> int:
    """A part's typical length in whole minutes (at least one), for "about N minutes"."""
    seconds = page_seconds(doc, content)
    return max(1, round(sum(seconds[n - 1] for n in doc.page_numbers(part)) / 60))


def page_context(
    request: HttpRequest,
    attempt: Attempt,
    doc: Instrument,
    number: int,
    items: tuple[str, ...],
    error: str | None = None,
) -> dict[str, Any]:
    page = doc.pages[number - 1]
    numbers = doc.page_numbers(page.part)
    answers = services.answers_of(attempt)
    questions = []
    first_number = sum(len(doc.pages[n - 1].items) for n in range(numbers.start, number))
    for offset, ref in enumerate(items, start=1):
        item = doc.item_by_id[ref]
        questions.append(
            Question(
                item=item,
                number=first_number + offset,
                name=field_name(item),
                value=answers.get(ref),
                response_scale=doc.response_scales.get(item.response_scale or ""),
                options=attempt.options_of(item),
            )
        )
    stems = {q.response_scale.stem for q in questions if q.response_scale and q.response_scale.stem}
    seconds = page_seconds(doc, attempt.version.content)
    remaining = sum(seconds[number - 1 : numbers.stop - 1])
    in_part = {item.id for item in doc.items_in(page.part)}
    answered = len(services.answered_ids(answers) & in_part)
    total = len(in_part)
    return {
        "attempt": attempt,
        "doc": doc,
        "page": page,
        "number": number,
        "position": number - numbers.start + 1,  # counted within the part being taken
        "pages": len(numbers),
        "deep": page.part == "deep",
        "questions": questions,
        "seq": services.now_seq(),
        "answered": answered,
        "total": total,
        "percent": round(100 * answered / total) if total else 0,
        "minutes_left": max(1, math.ceil(remaining / 60)),
        "error": error,
        "stem": next(iter(stems)) if len(stems) == 1 else None,
        "autosave_url": reverse("attempt_autosave", kwargs={"public_id": attempt.public_id}),
    }


@dataclass(frozen=True)
class DeepOffer:
    """What the optional deep-dive adds, for the end of the core and the report."""

    minutes: int
    scenarios: int
    self_checks: int


def deep_offer(doc: Instrument, content: dict[str, Any]) -> DeepOffer | None:
    if not doc.has_deep:
        return None
    items = doc.items_in("deep")
    return DeepOffer(
        minutes=part_minutes(doc, content, "deep"),
        scenarios=sum(1 for item in items if item.type == "scenario"),
        self_checks=sum(1 for item in items if item.type == "self_check"),
    )
