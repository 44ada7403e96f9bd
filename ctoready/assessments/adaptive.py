"""Adaptive mode: pages of Likert items chosen by the scoring core as answers arrive.

The instrument's pages keep their order. Each page that holds only Likert items is filled,
when first shown, with up to ``PAGE_SIZE`` items that the scoring core picks from the
answers so far (one per scale still short of its precision target). Once every scale
reaches its target, or the item budget is spent, the remaining Likert pages are empty and
the flow passes them by. A page's items are remembered, so going back shows the same ones.

Reading a page's items never writes: :func:`page_items` answers ``None`` for a page not
chosen yet, and :func:`assign_pages` is the one place that chooses and stores them.
"""

from typing import Any

import numpy as np

from ctoready import scoring
from ctoready.assessments.models import Attempt
from ctoready.instruments.derived import PerDocument
from ctoready.instruments.document import Instrument, Page
from ctoready.instruments.scoring_bridge import scoring_model

PAGE_SIZE = 5
_banks: PerDocument[scoring.ItemBank] = PerDocument()


def bank_for(doc: Instrument) -> scoring.ItemBank:
    return _banks.get_or_build(doc, lambda: scoring.build_bank(scoring_model(doc).likert))


def is_adaptive_page(doc: Instrument, page: Page) -> bool:
    return bool(page.items) and all(doc.item_by_id[ref].is_likert for ref in page.items)


def page_items(attempt: Attempt, doc: Instrument, number: int) -> tuple[str, ...] | None:
    """The items page ``number`` (1-based) shows this attempt; ``None`` for an adaptive
    page whose items are not chosen yet."""
    page = doc.pages[number - 1]
    if attempt.mode != Attempt.Mode.ADAPTIVE or not is_adaptive_page(doc, page):
        return page.items
    assigned: dict[str, list[str]] = attempt.adaptive_state.get("pages", {})
    return tuple(assigned[page.id]) if page.id in assigned else None


def assign_pages(
    *, attempt: Attempt, doc: Instrument, answers: dict[str, Any], through: int
) -> None:
    """Choose and store the items of every adaptive page up to page ``through`` not chosen
    yet, in page order, so each choice follows the answers before it. Called where a page
    is first served (or by the request that leads to it); a no-op once they are chosen."""
    if attempt.mode != Attempt.Mode.ADAPTIVE:
        return
    assigned: dict[str, list[str]] = dict(attempt.adaptive_state.get("pages", {}))
    missing = [
        (index, page)
        for index, page in enumerate(doc.pages[:through], start=1)
        if is_adaptive_page(doc, page) and page.id not in assigned
    ]
    if not missing:
        return
    for index, page in missing:
        assigned[page.id] = list(_choose(attempt, doc, assigned, answers, index))
    attempt.adaptive_state = {**attempt.adaptive_state, "pages": assigned}
    attempt.save(update_fields=["adaptive_state"])


def served_items(
    attempt: Attempt, doc: Instrument, number: int, answers: dict[str, Any]
) -> tuple[str, ...]:
    """The items of a page being served: chosen now if this is its first showing."""
    items = page_items(attempt, doc, number)
    if items is None:
        assign_pages(attempt=attempt, doc=doc, answers=answers, through=number)
        items = page_items(attempt, doc, number)
    return items or ()


def _choose(
    attempt: Attempt,
    doc: Instrument,
    assigned: dict[str, list[str]],
    answers: dict[str, Any],
    number: int,
) -> tuple[str, ...]:
    bank = bank_for(doc)
    state = scoring.start_state(bank)
    unavailable = set()
    for items in assigned.values():
        for item_id in items:
            value = answers.get(item_id)
            if isinstance(value, int):
                state = scoring.update_state(bank, state, item_id, value)
            else:
                unavailable.add(item_id)
    rng = np.random.default_rng([attempt.pk, number])
    return scoring.next_page(
        bank,
        state,
        rng,
        size=PAGE_SIZE,
        se_target=doc.adaptive.se_target,
        max_items=doc.adaptive.max_items,
        unavailable=frozenset(unavailable),
    )
