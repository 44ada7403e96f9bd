"""Scales: bands, 70/20/10 development actions and first-90-days insertions."""

from typing import Any

from ctoready.instruments import document as d
from ctoready.instruments.validate.reader import MISSING, Reader
from ctoready.instruments.yamlsource import Path_, Source


def read_scale(source: Source, path: Path_, value: Any) -> d.Scale | None:
    keys = {
        "id",
        "name",
        "domain",
        "description",
        "guide",
        "bands",
        "actions",
        "first_90_days",
        "experience_gap",
    }
    r = Reader(source, value, path, keys)
    if not r.ok:
        return None
    bands_reader = Reader(source, r.raw("bands"), (*path, "bands"), {"low", "middle", "high"})
    bands = {band: bands_reader.text(band) or "" for band in ("low", "middle", "high")}
    actions = []
    for apath, raw in r.items("actions"):
        ar = Reader(source, raw, apath, {"kind", "text", "guide"})
        kind, text = ar.choice("kind", d.ACTION_KINDS), ar.text("text")
        if kind and text:
            actions.append(d.Action(kind, text, ar.guide()))
    if r.raw("actions", required=False) is not MISSING:
        kinds = {action.kind for action in actions}
        for kind in d.ACTION_KINDS:
            if kind not in kinds:
                source.problem((*path, "actions"), f"needs at least one {kind!r} action (70/20/10)")
    insertions = []
    for ipath, raw in r.items("first_90_days", required=False):
        ir = Reader(source, raw, ipath, {"week", "text"})
        week, text = ir.integer("week"), ir.text("text")
        if week is not None and not 1 <= week <= 13:
            source.problem((*ipath, "week"), "must be a week from 1 to 13")
        elif week is not None and text:
            insertions.append(d.Insertion(week, text))
    return d.Scale(
        id=r.ident("id") or "",
        name=r.text("name") or "",
        domain=r.choice("domain", ("responsibility", "capability")) or "",
        description=r.text("description") or "",
        bands=bands,
        actions=tuple(actions),
        first_90_days=tuple(insertions),
        experience_gap=r.text("experience_gap", False),
        guide=r.guide(),
    )
