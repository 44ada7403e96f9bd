"""Answer sheets: a finished attempt's answers in one row (``AnswerSheet``).

Analytics reads a whole version at once: at 100,000 attempts that is 5.6 million
``Answer`` rows, most of the time of an item analysis. A sheet holds the same answers in
one row per attempt: every answer as one JSON object, and the Likert answers again as a
vector of int16 in the document's order, which becomes the response matrix in one numpy
step.

The ``Answer`` rows stay the record; a sheet is written from them when the core finishes
and again when the deep-dive does, in the same transaction as the report. A sheet is
*current* (``CURRENT``) while the version's content is the one it was written for and no
deep-dive has changed the answers since; any other attempt is read from its rows.
"""

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import F, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from ctoready.assessments.models import Answer, AnswerSheet, Attempt
from ctoready.instruments.document import Instrument
from ctoready.instruments.models import InstrumentVersion
from ctoready.instruments.services import document_for

MISSING = -32768  # no answer, or one that is not a number ("no opportunity yet" has its own)
NOT_YET = -32767  # "no opportunity yet"
_LOW, _HIGH = -32766, 32767  # what a Likert answer may be to go into the vector

CURRENT = Q(sheet__content_hash=F("version__content_hash")) & (
    Q(deep_started_at__isnull=True)
    | Q(deep_finished_at__isnull=False, sheet__written_at__gte=F("deep_finished_at"))
)
"""The attempts (a filter on ``Attempt``) whose sheet holds exactly their answers: written
for the version's content, with no deep-dive started or written when the deep-dive
finished or after (a release without sheets, rolled back to, finishes deep-dives without
writing one)."""


def likert_vector(doc: Instrument, answers: dict[str, Any]) -> bytes:
    """The Likert answers as int16, one per Likert item in the document's order.

    A number is the answer; "na" is ``NOT_YET``; anything else (no answer, ``None``, a
    number outside int16) is ``MISSING``, as analytics reads the rows.
    """
    out = np.full(len(doc.likert_items), MISSING, dtype="<i2")
    for j, item in enumerate(doc.likert_items):
        value = answers.get(item.id)
        if isinstance(value, int) and not isinstance(value, bool) and _LOW <= value <= _HIGH:
            out[j] = value
        elif value == "na":
            out[j] = NOT_YET
    return out.tobytes()


def read_vectors(vectors: list[bytes], items: int) -> tuple[np.ndarray, np.ndarray]:
    """Sheets' vectors as (values with NaN where missing, "no opportunity yet" flags)."""
    raw = np.frombuffer(b"".join(vectors), dtype="<i2").reshape(len(vectors), items)
    values = np.where(raw >= _LOW, raw, np.nan)
    return values, raw == NOT_YET


def write_sheet(
    attempt: Attempt, answers: dict[str, Any], *, written_at: datetime | None = None
) -> None:
    """Store ``answers`` (all of the attempt's) as its sheet, replacing an earlier one."""
    _upsert([_sheet(attempt.pk, attempt.version, answers, written_at=written_at)])


def _upsert(sheets: Iterable[AnswerSheet]) -> None:
    """Insert these sheets, replacing any of the same attempts (one statement)."""
    AnswerSheet.objects.bulk_create(
        sheets,
        update_conflicts=True,
        unique_fields=["attempt"],
        update_fields=["content_hash", "likert", "answers", "written_at"],
    )


def _sheet(
    attempt_id: int,
    version: InstrumentVersion,
    answers: dict[str, Any],
    *,
    written_at: datetime | None = None,
) -> AnswerSheet:
    return AnswerSheet(
        attempt_id=attempt_id,
        content_hash=version.content_hash,
        likert=likert_vector(document_for(version), answers),
        answers=json.dumps(answers, separators=(",", ":")),
        written_at=written_at or timezone.now(),
    )


def stored_answers(rows: QuerySet[Answer]) -> Iterator[tuple[int, str, Any]]:
    """(attempt id, item id, value) of each of these answer rows.

    Each value is decoded from its stored JSON text once per distinct text: a version holds
    millions of answers but few distinct ones ("1" to "5", "na", a scenario's pair of
    options), and decoding each row through the model field costs several times more. Only
    a scenario's answer is a mutable object: each row gets its own copy.
    """
    decoded: dict[str | None, Any] = {None: None}
    texts = rows.values_list("attempt_id", "item_id", Cast("value", TextField()))
    for attempt_id, item_id, text in texts.iterator(chunk_size=5000):
        if text in decoded:
            value = decoded[text]
        else:
            value = decoded[text] = json.loads(text)
        yield attempt_id, item_id, dict(value) if isinstance(value, dict) else value


def write_missing(*, batch: int = 1000) -> int:
    """Write the sheet of every finished attempt whose sheet is missing or out of date
    (attempts finished before sheets existed), a batch per transaction; returns how many
    were written."""
    stale = (
        Attempt.objects.filter(status=Attempt.Status.FINISHED)
        .exclude(CURRENT)
        .exclude(deep_started_at__isnull=False, deep_finished_at__isnull=True)
        .order_by("pk")
    )
    versions: dict[int, InstrumentVersion] = {}
    written = 0
    after = 0
    while True:
        # Locked while read and written: a deep-dive finishing meanwhile waits for this.
        with transaction.atomic():
            locked = stale.filter(pk__gt=after).select_for_update(of=("self",))
            chunk = dict(locked.values_list("pk", "version_id")[:batch])
            if not chunk:
                return written
            for pk in set(chunk.values()) - versions.keys():
                versions[pk] = InstrumentVersion.objects.get(pk=pk)
            answers: dict[int, dict[str, Any]] = {pk: {} for pk in chunk}
            for attempt_id, item_id, value in stored_answers(
                Answer.objects.filter(attempt__in=chunk)
            ):
                answers[attempt_id][item_id] = value
            _upsert(_sheet(pk, versions[v], answers[pk]) for pk, v in chunk.items())
        written += len(chunk)
        after = max(chunk)
