"""Scenario items: four options, one best and one worst key, and who keyed them."""

import datetime
import re
from typing import Any

from ctoready.instruments import document as d
from ctoready.instruments.validate.options import read_options
from ctoready.instruments.validate.reader import MISSING, Reader
from ctoready.instruments.yamlsource import Path_, Source

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def read_scenario(source: Source, r: Reader, path: Path_, base: dict[str, Any]) -> d.Item:
    options = read_options(source, r, path, "scenario")
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
