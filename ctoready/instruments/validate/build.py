"""The entry point: the header, response scales, adaptive settings, then each section."""

import re

from ctoready.instruments import document as d
from ctoready.instruments.validate.items import read_item
from ctoready.instruments.validate.pages import check_pages, read_page
from ctoready.instruments.validate.plans import check_levels, read_level, read_plans
from ctoready.instruments.validate.profiles import check_points_to, read_profiles
from ctoready.instruments.validate.reader import MISSING, Reader, read_list
from ctoready.instruments.validate.scales import read_scale
from ctoready.instruments.yamlsource import Source

SEMVER_RE = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
LOCALE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
REQUIRED_ROLES = ("cto", "vpe", "cio")
REQUIRED_TYPES = ("startup", "enterprise", "fractional")


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
    scales = read_list(source, top, "scales", read_scale)
    scale_ids = {s.id for s in scales}
    items = read_list(
        source, top, "items", lambda s, p, v: read_item(s, p, v, scale_ids, response_scales)
    )
    pages = read_list(source, top, "pages", read_page)
    check_pages(source, items, pages)
    roles = read_profiles(source, top, "roles", scale_ids, REQUIRED_ROLES)
    cto_types = read_profiles(source, top, "cto_types", scale_ids, REQUIRED_TYPES)
    contexts = read_profiles(source, top, "contexts", scale_ids, ())
    check_points_to(source, top, items, {r.id for r in roles}, {t.id for t in cto_types})
    by_id = {item.id: item for item in items}
    levels = read_list(source, top, "readiness_levels", lambda s, p, v: read_level(s, p, v, by_id))
    check_levels(source, levels)
    path_to_cto, weeks = read_plans(source, top, by_id)
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
