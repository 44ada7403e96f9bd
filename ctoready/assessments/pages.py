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
from ctoready.instruments.document import Instrument, Item, ResponseScale

_page_seconds: dict[int, tuple[Instrument, list[float]]] = {}


@dataclass(frozen=True)
class Question:
    item: Item
    number: int
    name: str
    value: Any
    response_scale: ResponseScale | None = None

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
    """Typical seconds per page, from the documented timing model (docs/timing-model.md)."""
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
    # Scale to the documented model's typical total, which also discounts repeated stems.
    typical = timing.estimate(content, people=1).typical_minutes * 60
    seconds = [s * typical / sum(seconds) for s in seconds]
    _page_seconds[id(doc)] = (doc, seconds)
    return seconds


def page_context(
    request: HttpRequest,
    attempt: Attempt,
    doc: Instrument,
    number: int,
    items: tuple[str, ...],
    error: str | None = None,
) -> dict[str, Any]:
    page = doc.pages[number - 1]
    answers = services.answers_of(attempt)
    questions = []
    first_number = sum(len(p.items) for p in doc.pages[: number - 1])
    for offset, ref in enumerate(items, start=1):
        item = doc.item_by_id[ref]
        questions.append(
            Question(
                item=item,
                number=first_number + offset,
                name=field_name(item),
                value=answers.get(ref),
                response_scale=doc.response_scales.get(item.response_scale or ""),
            )
        )
    stems = {q.response_scale.stem for q in questions if q.response_scale and q.response_scale.stem}
    seconds = page_seconds(doc, attempt.version.content)
    remaining = sum(seconds[number - 1 :])
    answered = len(services.answered_ids(answers))
    total = len(doc.items)
    return {
        "attempt": attempt,
        "doc": doc,
        "page": page,
        "number": number,
        "pages": len(doc.pages),
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
