"""What a rater's page shows: the observer wording of the Likert items, a page at a time,
then a last page for comments."""

from dataclasses import dataclass
from typing import Any

from ctoready.instruments.document import Instrument, Item, ResponseScale

PAGE_SIZE = 10


@dataclass(frozen=True)
class RaterQuestion:
    item: Item
    number: int
    text: str
    value: Any
    response_scale: ResponseScale | None

    @property
    def name(self) -> str:
        return f"q-{self.item.id}"


def rater_items(doc: Instrument) -> tuple[Item, ...]:
    """Only Likert items with an observer wording: raters see no scenarios or preferences."""
    return tuple(item for item in doc.likert_items if item.observer_text)


def page_count(doc: Instrument) -> int:
    """Pages of questions, plus the last page for comments."""
    items = len(rater_items(doc))
    return -(-items // PAGE_SIZE) + 1


def questions(
    doc: Instrument, number: int, answers: dict[str, Any]
) -> tuple[list[RaterQuestion], str | None]:
    """A page's questions and the stem shown once above them (when they share one)."""
    items = rater_items(doc)
    start = (number - 1) * PAGE_SIZE
    page = items[start : start + PAGE_SIZE]
    scales = [doc.response_scales.get(item.response_scale or "") for item in page]
    stems = {scale.observer_stem if scale else None for scale in scales}
    stem = next(iter(stems)) if len(stems) == 1 else None
    return [
        RaterQuestion(
            item=item,
            number=start + offset,
            text=(item.observer_text or "") if stem else item.full_text(doc, observer=True),
            value=answers.get(item.id),
            response_scale=scale,
        )
        for offset, (item, scale) in enumerate(zip(page, scales, strict=True), start=1)
    ], stem


def first_open_page(doc: Instrument, answers: dict[str, Any]) -> int:
    items = rater_items(doc)
    for index, item in enumerate(items):
        if item.id not in answers:
            return index // PAGE_SIZE + 1
    return page_count(doc)
