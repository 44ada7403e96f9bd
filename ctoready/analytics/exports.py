"""Wide CSV exports of one version: responses (one column per item) and item metadata.

Rows carry no identity: a running number, the target context, the language and whether
the attempt is synthetic. Every cell goes through :mod:`ctoready.lib.csvsafe`.
"""

import numpy as np

from ctoready.analytics.data import VersionData
from ctoready.lib.csvsafe import write_csv

METADATA_HEADER = [
    "column",
    "item",
    "type",
    "scale",
    "reverse",
    "min",
    "max",
    "missing_means",
    "options",
]


def _scenario_columns(data: VersionData) -> list[tuple[str, str, str]]:
    """(column, scenario id, "best" | "worst") for each best/worst scenario."""
    return [
        (f"{item.id}.{side}", item.id, side)
        for item in data.doc.items_of("scenario")
        if item.mode != "rate_each"
        for side in ("best", "worst")
    ]


def responses_csv(data: VersionData) -> str:
    """One row per finished attempt: Likert answers (empty when "no opportunity yet" or not
    answered), each best/worst scenario's chosen option ids, then whether it is synthetic."""
    scenarios = _scenario_columns(data)
    header = ["row", "context", "locale", *(i.id for i in data.items)]
    header += [column for column, _, _ in scenarios] + ["synthetic"]
    rows = []
    for i in range(data.n):
        likert = [None if np.isnan(v) else int(v) for v in data.values[i]]
        chosen = [_choice(data.answers[i].get(item), side) for _, item, side in scenarios]
        rows.append([i + 1, data.contexts[i], data.locales[i], *likert, *chosen, data.synthetic[i]])
    return write_csv(header, rows)


def _choice(value: object, side: str) -> object:
    return value.get(side) if isinstance(value, dict) else None


def metadata_csv(data: VersionData) -> str:
    """One row per column of :func:`responses_csv` that holds an answer."""
    rows: list[list[object]] = [
        [
            item.id,
            item.id,
            "likert",
            item.scale,
            item.reverse,
            item.min,
            item.max,
            "no opportunity yet or not answered" if item.no_opportunity else "not answered",
            "",
        ]
        for item in data.items
    ]
    scenario_by_id = {item.id: item for item in data.doc.items_of("scenario")}
    for column, scenario, side in _scenario_columns(data):
        options = " ".join(o.id for o in scenario_by_id[scenario].options)
        rows.append(
            [column, scenario, f"scenario_{side}", "", False, "", "", "not answered", options]
        )
    return write_csv(METADATA_HEADER, rows)
