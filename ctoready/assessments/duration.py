"""How long the assessment takes: the timing model's estimate, or measured once there is data.

The landing page, the API (and so the terminal client) and ``ctoready simulate`` read the
length from here, never from a typed number. Until ``MEASURED_MIN_ATTEMPTS`` attempts of a
version (one language) have finished their core, the figure is the documented timing
model's (docs/timing-model.md), labelled as simulated; from then on it is the measured
median of their core completion times.
"""

import math
import time
from dataclasses import dataclass

import numpy as np

from ctoready.assessments.models import Attempt
from ctoready.instruments import timing
from ctoready.instruments.models import InstrumentVersion

MEASURED_MIN_ATTEMPTS = 50
TARGET_MEDIAN, TARGET_P90 = 10.0, 12.0  # minutes: "about ten minutes" (issue #14)
MEASURED_TTL_SECONDS = 600  # measured medians move slowly; recount at most every ten minutes

_model: dict[tuple[int, str, str], "Figures"] = {}
_measured: dict[tuple[int, str], tuple[float, "Figures | None"]] = {}


@dataclass(frozen=True)
class Figures:
    median: float  # minutes
    p90: float
    n: int  # finished attempts measured; 0 for the model


@dataclass(frozen=True)
class Duration:
    """What to say about a part's length, and where the figure comes from."""

    minutes: int
    source: str  # "measured" or "simulated"
    model: Figures
    measured: Figures | None

    @property
    def meets_target(self) -> bool:
        figures = self.measured or self.model
        return figures.median <= TARGET_MEDIAN and figures.p90 <= TARGET_P90


def model_figures(version: InstrumentVersion, part: str = "core") -> Figures:
    key = (version.pk, version.content_hash, part)  # a draft's content may still change
    if key not in _model:
        estimate = timing.estimate(timing.part_document(version.content, part))
        _model[key] = Figures(estimate.median_minutes, estimate.p90_minutes, 0)
    return _model[key]


def measured_figures(version: InstrumentVersion, part: str = "core") -> Figures | None:
    """Median and 90th percentile of finished attempts' completion times, once there are
    enough of them (None before)."""
    key = (version.pk, part)
    cached = _measured.get(key)
    if cached is not None and time.monotonic() - cached[0] < MEASURED_TTL_SECONDS:
        return cached[1]
    field = "core_seconds" if part == "core" else "deep_seconds"
    seconds = list(
        Attempt.objects.filter(version=version, status=Attempt.Status.FINISHED)
        .exclude(**{f"{field}__isnull": True})
        .values_list(field, flat=True)
    )
    figures = None
    if len(seconds) >= MEASURED_MIN_ATTEMPTS:
        values = np.asarray(seconds, dtype=float) / 60.0
        figures = Figures(float(np.median(values)), float(np.quantile(values, 0.9)), len(values))
    _measured[key] = (time.monotonic(), figures)
    return figures


def part_duration(version: InstrumentVersion, part: str = "core") -> Duration:
    model = model_figures(version, part)
    measured = measured_figures(version, part)
    if measured is not None:
        return Duration(max(1, round(measured.median)), "measured", model, measured)
    minutes = max(1, round(model.median))
    if part == "core" and model.median <= TARGET_MEDIAN and model.p90 <= TARGET_P90:
        # The model's median is a typical reader; "about ten minutes" is what it promises
        # while its slow readers (90th percentile) stay within twelve.
        minutes = max(minutes, math.floor(TARGET_MEDIAN))
    return Duration(minutes, "simulated", model, None)


def forget_durations() -> None:
    """Drop cached figures (tests, and after importing versions)."""
    _model.clear()
    _measured.clear()
