"""The readiness reading: the level the answers support, honest about error and experience.

Two rules the bare score ignored (docs/scoring.md, "Readiness levels"):

- when the 95% range crosses a level's cut-off, both levels are named;
- a level may presume experience (``requires`` in the instrument: led managers, owned a
  budget, met a board); without it the candidate is never placed above the highest level
  whose requirements their background answers meet, and the report names what is missing
  as experience to gain, not a weakness.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ctoready.instruments import document as d
from ctoready.reports.assembly import Interval


@dataclass(frozen=True)
class ReadinessReading:
    level: d.ReadinessLevel  # where the answers place the candidate, after the gates
    lower: d.ReadinessLevel  # the level at each end of the 95% range, after the gates
    upper: d.ReadinessLevel
    capped_from: d.ReadinessLevel | None  # the level the score alone gives, when gates hold it
    missing: tuple[str, ...]  # experience presumed by levels the range reaches, not shown yet

    @property
    def straddles(self) -> bool:
        return self.lower != self.upper


def _index(levels: tuple[d.ReadinessLevel, ...], score: float) -> int:
    return max(i for i, level in enumerate(levels) if score >= level.min or i == 0)


def allowed_index(levels: tuple[d.ReadinessLevel, ...], choices: Mapping[str, Any]) -> int:
    """The highest level whose requirements, and those of every level below it, are met."""
    allowed = 0
    for i, level in enumerate(levels):
        if not all(condition.met(choices) for condition in level.requires):
            break
        allowed = i
    return allowed


def missing_experience(
    levels: tuple[d.ReadinessLevel, ...], upto: int, choices: Mapping[str, Any]
) -> tuple[str, ...]:
    """The unmet requirements of every level up to ``upto``, each named once, in order."""
    names: list[str] = []
    for level in levels[: upto + 1]:
        for condition in level.requires:
            if not condition.met(choices) and condition.experience not in names:
                names.append(condition.experience or condition.item)
    return tuple(names)


def readiness_reading(
    doc: d.Instrument, value: Interval | None, choices: Mapping[str, Any]
) -> ReadinessReading | None:
    """The level for a readiness score and its range, given the background answers."""
    levels = doc.readiness_levels
    if value is None or not levels:
        return None
    allowed = allowed_index(levels, choices)
    point, low, high = (_index(levels, x) for x in (value.score, value.low, value.high))
    return ReadinessReading(
        level=levels[min(point, allowed)],
        lower=levels[min(low, allowed)],
        upper=levels[min(high, allowed)],
        capped_from=levels[point] if point > allowed else None,
        missing=missing_experience(levels, high, choices) if high > allowed else (),
    )
