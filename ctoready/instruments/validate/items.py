"""Items of every type; Likert items with their IRT parameters."""

import itertools
import re
from typing import Any

from ctoready.instruments import document as d
from ctoready.instruments.validate.options import read_options
from ctoready.instruments.validate.reader import MISSING, Reader
from ctoready.instruments.validate.scenarios import read_scenario
from ctoready.instruments.yamlsource import Path_, Source

FIELD_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")

ITEM_KEYS = {
    "likert": {"scale", "response_scale", "observer_text", "reverse", "irt"},
    "scenario": {"title", "question", "mode", "options", "key_provenance"},
    "background": {"field", "options"},
    "preference": {"dimension", "options"},
    "self_check": {"scales", "options"},
}


def read_item(
    source: Source,
    path: Path_,
    value: Any,
    scale_ids: set[str],
    response_scales: dict[str, d.ResponseScale],
) -> d.Item | None:
    kind = value.get("type") if isinstance(value, dict) else None
    allowed = (
        {"id", "type", "text"} | ITEM_KEYS.get(kind, set()) if isinstance(kind, str) else set()
    )
    if isinstance(value, dict) and "reverse" in value and kind != "likert":
        source.problem((*path, "reverse"), "reverse keying is only for Likert items")
        allowed = allowed | {"reverse"}
    r = Reader(source, value, path, allowed | {"id", "type", "text"})
    if not r.ok:
        return None
    item_id, item_type, text = r.ident("id"), r.choice("type", d.ITEM_TYPES), r.text("text")
    if item_id is None or item_type is None or text is None:
        return None
    base: dict[str, Any] = {"id": item_id, "type": item_type, "text": text}
    if item_type == "likert":
        return _likert(source, r, path, base, scale_ids, response_scales)
    if item_type == "scenario":
        return read_scenario(source, r, path, base)
    options = read_options(source, r, path, item_type)
    if item_type == "background":
        name = r.text("field")
        if name is not None and not FIELD_RE.match(name):
            source.problem((*path, "field"), "must be a lower_case_name")
        return d.Item(**base, field=name, options=options)
    if item_type == "preference":
        return d.Item(
            **base, dimension=r.choice("dimension", ("role", "cto_type")), options=options
        )
    scales = []
    for spath, ref in r.items("scales"):
        if ref not in scale_ids:
            source.problem(spath, f"unknown scale {ref!r}")
        else:
            scales.append(ref)
    return d.Item(**base, scales=tuple(scales), options=options)


def _likert(
    source: Source,
    r: Reader,
    path: Path_,
    base: dict[str, Any],
    scale_ids: set[str],
    response_scales: dict[str, d.ResponseScale],
) -> d.Item:
    scale = r.ident("scale")
    if scale is not None and scale not in scale_ids:
        source.problem((*path, "scale"), f"unknown scale {scale!r}")
    response = r.text("response_scale")
    if response is not None and response not in response_scales:
        source.problem((*path, "response_scale"), f"unknown response scale {response!r}")
    a, b = None, None
    if r.raw("irt", required=False) is not MISSING:
        ir = Reader(source, r.raw("irt"), (*path, "irt"), {"a", "b"})
        a = ir.number("a")
        if a is not None and not 0 < a <= 6:
            source.problem((*path, "irt", "a"), "discrimination must be above 0 and at most 6")
        thresholds = []
        for bpath, value in ir.items("b"):
            if isinstance(value, int | float) and not isinstance(value, bool):
                thresholds.append(float(value))
            else:
                source.problem(bpath, "thresholds are numbers")
        if any(x >= y for x, y in itertools.pairwise(thresholds)):
            source.problem((*path, "irt", "b"), "thresholds must increase")
        points = response_scales.get(response or "")
        if points is not None and len(thresholds) != len(points.points) - 1:
            source.problem(
                (*path, "irt", "b"), f"needs {len(points.points) - 1} thresholds, one per step"
            )
        b = tuple(thresholds)
    return d.Item(
        **base,
        scale=scale,
        response_scale=response,
        observer_text=r.text("observer_text"),
        reverse=r.boolean("reverse", False),
        irt_a=a,
        irt_b=b,
    )
