"""Pages, the items placed on them, and the core and deep-dive parts."""

from typing import Any

from ctoready.instruments import document as d
from ctoready.instruments.validate.reader import Reader
from ctoready.instruments.yamlsource import Path_, Source


def read_page(source: Source, path: Path_, value: Any) -> d.Page | None:
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


def check_pages(source: Source, items: list[d.Item], pages: list[d.Page]) -> None:
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
