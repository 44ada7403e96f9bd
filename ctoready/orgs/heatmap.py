"""SVG geometry for the cohort heatmap: Python computes every cell, a template draws it."""

from collections.abc import Sequence
from dataclasses import dataclass

from ctoready.reports.charts import wrap

CELL_W, CELL_H = 88, 34
LABEL_W = 190  # member names on the left
LINE_H = 13  # a header line, in SVG units
LINE_CHARS = 13
BAR_MAX = 300  # the longest bar of the readiness-level chart
BAR_H, BAR_GAP = 22, 8


@dataclass(frozen=True)
class Cell:
    x: int
    y: int
    fill: str
    text_fill: str
    text: str  # the score, or an en dash when not scored


@dataclass(frozen=True)
class Header:
    x: int
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Row:
    y: int
    label: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Heatmap:
    width: int
    height: int
    headers: tuple[Header, ...]
    rows: tuple[Row, ...]


def colour(score: int | None) -> tuple[str, str]:
    """A light-to-dark blue for 0-100, and a text colour that keeps a 4.5:1 contrast."""
    if score is None:
        return "#f1f1f1", "#333333"
    lightness = round(95 - 0.6 * max(0, min(100, score)))  # 95% (0) to 35% (100)
    return f"hsl(210, 60%, {lightness}%)", ("#ffffff" if lightness < 48 else "#000000")


def heatmap(
    scale_names: Sequence[str], rows: Sequence[tuple[str, Sequence[int | None]]]
) -> Heatmap:
    headers = tuple(
        Header(LABEL_W + i * CELL_W + CELL_W // 2, wrap(name, LINE_CHARS)[:4])
        for i, name in enumerate(scale_names)
    )
    header_h = 10 + LINE_H * max((len(h.lines) for h in headers), default=1)
    drawn = []
    for r, (label, scores) in enumerate(rows):
        y = header_h + r * CELL_H
        cells = []
        for i, score in enumerate(scores):
            fill, text_fill = colour(score)
            text = "–" if score is None else str(score)
            cells.append(Cell(LABEL_W + i * CELL_W, y, fill, text_fill, text))
        drawn.append(Row(y, label, tuple(cells)))
    return Heatmap(
        LABEL_W + CELL_W * len(scale_names) + 4,
        header_h + CELL_H * len(rows) + 4,
        headers,
        tuple(drawn),
    )


@dataclass(frozen=True)
class Bar:
    y: int
    width: int
    label: str
    count: int


@dataclass(frozen=True)
class Bars:
    width: int
    height: int
    label_w: int
    bars: tuple[Bar, ...]


def bars(counts: Sequence[tuple[str, int]]) -> Bars:
    """Horizontal bars, one per readiness level, as long as its count of members."""
    most = max((n for _label, n in counts), default=0) or 1
    drawn = tuple(
        Bar(i * (BAR_H + BAR_GAP), round(BAR_MAX * n / most), label, n)
        for i, (label, n) in enumerate(counts)
    )
    return Bars(LABEL_W + BAR_MAX + 40, len(drawn) * (BAR_H + BAR_GAP), LABEL_W, drawn)
