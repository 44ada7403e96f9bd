"""The responses of one instrument version as arrays: what every figure is computed from.

One query for the attempts with their answer sheets, and one for the answers of any
attempt without a current sheet; the export, the operator pages and the manual all read
this, so the manual's figures are the exported file's figures.
Synthetic attempts (``ctoready demo``) are left out unless asked for.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
from django.db.models import BooleanField, ExpressionWrapper

from ctoready.assessments import sheets
from ctoready.assessments.models import Answer, Attempt
from ctoready.instruments.document import Instrument, Item
from ctoready.instruments.models import InstrumentVersion
from ctoready.instruments.services import document_for

_CHUNK = 1000  # attempts per query when reading answer rows by attempt


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
    core_seconds: list[int | None]  # measured, server clock, pauses included
    deep_seconds: list[int | None]
    items: list[ItemMeta]
    values: np.ndarray  # attempts x Likert items, raw answers 1..K, NaN when missing
    no_opportunity: np.ndarray  # attempts x Likert items, True where "no opportunity yet"
    # Per attempt: its answers, or its answer sheet's JSON text until ``answers`` is read.
    stored_answers: list[dict[str, Any] | str] = field(repr=False)

    @cached_property
    def answers(self) -> list[dict[str, Any]]:
        """Every stored answer, per attempt: decoded on first use (item statistics and
        reliability need only the matrices)."""
        return [json.loads(a) if isinstance(a, str) else a for a in self.stored_answers]

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
    """Every finished attempt of ``versions`` (the languages of one version) as arrays.

    Each attempt's answers come from its answer sheet when that is current
    (``sheets.CURRENT``), otherwise from its ``Answer`` rows; both give the same arrays.
    """
    doc = document_for(versions[0])
    items = [item_meta(doc, item) for item in doc.likert_items]
    attempts = finished_attempts(versions, include_synthetic=include_synthetic)
    rows = list(
        attempts.order_by("finished_at", "pk").values_list(
            "pk",
            "locale",
            "context",
            "synthetic__seed",
            "core_seconds",
            "deep_seconds",
            ExpressionWrapper(sheets.CURRENT, output_field=BooleanField()),
            "sheet__likert",
            "sheet__answers",
        )
    )
    values = np.full((len(rows), len(items)), np.nan)
    no_opportunity = np.zeros((len(rows), len(items)), dtype=bool)
    stored: list[dict[str, Any] | str] = [{} for _ in rows]
    from_sheets = [i for i, row in enumerate(rows) if row[6]]
    if from_sheets:
        for i in from_sheets:
            stored[i] = rows[i][8]
        where = np.array(from_sheets, dtype=np.int64)
        vectors = [rows[i][7] for i in from_sheets]
        values[where], no_opportunity[where] = sheets.read_vectors(vectors, len(items))
    if len(from_sheets) < len(rows):
        index = {row[0]: i for i, row in enumerate(rows) if not row[6]}
        _read_rows(index, items, stored, values, no_opportunity)
    return VersionData(
        label=versions[0].label,
        doc=doc,
        attempt_ids=[row[0] for row in rows],
        locales=[row[1] for row in rows],
        contexts=[row[2] for row in rows],
        synthetic=[row[3] is not None for row in rows],
        core_seconds=[row[4] for row in rows],
        deep_seconds=[row[5] for row in rows],
        items=items,
        values=values,
        no_opportunity=no_opportunity,
        stored_answers=stored,
    )


def _read_rows(
    index: dict[int, int],
    items: list[ItemMeta],
    stored: list[dict[str, Any] | str],
    values: np.ndarray,
    no_opportunity: np.ndarray,
) -> None:
    """Fill in the answers of the attempts in ``index`` (pk: row) from their ``Answer`` rows.

    By primary key, a thousand at a time, so every answer read belongs to an attempt the
    first query found, even when one has changed since (a deep-dive started).
    """
    column = {item.id: j for j, item in enumerate(items)}
    cells: list[tuple[int, int, int]] = []  # (attempt, item, value) of the Likert matrix
    not_yet: list[tuple[int, int]] = []  # where the answer is "no opportunity yet"
    for attempt_id, item_id, value in _answer_rows(list(index)):
        i = index[attempt_id]
        given = stored[i]
        assert isinstance(given, dict)
        given[item_id] = value
        j = column.get(item_id)
        if j is not None:
            if isinstance(value, int) and not isinstance(value, bool):
                cells.append((i, j, value))
            elif value == "na":
                not_yet.append((i, j))
    if cells:
        at = np.array(cells, dtype=np.int64)
        values[at[:, 0], at[:, 1]] = at[:, 2]
    if not_yet:
        where = np.array(not_yet, dtype=np.int64)
        no_opportunity[where[:, 0], where[:, 1]] = True


def _answer_rows(pks: list[int]) -> Iterator[tuple[int, str, Any]]:
    for start in range(0, len(pks), _CHUNK):
        yield from sheets.stored_answers(
            Answer.objects.filter(attempt_id__in=pks[start : start + _CHUNK])
        )
