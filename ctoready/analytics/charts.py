"""SVG geometry for the operator's and the manual's bar charts; templates draw them.

Every chart is drawn beside a table of the same numbers. A suppressed value (fewer than
ten people) has no bar.
"""

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 640
LABEL_WIDTH = 220
BAR_HEIGHT = 18
GAP = 8
TOP = 8


@dataclass(frozen=True)
class Bar:
    label: str
    text: str  # the value as printed at the bar's end ("" when suppressed)
    y: float
    width: float
    text_x: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: tuple[Bar, ...]


def bar_chart(
    rows: Sequence[tuple[str, float | None]], maximum: float, digits: int = 0
) -> BarChart:
    """Horizontal bars, one per row, scaled so ``maximum`` fills the plotting width."""
    span = WIDTH - LABEL_WIDTH - 60
    bars = []
    for i, (label, value) in enumerate(rows):
        y = TOP + i * (BAR_HEIGHT + GAP)
        width = 0.0 if value is None or maximum <= 0 else max(0.0, value) / maximum * span
        bars.append(
            Bar(
                label=label,
                text="" if value is None else f"{value:.{digits}f}",
                y=round(y, 1),
                width=round(width, 1),
                text_x=round(LABEL_WIDTH + width + 6, 1),
            )
        )
    height = TOP * 2 + len(rows) * (BAR_HEIGHT + GAP)
    return BarChart(WIDTH, height, LABEL_WIDTH, BAR_HEIGHT, tuple(bars))
