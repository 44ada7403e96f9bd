"""The responses of one instrument version as arrays: what every figure is computed from.

One query for the attempts and one for their answers; the export, the operator pages and
the manual all read this, so the manual's figures are the exported file's figures.
Synthetic attempts (``ctoready demo``) are left out unless asked for.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from django.db.models import TextField
from django.db.models.functions import Cast

from ctoready.assessments.models import Answer, Attempt
from ctoready.instruments.document import Instrument, Item
from ctoready.instruments.models import InstrumentVersion
from ctoready.instruments.services import document_for


@dataclass(frozen=True)
class ItemMeta:
    """What an outside tool needs to read one exported column."""

    id: str
    type: str
    scale: str
    reverse: bool
    min: int
    max: int
    no_opportunity: bool


@dataclass(frozen=True)
class VersionData:
    """Finished attempts of one version (all its languages), oldest first."""

    label: str
    doc: Instrument
    attempt_ids: list[int]
    locales: list[str]
    contexts: list[str]
    synthetic: list[bool]
    created: list[datetime]
    finished: list[datetime]
    core_seconds: list[int | None]  # measured, server clock, pauses included
    deep_seconds: list[int | None]
    items: list[ItemMeta]
    values: np.ndarray  # attempts x Likert items, raw answers 1..K, NaN when missing
    no_opportunity: np.ndarray  # attempts x Likert items, True where "no opportunity yet"
    answers: list[dict[str, Any]]  # every stored answer, per attempt

    @property
    def n(self) -> int:
        return len(self.attempt_ids)

    @property
    def n_synthetic(self) -> int:
        return sum(self.synthetic)

    def columns(self, scale: str) -> list[int]:
        return [j for j, item in enumerate(self.items) if item.scale == scale]

    def keyed(self) -> np.ndarray:
        """Values with reverse-keyed items recoded ``min + max - x``."""
        out = self.values.copy()
        for j, item in enumerate(self.items):
            if item.reverse:
                out[:, j] = item.min + item.max - out[:, j]
        return out


def item_meta(doc: Instrument, item: Item) -> ItemMeta:
    scale = doc.response_scales[item.response_scale or ""]
    return ItemMeta(
        id=item.id,
        type=item.type,
        scale=item.scale or "",
        reverse=item.reverse,
        min=scale.points[0].value,
        max=scale.points[-1].value,
        no_opportunity=scale.no_opportunity is not None,
    )


def finished_attempts(versions: list[InstrumentVersion], *, include_synthetic: bool) -> Any:
    """The finished attempts of these version rows (a queryset), real ones only by default."""
    attempts = Attempt.objects.filter(version__in=versions, status=Attempt.Status.FINISHED)
    if not include_synthetic:
        attempts = attempts.filter(synthetic__isnull=True)
    return attempts


def load_version_data(
    versions: list[InstrumentVersion], *, include_synthetic: bool = False
) -> VersionData:
    """Every finished attempt of ``versions`` (the languages of one version) as arrays."""
    doc = document_for(versions[0])
    items = [item_meta(doc, item) for item in doc.likert_items]
    attempts = finished_attempts(versions, include_synthetic=include_synthetic)
    rows = list(
        attempts.order_by("finished_at", "pk").values_list(
            "pk",
            "locale",
            "context",
            "synthetic__seed",
            "created_at",
            "finished_at",
            "core_seconds",
            "deep_seconds",
        )
    )
    index = {row[0]: i for i, row in enumerate(rows)}
    column = {item.id: j for j, item in enumerate(items)}
    answers: list[dict[str, Any]] = [{} for _ in rows]
    # Each answer as its stored JSON text, decoded here once per distinct text: a whole
    # version holds millions of answers but few distinct ones ("1" to "5", "na", a scenario's
    # pair of options), and decoding each row through the model field was most of the time
    # at 100,000 attempts.
    stored = Answer.objects.filter(attempt__in=attempts).values_list(
        "attempt_id", "item_id", Cast("value", TextField())
    )
    decoded: dict[str | None, Any] = {None: None}
    cells: list[tuple[int, int, int]] = []  # (attempt, item, value) of the Likert matrix
    not_yet: list[tuple[int, int]] = []  # where the answer is "no opportunity yet"
    for attempt_id, item_id, text in stored.iterator(chunk_size=5000):
        if text in decoded:
            value = decoded[text]
        else:
            value = decoded[text] = json.loads(text)
        i = index[attempt_id]
        # (Only a scenario's answer is a mutable object: each attempt gets its own copy.)
        answers[i][item_id] = dict(value) if isinstance(value, dict) else value
        j = column.get(item_id)
        if j is not None:
            if isinstance(value, int) and not isinstance(value, bool):
                cells.append((i, j, value))
            elif value == "na":
                not_yet.append((i, j))
    values = np.full((len(rows), len(items)), np.nan)
    no_opportunity = np.zeros((len(rows), len(items)), dtype=bool)
    if cells:
        at = np.array(cells, dtype=np.int64)
        values[at[:, 0], at[:, 1]] = at[:, 2]
    if not_yet:
        where = np.array(not_yet, dtype=np.int64)
        no_opportunity[where[:, 0], where[:, 1]] = True
    return VersionData(
        label=versions[0].label,
        doc=doc,
        attempt_ids=[row[0] for row in rows],
        locales=[row[1] for row in rows],
        contexts=[row[2] for row in rows],
        synthetic=[row[3] is not None for row in rows],
        created=[row[4] for row in rows],
        finished=[row[5] for row in rows],
        core_seconds=[row[6] for row in rows],
        deep_seconds=[row[7] for row in rows],
        items=items,
        values=values,
        no_opportunity=no_opportunity,
        answers=answers,
    )
