"""The figures of the operator's version page, kept so that the page answers at any size.

Computing them reads every answer of the version: about 20 s of CPU at 100,000 finished
attempts on SQLite (docs/performance.md), longer than a web request may last (the proxy
in front gives up after 60 s: deploy/nginx). So they are kept in the shared cache with a
*stamp* of what they were computed from (the attempts counted, the latest one, the latest
finish), per version, language and choice of synthetic attempts, and:

- figures kept with the stamp the data has now are shown at once;
- up to ``INLINE_LIMIT`` finished attempts, figures are computed while the operator
  waits (under a second or two) and kept;
- beyond it, a background task computes them. Meanwhile the page shows the figures kept
  before, saying when and from how many finished attempts they were computed, or, the
  first time, that they are being computed (and reloads itself).

The public manual keeps its figures from answers the same way (:func:`kept`), computed
during the request whatever the size (about 2.4 s at 100,000 finished attempts).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ctoready.analytics import figures, flow
from ctoready.analytics.charts import bar_chart
from ctoready.analytics.data import load_version_data
from ctoready.assessments.models import Attempt
from ctoready.instruments.models import InstrumentVersion

# Finished attempts whose figures are computed during the request (about 0.2 ms each).
INLINE_LIMIT = 5_000
# A computation still marked as running after this is taken as lost (a worker stopped)
# and is asked for again.
PENDING_SECONDS = 15 * 60
KEEP_SECONDS = 30 * 24 * 60 * 60

Stamp = tuple[int, int, int, str, int]


@dataclass(frozen=True)
class Counts:
    """What the version page's template reads of a version's data: how many finished
    attempts the figures come from, and how many of them are synthetic."""

    n: int
    n_synthetic: int


@dataclass(frozen=True)
class Snapshot:
    stamp: Stamp
    computed_at: dt.datetime
    figures: dict[str, Any]


@dataclass(frozen=True)
class Shown:
    snapshot: Snapshot | None  # the figures to show (None: none computed yet)
    pending: bool  # newer figures are being computed in the background
    finished: int  # finished attempts now


def version_figures(
    versions: list[InstrumentVersion], *, include_synthetic: bool
) -> dict[str, Any]:
    """Every figure of the version page, computed from the stored answers."""
    data = load_version_data(versions, include_synthetic=include_synthetic)
    scales = figures.scale_rows(data)
    steps = flow.funnel(versions, include_synthetic=include_synthetic)
    times = flow.completion_times(data)
    started = steps[0].count or 0
    funnel_chart = bar_chart([(_step_label(s), s.count) for s in steps], float(max(started, 1)))
    return {
        "data": Counts(n=data.n, n_synthetic=data.n_synthetic),
        "scales": scales,
        "reliability_chart": bar_chart([(s.name, s.alpha) for s in scales], 1.0, digits=2),
        "correlations": figures.scale_correlations(data),
        "scenarios": figures.choice_rates(data),
        "dif": figures.dif_by_language(data),
        "min_dif": figures.MIN_DIF_GROUP,
        "funnel": steps,
        "funnel_chart": funnel_chart,
        "funnel_rows": list(zip(steps, funnel_chart.bars, strict=True)),
        "times": times,
        "deep_times": flow.completion_times(data, part="deep"),
        "times_chart": bar_chart(
            [(f"{b.low:.0f}–{b.high:.0f} min", b.count) for b in times.bins],
            float(max([b.count or 0 for b in times.bins] + [1])),
        ),
    }


def _step_label(step: flow.FunnelStep) -> str:
    labels = {
        "started": _("Started"),
        "core_finished": _("Core finished (report)"),
        "deep_started": _("Deep-dive started"),
        "deep_finished": _("Deep-dive finished"),
    }
    return labels.get(step.kind, step.label)


def stamp(versions: list[InstrumentVersion], *, include_synthetic: bool) -> Stamp:
    """What the figures rest on, in one indexed read: attempts started (and the latest),
    finished (and the latest finish), deep-dives finished. An erased attempt changes it."""
    attempts = Attempt.objects.filter(version__in=versions)
    if not include_synthetic:
        attempts = attempts.filter(synthetic__isnull=True)
    finished = Q(status=Attempt.Status.FINISHED)
    got = attempts.aggregate(
        started=Count("pk"),
        latest=Max("pk"),
        finished=Count("pk", filter=finished),
        last_finish=Max("finished_at"),
        deep=Count("pk", filter=Q(deep_finished_at__isnull=False)),
    )
    last_finish = got["last_finish"].isoformat() if got["last_finish"] else ""
    return (got["started"], got["latest"] or 0, got["finished"], last_finish, got["deep"])


def _key(pks_of: list[int], include_synthetic: bool, language: str, kind: str = "version") -> str:
    pks = "-".join(str(pk) for pk in pks_of)
    return f"analytics:{kind}:{pks}:{int(include_synthetic)}:{language}"


def kept(
    kind: str,
    versions: list[InstrumentVersion],
    *,
    include_synthetic: bool,
    compute: Callable[[], dict[str, Any]],
) -> dict[str, Any]:
    """Figures of ``kind`` (such as the public manual's) for these versions in the active
    language: kept ones while the data's stamp is unchanged, else ``compute()``'s, kept.
    Computed during the request, however large the version."""
    language = translation.get_language() or "en"
    key = _key([v.pk for v in versions], include_synthetic, language, kind)
    now = stamp(versions, include_synthetic=include_synthetic)
    return (_current(key, now) or _keep(key, now, compute)).figures


def figures_for(versions: list[InstrumentVersion], *, include_synthetic: bool) -> Shown:
    """The version page's figures in the active language: see the module."""
    pks = [version.pk for version in versions]
    language = translation.get_language() or "en"
    key = _key(pks, include_synthetic, language)
    now = stamp(versions, include_synthetic=include_synthetic)
    finished = now[2]
    current = _current(key, now)
    if current is not None:
        return Shown(current, pending=False, finished=finished)
    if finished <= INLINE_LIMIT:
        compute = functools.partial(version_figures, versions, include_synthetic=include_synthetic)
        computed = _keep(key, now, compute)
        return Shown(computed, pending=False, finished=finished)
    if cache.add(f"{key}:pending", True, PENDING_SECONDS):
        compute_version_figures.enqueue(pks, include_synthetic, language)
        # A backend that runs tasks at once (as the tests do) has them ready now.
        if (ready := _current(key, now)) is not None:
            return Shown(ready, pending=False, finished=finished)
    return Shown(cache.get(key), pending=True, finished=finished)


def _current(key: str, now: Stamp) -> Snapshot | None:
    """The snapshot kept under ``key`` if it rests on the data as it is now."""
    found: Snapshot | None = cache.get(key)
    return found if found is not None and found.stamp == now else None


def _keep(key: str, now: Stamp, compute: Callable[[], dict[str, Any]]) -> Snapshot:
    # ``now`` is read before the figures: data arriving meanwhile makes them stale, and the
    # next view computes them again.
    snapshot = Snapshot(stamp=now, computed_at=timezone.now(), figures=compute())
    cache.set(key, snapshot, KEEP_SECONDS)
    return snapshot


@task()
def compute_version_figures(version_pks: list[int], include_synthetic: bool, language: str) -> None:
    """Compute and keep a version page's figures (``figures_for`` asks for it)."""
    by_pk = InstrumentVersion.objects.in_bulk(version_pks)
    versions = [by_pk[pk] for pk in version_pks if pk in by_pk]
    key = _key(version_pks, include_synthetic, language)
    try:
        if len(versions) == len(version_pks):
            with translation.override(language):
                now = stamp(versions, include_synthetic=include_synthetic)
                compute = functools.partial(
                    version_figures, versions, include_synthetic=include_synthetic
                )
                _keep(key, now, compute)
    finally:
        cache.delete(f"{key}:pending")
