"""Check an instrument document and build it, reporting every problem at once.

Each check names the file, the line and the field. ``build_instrument`` returns ``None``
when anything is wrong, so nothing half-valid reaches the database.
"""

import datetime
import itertools
import re
from collections.abc import Callable
from typing import Any

from ctoready.instruments import document as d
from ctoready.instruments.conditions import read_conditions
from ctoready.instruments.yamlsource import Path_, Source

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
SEMVER_RE = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
LOCALE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
FIELD_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
GUIDE_RE = re.compile(r"^[a-z0-9-]+(#[a-z0-9-]+)?$")
REQUIRED_ROLES = ("cto", "vpe", "cio")
REQUIRED_TYPES = ("startup", "enterprise", "fractional")
MISSING = object()


class Reader:
    """Typed access to a mapping that records problems instead of raising."""

    def __init__(self, source: Source, data: Any, path: Path_, allowed: set[str]) -> None:
        self.source, self.path = source, path
        self.ok = isinstance(data, dict)
        self.data: dict[str, Any] = data if isinstance(data, dict) else {}
        if not self.ok:
            source.problem(path, f"must be a mapping, not {_kind(data)}")
        for key in self.data:
            if key not in allowed:
                source.problem((*path, key), "unknown key")

    def raw(self, key: str, required: bool = True) -> Any:
        if key not in self.data or self.data[key] is None:
            if required and self.ok:
                self.source.problem((*self.path, key), "missing")
            return MISSING
        return self.data[key]

    def _typed(self, key: str, types: tuple[type, ...], name: str, required: bool) -> Any:
        value = self.raw(key, required)
        if value is MISSING:
            return None
        if not isinstance(value, types) or (bool not in types and isinstance(value, bool)):
            self.source.problem((*self.path, key), f"must be {name}, not {_kind(value)}")
            return None
        return value

    def text(self, key: str, required: bool = True) -> str | None:
        value: str | None = self._typed(key, (str,), "text", required)
        if isinstance(value, str) and not value.strip():
            self.source.problem((*self.path, key), "must not be empty")
            return None
        return value.strip() if isinstance(value, str) else None

    def integer(self, key: str, required: bool = True) -> int | None:
        value: int | None = self._typed(key, (int,), "a whole number", required)
        return value

    def number(self, key: str, required: bool = True) -> float | None:
        value = self._typed(key, (int, float), "a number", required)
        return float(value) if value is not None else None

    def boolean(self, key: str, default: bool) -> bool:
        value = self._typed(key, (bool,), "true or false", False)
        return default if value is None else bool(value)

    def ident(self, key: str, required: bool = True) -> str | None:
        value: str | None = self._typed(key, (str,), "an id", required)
        if value is not None and not ID_RE.match(value):
            self.source.problem(
                (*self.path, key), f"{value!r} is not a valid id (lower-case letters, digits, -)"
            )
            return None
        return value

    def choice(self, key: str, choices: tuple[str, ...], required: bool = True) -> str | None:
        value: str | None = self._typed(key, (str,), "text", required)
        if value is not None and value not in choices:
            self.source.problem((*self.path, key), f"must be one of {', '.join(choices)}")
            return None
        return value

    def guide(self) -> str | None:
        value: str | None = self._typed("guide", (str,), "a guide reference", False)
        if value is not None and not GUIDE_RE.match(value):
            self.source.problem((*self.path, "guide"), "must look like slug#anchor")
            return None
        return value

    def items(self, key: str, required: bool = True) -> list[tuple[Path_, Any]]:
        value = self._typed(key, (list,), "a list", required)
        if value is None:
            return []
        if required and not value:
            self.source.problem((*self.path, key), "must not be empty")
        return [((*self.path, key, i), entry) for i, entry in enumerate(value)]

    def texts(self, key: str, required: bool = True) -> tuple[str, ...]:
        out = []
        for path, value in self.items(key, required):
            if isinstance(value, str) and value.strip():
                out.append(value.strip())
            else:
                self.source.problem(path, "must be non-empty text")
        return tuple(out)


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false"}.get(
        type(value), "a number" if isinstance(value, int | float) else "empty"
    )


def _unique(source: Source, entries: list[tuple[Path_, str | None]], what: str) -> None:
    seen: set[str] = set()
    for path, ident in entries:
        if ident is None:
            continue
        if ident in seen:
            source.problem((*path, "id"), f"duplicate {what} id {ident!r}")
        seen.add(ident)


def build_instrument(source: Source) -> d.Instrument | None:
    """Validate ``source.data`` and return the typed instrument, or ``None`` with problems."""
    if source.data is None:
        return None
    top = Reader(
        source,
        source.data,
        (),
        {
            "format",
            "id",
            "version",
            "locale",
            "title",
            "description",
            "estimated_minutes",
            "instructions",
            "response_scales",
            "scales",
            "items",
            "pages",
            "roles",
            "cto_types",
            "contexts",
            "readiness_levels",
            "plans",
            "adaptive",
        },
    )
    if not top.ok:
        return None
    fmt = top.integer("format")
    if fmt is not None and fmt != 1:
        source.problem(("format",), "unsupported format version (this program reads 1)")
    ident, version, locale = top.ident("id"), top.text("version"), top.text("locale")
    if version is not None and not SEMVER_RE.match(version):
        source.problem(("version",), "must be a semantic version such as 1.0.0")
    if locale is not None and not LOCALE_RE.match(locale):
        source.problem(("locale",), "must be a language tag such as en or fr")
    minutes = top.integer("estimated_minutes")
    if minutes is not None and not 1 <= minutes <= 120:
        source.problem(("estimated_minutes",), "must be between 1 and 120")
    response_scales = _response_scales(source, top)
    scales = _list(source, top, "scales", _scale)
    scale_ids = {s.id for s in scales}
    items = _list(source, top, "items", lambda s, p, v: _item(s, p, v, scale_ids, response_scales))
    pages = _list(source, top, "pages", _page)
    _check_pages(source, items, pages)
    roles = _profiles(source, top, "roles", scale_ids, REQUIRED_ROLES)
    cto_types = _profiles(source, top, "cto_types", scale_ids, REQUIRED_TYPES)
    contexts = _profiles(source, top, "contexts", scale_ids, ())
    _check_points_to(source, top, items, {r.id for r in roles}, {t.id for t in cto_types})
    by_id = {item.id: item for item in items}
    levels = _list(source, top, "readiness_levels", lambda s, p, v: _level(s, p, v, by_id))
    _check_levels(source, levels)
    path_to_cto, weeks = _plans(source, top, by_id)
    adaptive = _adaptive(source, top, items)
    if source.problems:
        return None
    return d.Instrument(
        id=ident or "",
        version=version or "",
        locale=locale or "",
        title=top.text("title") or "",
        description=top.text("description") or "",
        estimated_minutes=minutes or 0,
        instructions=top.text("instructions", required=False),
        response_scales=response_scales,
        scales=tuple(scales),
        items=tuple(items),
        pages=tuple(pages),
        roles=tuple(roles),
        cto_types=tuple(cto_types),
        contexts=tuple(contexts),
        readiness_levels=tuple(levels),
        path_to_cto=path_to_cto,
        first_90_days=weeks,
        adaptive=adaptive,
        format=fmt or 1,
    )


def _list[T](
    source: Source, top: Reader, key: str, build: Callable[[Source, Path_, Any], T | None]
) -> list[T]:
    built = []
    ids: list[tuple[Path_, str | None]] = []
    for path, value in top.items(key):
        entry = build(source, path, value)
        if entry is not None:
            built.append(entry)
            ids.append((path, getattr(entry, "id", None)))
    _unique(source, ids, key.rstrip("s").replace("_", " "))
    return built


def _response_scales(source: Source, top: Reader) -> dict[str, d.ResponseScale]:
    raw = top.raw("response_scales")
    out: dict[str, d.ResponseScale] = {}
    if raw is MISSING:
        return out
    if not isinstance(raw, dict) or not raw:
        source.problem(("response_scales",), "must be a non-empty mapping")
        return out
    for name, spec in raw.items():
        path = ("response_scales", name)
        reader = Reader(source, spec, path, {"points", "no_opportunity", "stem", "observer_stem"})
        points = []
        for i, (ppath, point) in enumerate(reader.items("points")):
            pr = Reader(source, point, ppath, {"value", "label"})
            value, label = pr.integer("value"), pr.text("label")
            if value is not None and value != i + 1:
                source.problem((*ppath, "value"), f"must be {i + 1} (values count up from 1)")
            if value is not None and label is not None:
                points.append(d.ResponsePoint(value, label))
        if len(points) < 2:
            source.problem((*path, "points"), "needs at least two points")
        out[name] = d.ResponseScale(
            name,
            tuple(points),
            reader.text("no_opportunity", False),
            reader.text("stem", False),
            reader.text("observer_stem", False),
        )
    return out


def _scale(source: Source, path: Path_, value: Any) -> d.Scale | None:
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


ITEM_KEYS = {
    "likert": {"scale", "response_scale", "observer_text", "reverse", "irt"},
    "scenario": {"title", "question", "mode", "options", "key_provenance"},
    "background": {"field", "options"},
    "preference": {"dimension", "options"},
    "self_check": {"scales", "options"},
}


def _item(
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
        return _scenario(source, r, path, base)
    options = _options(source, r, path, item_type)
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


def _scenario(source: Source, r: Reader, path: Path_, base: dict[str, Any]) -> d.Item:
    options = _options(source, r, path, "scenario")
    if len(options) != 4 and r.raw("options", required=False) is not MISSING:
        source.problem((*path, "options"), "a scenario has exactly four options")
    keys = [o.effectiveness for o in options if o.effectiveness is not None]
    if len(keys) == len(options) == 4:
        if keys.count(max(keys)) != 1:
            source.problem((*path, "options"), "exactly one option must hold the highest key")
        if keys.count(min(keys)) != 1:
            source.problem((*path, "options"), "exactly one option must hold the lowest key")
    return d.Item(
        **base,
        title=r.text("title"),
        question=r.text("question"),
        mode=r.choice("mode", ("best_worst", "rate_each")),
        options=options,
        key_provenance=_key_provenance(source, r, path),
    )


def _options(source: Source, r: Reader, path: Path_, item_type: str) -> tuple[d.Option, ...]:
    extra = {
        "scenario": {"effectiveness", "rationale"},
        "preference": {"points_to"},
    }.get(item_type, set())
    options = []
    ids: list[tuple[Path_, str | None]] = []
    for opath, raw in r.items("options"):
        orr = Reader(source, raw, opath, {"id", "text"} | extra)
        option_id = orr.ident("id")
        if isinstance(raw, dict) and isinstance(raw.get("id"), bool):
            source.problem((*opath, "id"), "quote ids such as 'yes' and 'no' in YAML")
        effectiveness = orr.integer("effectiveness") if item_type == "scenario" else None
        if effectiveness is not None and not 1 <= effectiveness <= 5:
            source.problem((*opath, "effectiveness"), "the key must be from 1 to 5")
            effectiveness = None
        option = d.Option(
            id=option_id or "",
            text=orr.text("text") or "",
            effectiveness=effectiveness,
            rationale=orr.text("rationale") if item_type == "scenario" else None,
            points_to=orr.ident("points_to") if item_type == "preference" else None,
        )
        options.append(option)
        ids.append((opath, option_id))
    _unique(source, ids, "option")
    if len(options) < 2 and r.raw("options", required=False) is not MISSING:
        source.problem((*path, "options"), "needs at least two options")
    return tuple(options)


def _page(source: Source, path: Path_, value: Any) -> d.Page | None:
    r = Reader(source, value, path, {"id", "title", "intro", "items", "part"})
    if not r.ok:
        return None
    part = r.choice("part", d.PARTS, required=False) or "core"
    refs = []
    for ipath, ref in r.items("items"):
        if isinstance(ref, str):
            refs.append(ref)
        else:
            source.problem(ipath, "must be an item id")
    return d.Page(
        r.ident("id") or "", r.text("title") or "", tuple(refs), r.text("intro", False), part
    )


def _check_pages(source: Source, items: list[d.Item], pages: list[d.Page]) -> None:
    by_id = {item.id: item for item in items}
    placed: dict[str, str] = {}
    for index, page in enumerate(pages):
        path = ("pages", index, "items")
        for ref in page.items:
            if ref not in by_id:
                source.problem(path, f"unknown item {ref!r}")
            elif ref in placed:
                source.problem(path, f"item {ref!r} is already on page {placed[ref]!r}")
            else:
                placed[ref] = page.id
        kinds = [by_id[ref].type for ref in page.items if ref in by_id]
        if "scenario" in kinds and len(kinds) > 1:
            source.problem(path, "a scenario has a page of its own")
        if page.part == "deep" and set(kinds) - set(d.DEEP_ITEM_TYPES):
            source.problem(
                ("pages", index, "part"),
                "a deep-dive page holds only scenarios and self-check items "
                "(everything the core report scores stays in the core)",
            )
    _check_parts(source, pages)
    for item in items:
        if item.id not in placed and pages:
            source.problem(("pages",), f"item {item.id!r} is on no page")


def _check_parts(source: Source, pages: list[d.Page]) -> None:
    parts = [page.part for page in pages]
    if pages and parts[0] != "core":
        source.problem(("pages", 0, "part"), "the first page belongs to the core")
    first_deep = parts.index("deep") if "deep" in parts else len(parts)
    for index in range(first_deep, len(parts)):
        if parts[index] == "core":
            source.problem(("pages", index, "part"), "core pages come before every deep-dive page")
            break


def _profiles(
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

    profiles = _list(source, top, key, build)
    present = {p.id for p in profiles}
    for ident in required:
        if ident not in present and top.raw(key, required=False) is not MISSING:
            source.problem((key,), f"needs an entry with id {ident!r}")
    return profiles


def _check_points_to(
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


def _level(
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


def _check_levels(source: Source, levels: list[d.ReadinessLevel]) -> None:
    mins = [level.min for level in levels]
    if mins and mins[0] != 0:
        source.problem(("readiness_levels",), "the first level must start at 0")
    if any(x >= y for x, y in itertools.pairwise(mins)):
        source.problem(("readiness_levels",), "levels must be in increasing order of min")


def _plans(
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


def _adaptive(source: Source, top: Reader, items: list[d.Item]) -> d.AdaptiveSettings:
    if top.raw("adaptive", required=False) is MISSING:
        return d.AdaptiveSettings()
    r = Reader(source, top.raw("adaptive"), ("adaptive",), {"enabled", "se_target", "max_items"})
    enabled = r.boolean("enabled", False)
    se_target = r.number("se_target", required=False) or 0.45
    max_items = r.integer("max_items", required=False) or 40
    if not 0.1 <= se_target <= 1.0:
        source.problem(("adaptive", "se_target"), "must be between 0.1 and 1.0")
    if max_items < 1:
        source.problem(("adaptive", "max_items"), "must be at least 1")
    if enabled and any(i.type == "likert" and i.irt_a is None for i in items):
        source.problem(
            ("adaptive", "enabled"), "adaptive mode needs IRT parameters on every Likert item"
        )
    return d.AdaptiveSettings(enabled, se_target, max_items)


def _key_provenance(source: Source, r: Reader, path: Path_) -> d.KeyProvenance | None:
    """Who keyed the scenario: ``{source: authors}`` or a panel with size, agreement, date."""
    raw = r.raw("key_provenance")
    if raw is MISSING:
        return None
    where = (*path, "key_provenance")
    keys = {"source", "experts", "agreement", "date"}
    kr = Reader(
        source,
        raw,
        where,
        keys if isinstance(raw, dict) and raw.get("source") == "panel" else {"source"},
    )
    kind = kr.choice("source", d.KEY_SOURCES)
    if kind != "panel":
        return d.KeyProvenance(kind) if kind else None
    experts, agreement, date = kr.integer("experts"), kr.number("agreement"), kr.text("date")
    if experts is not None and experts < d.MIN_PANEL_EXPERTS:
        source.problem(
            (*where, "experts"), f"a panel key needs at least {d.MIN_PANEL_EXPERTS} experts"
        )
        experts = None
    if agreement is not None and not 0 <= agreement <= 1:
        source.problem((*where, "agreement"), "must be between 0 and 1")
        agreement = None
    if date is not None and not _iso_date(date):
        source.problem((*where, "date"), "must be a date written YYYY-MM-DD (in quotes)")
        date = None
    if experts is None or agreement is None or date is None:
        return None
    return d.KeyProvenance("panel", experts, agreement, date)


def _iso_date(text: str) -> bool:
    if not DATE_RE.match(text):
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True
