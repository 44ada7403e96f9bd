"""How far people get and how long they take: the funnel and completion times of a version.

Until page times are measured, a page counts as reached when any of its questions (or of a
later page's) has an answer, and completion time is the time from starting to finishing,
pauses included; both say so where they are shown.
"""

from dataclasses import dataclass

import numpy as np

from ctoready.analytics.data import VersionData
from ctoready.analytics.figures import MIN_CELL
from ctoready.assessments.models import Answer, Attempt
from ctoready.instruments.models import InstrumentVersion
from ctoready.instruments.services import document_for


@dataclass(frozen=True)
class FunnelStep:
    label: str
    count: int | None  # None when suppressed (fewer than ten people)
    lost: int | None  # people who did not get past the previous step


def _suppress(count: int) -> int | None:
    """A count of 1 to 9 people is withheld; nobody (0) identifies no one."""
    return count if count >= MIN_CELL or count == 0 else None


def funnel(versions: list[InstrumentVersion], *, include_synthetic: bool) -> list[FunnelStep]:
    """Started, each page reached, finished: counts and the drop-off before each step."""
    doc = document_for(versions[0])
    page_of = {item: i for i, page in enumerate(doc.pages) for item in page.items}
    attempts = Attempt.objects.filter(version__in=versions)
    if not include_synthetic:
        attempts = attempts.filter(synthetic__isnull=True)
    furthest: dict[int, int] = {}
    answered = Answer.objects.filter(attempt__in=attempts, value__isnull=False)
    for attempt_id, item_id in answered.values_list("attempt_id", "item_id").iterator(5000):
        page = page_of.get(item_id, -1)
        furthest[attempt_id] = max(furthest.get(attempt_id, -1), page)
    started = attempts.count()
    finished = attempts.filter(status=Attempt.Status.FINISHED).count()
    reached = [sum(1 for p in furthest.values() if p >= i) for i in range(len(doc.pages))]
    counts = [started, *reached, finished]
    labels = ["started", *(page.title for page in doc.pages), "finished"]
    steps = []
    for i, (label, count) in enumerate(zip(labels, counts, strict=True)):
        lost = counts[i - 1] - count if i else 0
        steps.append(FunnelStep(label, _suppress(count), _suppress(lost)))
    return steps


@dataclass(frozen=True)
class Bin:
    low: float
    high: float
    count: int | None  # None when suppressed


@dataclass(frozen=True)
class CompletionTimes:
    n: int
    median: float | None  # minutes
    p90: float | None
    bins: list[Bin]


def completion_times(data: VersionData, width: float = 2.0) -> CompletionTimes:
    """Minutes from start to finish of the finished attempts, binned ``width`` minutes wide
    (the last bin holds everything from 30 minutes up)."""
    minutes = np.array(
        [(f - c).total_seconds() / 60.0 for c, f in zip(data.created, data.finished, strict=True)]
    )
    if minutes.size < MIN_CELL:
        return CompletionTimes(int(minutes.size), None, None, [])
    edges = np.arange(0.0, 30.0 + width, width)
    counts = np.histogram(np.minimum(minutes, 30.0 - 1e-9), bins=edges)[0]
    bins = [
        Bin(float(lo), float(hi), _suppress(int(c)))
        for lo, hi, c in zip(edges[:-1], edges[1:], counts, strict=True)
    ]
    return CompletionTimes(
        n=int(minutes.size),
        median=float(np.median(minutes)),
        p90=float(np.quantile(minutes, 0.9)),
        bins=bins,
    )
