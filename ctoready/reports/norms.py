"""Reference groups and percentiles: only against a named, dated group of 300 or more.

A reference group is the newest frozen norm of the version (``ctoready norms build``: named,
dated, never changing) or, until one is built, everyone who finished the same instrument
version up to today (never the synthetic attempts of ``ctoready demo``). The daily group
is built from the headline scores stored beside each snapshot (one indexed query, no
snapshot parsing) and cached per version and day.
"""

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from django.core.cache import cache
from django.utils import timezone

from ctoready import scoring
from ctoready.assessments.models import Attempt
from ctoready.instruments.models import InstrumentVersion
from ctoready.reports.models import Report

MIN_REFERENCE = 300
Z95 = 1.959963984540054  # the scoring engine's 95% z (not exported by ctoready.scoring)


@dataclass(frozen=True)
class ReferenceGroup:
    version_label: str
    as_of: date
    n: int
    values: dict[str, np.ndarray]  # key -> sorted reference scores
    name: str = ""  # a frozen norm's name and number; "" for everyone up to today

    @property
    def usable(self) -> bool:
        return self.n >= MIN_REFERENCE


@dataclass(frozen=True)
class Percentile:
    value: int
    low: int
    high: int


def collect_scores(
    versions: list[InstrumentVersion], context: str = ""
) -> tuple[int, dict[str, np.ndarray]]:
    """Headline scores of the real finished attempts of these version rows (one context,
    or all with ""), each attempt once with its newest snapshot, sorted per score key."""
    rows = Report.objects.filter(
        version__in=versions, attempt__status=Attempt.Status.FINISHED
    ).filter(attempt__synthetic__isnull=True)  # simulated by `ctoready demo`: never a norm
    if context:
        rows = rows.filter(attempt__context=context)
    ordered = rows.order_by("attempt_id", "-created_at", "-pk").values_list("attempt_id", "scores")
    seen: set[int] = set()
    collected: dict[str, list[float]] = {}
    for attempt_id, scores in ordered.iterator(chunk_size=2000):
        if attempt_id in seen:
            continue  # a rescored attempt counts once, with its newest snapshot
        seen.add(attempt_id)
        for key, value in scores.items():
            collected.setdefault(key, []).append(value)
    return len(seen), {k: np.sort(np.asarray(v, dtype=float)) for k, v in collected.items()}


def _load(version: InstrumentVersion) -> tuple[int, dict[str, np.ndarray]]:
    return collect_scores([version])


_frozen_groups: dict[int, ReferenceGroup] = {}  # norm id -> group: a norm never changes
DAY = 60 * 60 * 26


def _frozen_key(version_pk: int) -> str:
    return f"reports:norms:frozen:{version_pk}"


def remember_norm(*, version_pks: list[int], norm_id: int) -> None:
    """Tell every process that reports of these versions now use norm ``norm_id``
    (processes already holding today's group switch the next day)."""
    cache.set_many({_frozen_key(pk): norm_id for pk in version_pks}, DAY)


def _newest_norm_id(version: InstrumentVersion) -> int:
    from ctoready.analytics.models import Norm  # the norms' home; imported late (app order)

    newest = (
        Norm.objects.filter(
            instrument_slug=version.instrument.slug,
            instrument_version=version.version,
            context="",
        )
        .values_list("pk", flat=True)
        .first()
    )
    return newest or 0


def _frozen(norm_id: int, version: InstrumentVersion) -> ReferenceGroup:
    """A frozen norm as a reference group, its scores read once per process."""
    from ctoready.analytics.models import Norm

    if norm_id not in _frozen_groups:
        norm = Norm.objects.get(pk=norm_id)
        values = {k: np.asarray(v, dtype=float) for k, v in norm.values.items()}
        _frozen_groups[norm_id] = ReferenceGroup(
            version.label,
            timezone.localdate(norm.built_at),
            norm.n,
            values,
            f"{norm.name} v{norm.number}",
        )
    return _frozen_groups[norm_id]


# Per process, one group per version for the current day. Kept in memory rather than in
# Django's cache: with 100,000 attempts a group is megabytes of arrays, and unpickling it
# from a cache on every page would cost more than the page itself.
_groups: dict[int, tuple[tuple[str, date], ReferenceGroup]] = {}


def reference_group(version: InstrumentVersion) -> ReferenceGroup:
    """The newest frozen norm of the version (``ctoready norms build``) when one exists;
    otherwise everyone who finished it up to today. Resolved once a day by the first
    process that needs it, then shared: the others read which norm applies, or the sorted
    arrays, from the shared cache (one read, a few ms) instead of every report."""
    key = (version.content_hash, timezone.localdate())
    held = _groups.get(version.pk)
    if held is not None and held[0] == key:
        return held[1]
    cache_key = f"reports:norms:{version.pk}:{key[0][:16]}:{key[1].isoformat()}"
    found = cache.get_many([_frozen_key(version.pk), cache_key])
    norm_id = found.get(_frozen_key(version.pk))
    if norm_id is None:
        norm_id = _newest_norm_id(version)
        cache.set(_frozen_key(version.pk), norm_id, DAY)
    if norm_id:
        group = _frozen(norm_id, version)
    else:
        stored = found.get(cache_key)
        if stored is not None:
            n, values = _unpack(stored)
        else:
            n, values = _load(version)
            cache.set(cache_key, _pack(n, values), DAY)
        group = ReferenceGroup(version.label, key[1], n, values)
    _groups[version.pk] = (key, group)
    return group


def _pack(n: int, values: dict[str, np.ndarray]) -> bytes:
    buffer = io.BytesIO()
    arrays: dict[str, Any] = {"__n": np.asarray([n]), **values}
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def _unpack(data: bytes) -> tuple[int, dict[str, np.ndarray]]:
    with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
        values = {name: arrays[name] for name in arrays.files if name != "__n"}
        return int(arrays["__n"][0]), values


def forget_reference_groups() -> None:
    """Drop the groups held in this process (tests; after a bulk import of attempts, also
    clear the shared cache)."""
    _groups.clear()
    _frozen_groups.clear()


def _mid_rank(ref: np.ndarray, x: float) -> float:
    below = np.searchsorted(ref, x, side="left")
    not_above = np.searchsorted(ref, x, side="right")
    return float(below + 0.5 * (not_above - below))


def percentile(
    group: ReferenceGroup, key: str, score: float | None, se: float | None
) -> Percentile | None:
    """The percentile rank of a score, or None when there is no usable reference."""
    ref = group.values.get(key)
    if not group.usable or score is None or ref is None or ref.size < MIN_REFERENCE:
        return None
    return Percentile(*(round(v) for v in percentile_of_sorted(score, se or 0.0, ref)))


def percentile_of_sorted(score: float, se: float, ref: np.ndarray) -> tuple[float, float, float]:
    """:func:`ctoready.scoring.percentile_rank` for a reference that is already sorted and
    checked: two binary searches instead of a sort per call (the scoring function sorts
    and validates 100,000 values each time, ~10 ms). A test holds the two equal."""
    n = int(ref.size)
    low, _ = scoring.wilson_interval(_mid_rank(ref, score - Z95 * se), n, Z95)
    _, high = scoring.wilson_interval(_mid_rank(ref, score + Z95 * se), n, Z95)
    return 100.0 * _mid_rank(ref, score) / n, 100.0 * low, 100.0 * high
