"""How far people get and how long they take: the funnel and completion times of a version.

A page counts as reached when it was shown (its measured visit, docs/timing-model.md) or
when any of its questions, or a later page's, has an answer (attempts from before page
visits were recorded, or taken through the API). Completion times are the measured
``core_seconds`` and ``deep_seconds``: server clock, start to finish, pauses included.
"""

from dataclasses import dataclass

import numpy as np
from django.db.models import Case, IntegerField, Max, QuerySet, Value, When

from ctoready.analytics.data import VersionData
from ctoready.analytics.figures import MIN_CELL
from ctoready.assessments.models import Answer, Attempt, PageVisit
from ctoready.instruments.models import InstrumentVersion
from ctoready.instruments.services import document_for


@dataclass(frozen=True)
class FunnelStep:
    kind: str  # "started" | "page" | "core_finished" | "deep_started" | "deep_finished"
    label: str
    count: int | None  # None when suppressed (1 to 9 people)
    lost: int | None  # people who did not get past the previous step


def _suppress(count: int) -> int | None:
    """A count of 1 to 9 people is withheld; nobody (0) identifies no one."""
    return count if count >= MIN_CELL or count == 0 else None


def _furthest_pages(attempts: QuerySet[Attempt], page_of: dict[str, int]) -> dict[int, int]:
    """Per attempt, the 0-based index of the furthest page shown or answered (each the
    database's maximum per attempt: a version's answers are millions of rows)."""
    page = Case(
        *(When(item_id=ref, then=Value(i)) for ref, i in page_of.items()),
        default=Value(-1),
        output_field=IntegerField(),
    )
    answered = (
        Answer.objects.filter(attempt__in=attempts, value__isnull=False)
        .values("attempt_id")
        .annotate(furthest=Max(page))
        .values_list("attempt_id", "furthest")
    )
    furthest: dict[int, int] = dict(answered.iterator(5000))
    visits = (
        PageVisit.objects.filter(attempt__in=attempts)
        .values("attempt_id")
        .annotate(last=Max("number"))
        .values_list("attempt_id", "last")
    )
    for attempt_id, number in visits.iterator(5000):
        furthest[attempt_id] = max(furthest.get(attempt_id, -1), number - 1)
    return furthest


def funnel(versions: list[InstrumentVersion], *, include_synthetic: bool) -> list[FunnelStep]:
    """Started, each page reached, core finished, deep-dive started and finished: counts
    and the drop-off before each step."""
    doc = document_for(versions[0])
    page_of = {item: i for i, page in enumerate(doc.pages) for item in page.items}
    attempts = Attempt.objects.filter(version__in=versions)
    if not include_synthetic:
        attempts = attempts.filter(synthetic__isnull=True)
    furthest = _furthest_pages(attempts, page_of)
    finished = attempts.filter(status=Attempt.Status.FINISHED)
    counts = [
        ("started", "", attempts.count()),
        *(
            ("page", page.title, sum(1 for p in furthest.values() if p >= i))
            for i, page in enumerate(doc.pages)
        ),
        ("core_finished", "", finished.count()),
        ("deep_started", "", finished.filter(deep_started_at__isnull=False).count()),
        ("deep_finished", "", finished.filter(deep_finished_at__isnull=False).count()),
    ]
    steps = []
    for i, (kind, label, count) in enumerate(counts):
        lost = max(0, counts[i - 1][2] - count) if i else 0
        steps.append(FunnelStep(kind, label, _suppress(count), _suppress(lost)))
    return steps


@dataclass(frozen=True)
class Bin:
    low: float
    high: float
    count: int | None  # None when suppressed


@dataclass(frozen=True)
class CompletionTimes:
    part: str
    n: int
    median: float | None  # minutes
    p90: float | None
    bins: list[Bin]


def completion_times(data: VersionData, part: str = "core", width: float = 2.0) -> CompletionTimes:
    """Measured minutes of the core (or the deep-dive) of finished attempts, binned
    ``width`` minutes wide (the last bin holds everything from 30 minutes up)."""
    seconds = data.core_seconds if part == "core" else data.deep_seconds
    minutes = np.array([s / 60.0 for s in seconds if s is not None])
    if minutes.size < MIN_CELL:
        return CompletionTimes(part, int(minutes.size), None, None, [])
    edges = np.arange(0.0, 30.0 + width, width)
    counts = np.histogram(np.minimum(minutes, 30.0 - 1e-9), bins=edges)[0]
    bins = [
        Bin(float(lo), float(hi), _suppress(int(c)))
        for lo, hi, c in zip(edges[:-1], edges[1:], counts, strict=True)
    ]
    return CompletionTimes(
        part=part,
        n=int(minutes.size),
        median=float(np.median(minutes)),
        p90=float(np.quantile(minutes, 0.9)),
        bins=bins,
    )
