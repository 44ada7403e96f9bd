"""Roles, CTO types and contexts (weighted profiles), and what preference items point to."""

from typing import Any

from ctoready.instruments import document as d
from ctoready.instruments.validate.reader import MISSING, Reader, read_list
from ctoready.instruments.yamlsource import Path_, Source


def read_profiles(
    source: Source, top: Reader, key: str, scale_ids: set[str], required: tuple[str, ...]
) -> list[d.Profile]:
    def build(src: Source, path: Path_, value: Any) -> d.Profile | None:
        r = Reader(src, value, path, {"id", "name", "summary", "rationale", "weights", "guide"})
        if not r.ok:
            return None
        weights: dict[str, float] = {}
        raw = r.raw("weights")
        if isinstance(raw, dict):
            for scale, weight in raw.items():
                if scale not in scale_ids:
                    src.problem((*path, "weights", scale), f"unknown scale {scale!r}")
                elif not isinstance(weight, int | float) or isinstance(weight, bool) or weight < 0:
                    src.problem((*path, "weights", scale), "weights are numbers of 0 or more")
                else:
                    weights[scale] = float(weight)
            if raw and not any(weights.values()):
                src.problem((*path, "weights"), "at least one weight must be positive")
        elif raw is not MISSING:
            src.problem((*path, "weights"), "must be a mapping of scale id to weight")
        return d.Profile(
            id=r.ident("id") or "",
            name=r.text("name") or "",
            weights=weights,
            summary=r.text("summary", False),
            rationale=r.text("rationale", key == "contexts"),
            guide=r.guide(),
        )

    profiles = read_list(source, top, key, build)
    present = {p.id for p in profiles}
    for ident in required:
        if ident not in present and top.raw(key, required=False) is not MISSING:
            source.problem((key,), f"needs an entry with id {ident!r}")
    return profiles


def check_points_to(
    source: Source, top: Reader, items: list[d.Item], roles: set[str], types: set[str]
) -> None:
    for index, item in enumerate(items):
        if item.type != "preference" or item.dimension is None:
            continue
        targets = roles if item.dimension == "role" else types
        for o_index, option in enumerate(item.options):
            if option.points_to and option.points_to not in targets:
                source.problem(
                    ("items", index, "options", o_index, "points_to"),
                    f"unknown {item.dimension.replace('_', ' ')} {option.points_to!r}",
                )
