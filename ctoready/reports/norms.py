"""Reference groups and percentiles: only against a named, dated group of 300 or more.

A reference group is everyone who finished the same instrument version, up to today. It
is built from the headline scores stored beside each snapshot (one indexed query, no
snapshot parsing) and cached per version and day.
"""

from dataclasses import dataclass
from datetime import date

import numpy as np
from django.core.cache import cache
from django.utils import timezone

from ctoready import scoring
from ctoready.assessments.models import Attempt
from ctoready.instruments.models import InstrumentVersion
from ctoready.reports.models import Report

MIN_REFERENCE = 300


@dataclass(frozen=True)
class ReferenceGroup:
    version_label: str
    as_of: date
    n: int
    values: dict[str, np.ndarray]  # key -> sorted reference scores

    @property
    def usable(self) -> bool:
        return self.n >= MIN_REFERENCE


@dataclass(frozen=True)
class Percentile:
    value: int
    low: int
    high: int


def _load(version: InstrumentVersion) -> tuple[int, dict[str, np.ndarray]]:
    rows = (
        Report.objects.filter(version=version, attempt__status=Attempt.Status.FINISHED)
        .order_by("attempt_id", "-created_at", "-pk")
        .values_list("attempt_id", "scores")
    )
    seen: set[int] = set()
    collected: dict[str, list[float]] = {}
    for attempt_id, scores in rows.iterator(chunk_size=2000):
        if attempt_id in seen:
            continue  # a rescored attempt counts once, with its newest snapshot
        seen.add(attempt_id)
        for key, value in scores.items():
            collected.setdefault(key, []).append(value)
    return len(seen), {k: np.sort(np.asarray(v, dtype=float)) for k, v in collected.items()}


def reference_group(version: InstrumentVersion) -> ReferenceGroup:
    today = timezone.localdate()
    key = f"reports:reference:{version.pk}:{version.content_hash[:12]}:{today.isoformat()}"
    group: ReferenceGroup | None = cache.get(key)
    if group is None:
        n, values = _load(version)
        group = ReferenceGroup(version.label, today, n, values)
        cache.set(key, group, 60 * 60 * 25)
    return group


def percentile(
    group: ReferenceGroup, key: str, score: float | None, se: float | None
) -> Percentile | None:
    """The percentile rank of a score, or None when there is no usable reference."""
    ref = group.values.get(key)
    if not group.usable or score is None or ref is None or ref.size < MIN_REFERENCE:
        return None
    rank = scoring.percentile_rank(score, ref, sem=se or 0.0, min_n=MIN_REFERENCE)
    return Percentile(round(rank.percentile), round(rank.ci95_low), round(rank.ci95_high))
