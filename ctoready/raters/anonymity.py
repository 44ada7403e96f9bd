"""Which rater aggregates may be shown: the one rule every output goes through.

Pure Python, no Django. Every aggregate the candidate can see (page, PDF, JSON export)
is built by :mod:`ctoready.raters.aggregate`, which asks :func:`visible_groups` per scale
and :func:`comments_visible` once. The reasoning, and what it does not protect against,
is in docs/raters.md ("Anonymity").

The rule, for one scale, given how many raters of each category contributed to it:

1. A category is shown when at least :data:`MIN_GROUP` raters contributed; the manager
   category may be shown with fewer only when every manager who answered was told so in
   their invitation. A category below its threshold is left out, never folded into another.
2. "All raters" is shown only when at least :data:`MIN_GROUP` raters contributed, and no
   subtraction can isolate fewer than :data:`MIN_GROUP` people:

   - the raters in the categories left out (all raters minus every shown category) are
     either none or at least :data:`MIN_GROUP`;
   - all raters minus any single shown category leaves at least :data:`MIN_GROUP` raters
     (when it would leave none, "all raters" would repeat that category, so it is dropped).

Shown categories are disjoint, so the only sums the candidate can combine are those of the
shown categories and of all raters; with the two conditions above, the smallest set of
people whose total can be worked out has at least :data:`MIN_GROUP` members (or is a
manager who was told). The property tests check this by linear algebra over random sets.
"""

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = [
    "ALL",
    "CATEGORIES",
    "MANAGER",
    "MIN_GROUP",
    "Visible",
    "comments_visible",
    "visible_groups",
]

MIN_GROUP = 3
MANAGER = "manager"
CATEGORIES = ("manager", "peer", "direct", "other")
ALL = "all"


@dataclass(frozen=True)
class Visible:
    """The aggregates of one scale that may be shown."""

    categories: tuple[str, ...]  # in CATEGORIES order
    all_raters: bool

    @property
    def groups(self) -> tuple[str, ...]:
        return ((ALL,) if self.all_raters else ()) + self.categories


def _category_shown(category: str, n: int, manager_alone: bool) -> bool:
    if n >= MIN_GROUP:
        return True
    return category == MANAGER and manager_alone and n >= 1


def _all_raters_shown(total: int, shown: list[int]) -> bool:
    if total < MIN_GROUP:
        return False
    left_out = total - sum(shown)
    if 0 < left_out < MIN_GROUP:
        return False
    return all(total - n >= MIN_GROUP for n in shown)


def visible_groups(counts: Mapping[str, int], *, manager_alone: bool) -> Visible:
    """The groups that may be shown, from the number of raters per category.

    ``manager_alone`` is true only when every manager who answered was told, when invited,
    that their ratings may be shown on their own.
    """
    unknown = set(counts) - set(CATEGORIES)
    if unknown:
        raise ValueError(f"unknown rater categories: {sorted(unknown)}")
    if any(n < 0 for n in counts.values()):
        raise ValueError("rater counts cannot be negative")
    shown = [c for c in CATEGORIES if _category_shown(c, counts.get(c, 0), manager_alone)]
    total = sum(counts.values())
    return Visible(tuple(shown), _all_raters_shown(total, [counts[c] for c in shown]))


def comments_visible(responses: int) -> bool:
    """Comments are shown, shuffled and without groups, once at least three people answered."""
    return responses >= MIN_GROUP
