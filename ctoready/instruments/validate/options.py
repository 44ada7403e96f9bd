"""The options of an item (scenario keys and rationales, preference targets)."""

from ctoready.instruments import document as d
from ctoready.instruments.validate.reader import MISSING, Reader, unique
from ctoready.instruments.yamlsource import Path_, Source


def read_options(source: Source, r: Reader, path: Path_, item_type: str) -> tuple[d.Option, ...]:
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
    unique(source, ids, "option")
    if len(options) < 2 and r.raw("options", required=False) is not MISSING:
        source.problem((*path, "options"), "needs at least two options")
    return tuple(options)
