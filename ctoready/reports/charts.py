"""SVG geometry for report charts: Python computes every coordinate, a template draws them.

Nothing here emits markup; the templates do, so escaping stays with Django's autoescape
and the same drawing goes into the page and the PDF.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop

WIDTH, HEIGHT = 640, 500
CENTRE_X, CENTRE_Y = 320.0, 250.0
RADIUS = 165.0
LABEL_GAP = 16.0
LABEL_LINE_CHARS = 16
RINGS = (20, 40, 60, 80, 100)
NOT_SCORED = gettext_noop("(not scored)")


@dataclass(frozen=True)
class RadarInput:
    label: str
    score: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True)
class Point:
    x: float
    y: float


@dataclass(frozen=True)
class Axis:
    label: str
    lines: tuple[str, ...]
    end: Point
    label_at: Point
    anchor: str  # SVG text-anchor: start | middle | end
    first_dy: float  # em offset of the first label line, so the block centres on label_at
    score: Point | None
    whisker_low: Point | None
    whisker_high: Point | None


@dataclass(frozen=True)
class Radar:
    width: int
    height: int
    centre: Point
    axes: tuple[Axis, ...]
    rings: tuple[tuple[int, str], ...]  # (value, polygon points)
    ring_labels: tuple[tuple[int, Point], ...]
    score_points: str  # polygon through the sufficient scores ("" when fewer than three)
    band_path: str  # the 95% band as an even-odd ring ("" when fewer than three)


def _at(angle: float, value: float) -> Point:
    r = RADIUS * max(0.0, min(100.0, value)) / 100.0
    return Point(round(CENTRE_X + r * math.cos(angle), 1), round(CENTRE_Y + r * math.sin(angle), 1))


def _points(points: Sequence[Point]) -> str:
    return " ".join(f"{p.x},{p.y}" for p in points)


def _path(points: Sequence[Point]) -> str:
    return "M" + " L".join(f"{p.x},{p.y}" for p in points) + " Z"


def wrap(text: str, width: int = LABEL_LINE_CHARS) -> tuple[str, ...]:
    """Greedy word wrap for SVG labels (SVG 1.1 text does not wrap by itself)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return tuple(lines) or ("",)


def _anchor(angle: float) -> str:
    cos = math.cos(angle)
    return "middle" if abs(cos) < 0.2 else ("start" if cos > 0 else "end")


def _label(angle: float, lines: tuple[str, ...]) -> tuple[Point, float]:
    at = _at(angle, 100.0 + 100.0 * LABEL_GAP / RADIUS)
    sin = math.sin(angle)
    # Above the centre the block grows upwards, below it downwards, beside it centred.
    if sin < -0.2:
        first_dy = -(len(lines) - 1) * 1.1
    elif sin > 0.2:
        first_dy = 0.8
    else:
        first_dy = 0.35 - (len(lines) - 1) * 0.55
    return at, round(first_dy, 2)


def radar(scales: Sequence[RadarInput]) -> Radar:
    """A radar chart: one axis per scale starting at twelve o'clock, clockwise."""
    n = len(scales)
    if n < 3:
        raise ValueError("a radar chart needs at least three scales")
    angles = [-math.pi / 2 + 2 * math.pi * i / n for i in range(n)]
    axes = []
    for angle, s in zip(angles, scales, strict=True):
        lines = wrap(s.label) + (() if s.score is not None else (gettext(NOT_SCORED),))
        label_at, first_dy = _label(angle, lines)
        has = s.score is not None
        axes.append(
            Axis(
                label=s.label,
                lines=lines,
                end=_at(angle, 100.0),
                label_at=label_at,
                anchor=_anchor(angle),
                first_dy=first_dy,
                score=_at(angle, s.score) if s.score is not None else None,
                whisker_low=_at(angle, s.low) if has and s.low is not None else None,
                whisker_high=_at(angle, s.high) if has and s.high is not None else None,
            )
        )
    scored = [(a, s) for a, s in zip(angles, scales, strict=True) if s.score is not None]
    score_points = band_path = ""
    if len(scored) >= 3:
        score_points = _points([_at(a, s.score or 0.0) for a, s in scored])
        outer = [_at(a, s.high if s.high is not None else s.score or 0.0) for a, s in scored]
        inner = [_at(a, s.low if s.low is not None else s.score or 0.0) for a, s in scored]
        band_path = _path(outer) + " " + _path(inner)
    return Radar(
        width=WIDTH,
        height=HEIGHT,
        centre=Point(CENTRE_X, CENTRE_Y),
        axes=tuple(axes),
        rings=tuple((v, _points([_at(a, v) for a in angles])) for v in RINGS),
        ring_labels=tuple((v, _at(-math.pi / 2 + math.pi / n, v)) for v in RINGS),
        score_points=score_points,
        band_path=band_path,
    )


@dataclass(frozen=True)
class Sparkline:
    width: int
    height: int
    points: str
    dots: tuple[Point, ...]


def sparkline(values: Sequence[float | None], width: int = 120, height: int = 32) -> Sparkline:
    """Scores (0–100) over time as a small line; gaps (None) are skipped."""
    pad = 4.0
    n = len(values)
    step = (width - 2 * pad) / (n - 1) if n > 1 else 0.0
    dots = tuple(
        Point(
            round(pad + i * step if n > 1 else width / 2, 1),
            round(height - pad - (height - 2 * pad) * max(0.0, min(100.0, v)) / 100.0, 1),
        )
        for i, v in enumerate(values)
        if v is not None
    )
    return Sparkline(width, height, _points(dots), dots)
