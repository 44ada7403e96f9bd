"""Readiness levels, the path to CTO and the first 90 days."""

import itertools
from typing import Any

from ctoready.instruments import document as d
from ctoready.instruments.conditions import read_conditions
from ctoready.instruments.validate.reader import MISSING, Reader
from ctoready.instruments.yamlsource import Path_, Source


def read_level(
    source: Source, path: Path_, value: Any, items: dict[str, d.Item]
) -> d.ReadinessLevel | None:
    r = Reader(source, value, path, {"min", "label", "text", "requires"})
    minimum = r.number("min")
    if minimum is not None and not 0 <= minimum <= 100:
        source.problem((*path, "min"), "must be between 0 and 100")
    requires = read_conditions(
        source, (*path, "requires"), r.data.get("requires"), items, experience=True
    )
    return d.ReadinessLevel(minimum or 0.0, r.text("label") or "", r.text("text") or "", requires)


def check_levels(source: Source, levels: list[d.ReadinessLevel]) -> None:
    mins = [level.min for level in levels]
    if mins and mins[0] != 0:
        source.problem(("readiness_levels",), "the first level must start at 0")
    if any(x >= y for x, y in itertools.pairwise(mins)):
        source.problem(("readiness_levels",), "levels must be in increasing order of min")


def read_plans(
    source: Source, top: Reader, items: dict[str, d.Item]
) -> tuple[tuple[d.PathStage, ...], tuple[d.Week, ...]]:
    r = Reader(source, top.raw("plans"), ("plans",), {"path_to_cto", "first_90_days"})
    stages = []
    for path, raw in r.items("path_to_cto"):
        keys = {"id", "title", "text", "milestones", "guide", "reached_when"}
        sr = Reader(source, raw, path, keys)
        reached = sr.data.get("reached_when")
        stages.append(
            d.PathStage(
                sr.ident("id") or "",
                sr.text("title") or "",
                sr.text("text") or "",
                sr.texts("milestones"),
                sr.guide(),
                read_conditions(source, (*path, "reached_when"), reached, items, experience=False),
            )
        )
    weeks = []
    for index, (path, raw) in enumerate(r.items("first_90_days")):
        wr = Reader(source, raw, path, {"week", "phase", "title", "actions", "guide"})
        week = wr.integer("week")
        if week is not None and week != index + 1:
            source.problem((*path, "week"), f"must be week {index + 1} (weeks 1 to 13, in order)")
        weeks.append(
            d.Week(
                week or 0,
                wr.choice("phase", d.PHASES) or "",
                wr.text("title") or "",
                wr.texts("actions"),
                wr.guide(),
            )
        )
    if r.ok and r.raw("first_90_days", required=False) is not MISSING and len(weeks) != 13:
        source.problem(("plans", "first_90_days"), "lists weeks 1 to 13")
    return tuple(stages), tuple(weeks)
