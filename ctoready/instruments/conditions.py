"""Conditions on background answers, used by readiness gates and the path to CTO.

``{item: bg-board-exposure, options: [presented, regular], experience: presenting to a board}``
holds when the candidate answered that background item with one of those options.
"""

from typing import Any

from ctoready.instruments import document as d
from ctoready.instruments.yamlsource import Path_, Source


def read_conditions(
    source: Source, path: Path_, raw: Any, items: dict[str, d.Item], *, experience: bool
) -> tuple[d.Condition, ...]:
    """Parse a list of conditions; ``experience`` says whether each must name its experience."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw:
        source.problem(path, "must be a non-empty list of conditions")
        return ()
    return tuple(
        c
        for c in (_one(source, (*path, i), entry, items, experience) for i, entry in enumerate(raw))
        if c
    )


def _one(
    source: Source, path: Path_, raw: Any, items: dict[str, d.Item], experience: bool
) -> d.Condition | None:
    allowed = {"item", "options", "experience"} if experience else {"item", "options"}
    if not isinstance(raw, dict):
        source.problem(path, "must be a mapping with item and options")
        return None
    for key in raw:
        if key not in allowed:
            source.problem((*path, key), "unknown key")
    ref = raw.get("item")
    item = items.get(ref) if isinstance(ref, str) else None
    if item is None or item.type != "background":
        source.problem((*path, "item"), f"{raw.get('item')!r} is not a background item")
        return None
    known = {o.id for o in item.options}
    options = raw.get("options")
    if not isinstance(options, list) or not options:
        source.problem((*path, "options"), "must be a non-empty list of option ids")
        return None
    for index, option in enumerate(options):
        if not isinstance(option, str) or option not in known:
            source.problem((*path, "options", index), f"{item.id} has no option {option!r}")
    text = raw.get("experience")
    named = text.strip() if isinstance(text, str) else ""
    if experience and not named:
        source.problem((*path, "experience"), "must name the experience, as text")
        return None
    if any(not isinstance(o, str) or o not in known for o in options):
        return None
    return d.Condition(item.id, tuple(options), named or None)
