"""CSV reports for the CLI: reliability of scales and item calibration.

Input is a CSV path or rows: sequences (the first one is the header) or mappings (as from
``csv.DictReader``). An empty cell is missing. Rows are numbered as in a spreadsheet
(the header is row 1, the first data row is row 2), so error messages point at the line.
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ._arrays import FloatArray
from .calibration import calibrate_2pl, calibrate_grm
from .errors import CalibrationError, DataError
from .irt import eap, map_estimate
from .reliability import item_statistics

__all__ = ["calibration_report", "read_numeric_columns", "reliability_report"]

Source = str | os.PathLike[str] | Iterable[Sequence[object]] | Iterable[Mapping[str, object]]


def _read(source: Source) -> tuple[list[str], list[list[object]]]:
    if isinstance(source, str | os.PathLike):
        with Path(source).open(newline="", encoding="utf-8-sig") as fh:
            rows: list[Any] = list(csv.reader(fh))
    else:
        rows = list(source)
    if not rows:
        raise DataError("the CSV is empty: a header row of column names is required")
    if isinstance(rows[0], Mapping):
        header = [str(k) for k in rows[0]]
        body = [[row.get(h) for h in header] for row in rows]
    else:
        header = [str(h).strip() for h in rows[0]]
        body = [list(r) for r in rows[1:]]
    if len(set(header)) != len(header):
        dup = next(h for h in header if header.count(h) > 1)
        raise DataError(f"column '{dup}' appears twice in the header")
    for i, row in enumerate(body):
        if len(row) != len(header):
            raise DataError(f"row {i + 2} has {len(row)} cells; the header has {len(header)}")
    return header, body


def _number(value: object, column: str, row: int) -> float:
    if value is None or (isinstance(value, str) and not value.strip()):
        return math.nan
    if isinstance(value, bool):
        raise DataError(f"column '{column}', row {row}: {value!r} is not a number")
    try:
        number = float(value) if isinstance(value, int | float) else float(str(value).strip())
    except ValueError:
        raise DataError(f"column '{column}', row {row}: {value!r} is not a number") from None
    if not math.isfinite(number):
        raise DataError(f"column '{column}', row {row}: {value!r} is not a finite number")
    return number


def read_numeric_columns(
    source: Source, columns: Sequence[str] | None = None
) -> tuple[list[str], FloatArray]:
    """Read the named columns (all when ``None``) as a float matrix, NaN for empty cells.

    Raises DataError naming the column and row of the first non-numeric cell, or an
    unknown column.
    """
    header, body = _read(source)
    wanted = list(header) if columns is None else list(columns)
    for col in wanted:
        if col not in header:
            raise DataError(f"unknown column '{col}'; the CSV has {', '.join(header)}")
    idx = [header.index(c) for c in wanted]
    data = np.empty((len(body), len(wanted)))
    for i, row in enumerate(body):
        for j, (col, h) in enumerate(zip(wanted, idx, strict=True)):
            data[i, j] = _number(row[h], col, i + 2)
    return wanted, data


def _check_range(data: FloatArray, names: Sequence[str], low: float, high: float) -> None:
    bad = ~np.isnan(data) & ((data < low) | (data > high))
    if bad.any():
        row, col = (int(v) for v in np.argwhere(bad)[0])
        raise DataError(
            f"column '{names[col]}', row {row + 2}: {data[row, col]:g} is outside {low:g}..{high:g}"
        )


def _response_range(
    data: FloatArray, names: Sequence[str], low: float | None, high: float | None
) -> tuple[float, float]:
    """The given bounds, checked against the data; a bound not given is the data's own."""
    seen = data[~np.isnan(data)]
    if not seen.size:
        raise DataError("the scales' columns hold no responses")
    low = float(seen.min()) if low is None else low
    high = float(seen.max()) if high is None else high
    _check_range(data, names, low, high)
    return low, high


def reliability_report(
    path_or_rows: Source,
    scales: Mapping[str, Sequence[str]],
    reverse: Sequence[str],
    min: float | None = None,
    max: float | None = None,
    missing: str = "listwise",
) -> dict[str, Any]:
    """Per scale: n, items, alpha with Feldt 95% CI, omega total, corrected item-total r
    and alpha-if-dropped (see :func:`item_statistics`). Reverse-keyed columns are
    recoded ``min + max - x`` first. The response range is needed only for that: when
    ``min`` or ``max`` is not given it is the lowest or highest value in the scales'
    columns; a given bound that the data cross is an error."""
    if min is not None and max is not None and not min < max:
        raise DataError(f"min ({min:g}) must be below max ({max:g})")
    for col in reverse:
        if not any(col in cols for cols in scales.values()):
            raise DataError(f"reverse-keyed column '{col}' is in no scale")
    wanted = list(dict.fromkeys(c for cols in scales.values() for c in cols))
    names, data = read_numeric_columns(path_or_rows, wanted)
    low, high = _response_range(data, names, min, max)
    for col in dict.fromkeys(reverse):
        if not low < high:
            raise DataError(f"cannot reverse '{col}': every response is {low:g}")
        j = names.index(col)
        data[:, j] = low + high - data[:, j]
    report: dict[str, Any] = {}
    for scale, cols in scales.items():
        sub = data[:, [names.index(c) for c in cols]]
        stats = item_statistics(sub, missing, columns=list(cols))
        report[scale] = {
            "n": stats.n,
            "items": stats.k,
            "alpha": stats.alpha.alpha,
            "alpha_ci95": [stats.alpha.ci_low, stats.alpha.ci_high],
            "omega_total": stats.omega.omega_total,
            "item_total_r": dict(zip(cols, stats.item_total_r.tolist(), strict=True)),
            "alpha_if_dropped": dict(zip(cols, stats.alpha_if_dropped.tolist(), strict=True)),
        }
    return {"range": [low, high], "scales": report}


def _to_categories(data: FloatArray, names: Sequence[str], model: str) -> FloatArray:
    """Map each column's sorted distinct observed integers to 0..K-1."""
    out = np.full_like(data, np.nan)
    for j, name in enumerate(names):
        col = data[:, j]
        seen = ~np.isnan(col)
        frac = seen & (col != np.round(col))
        if frac.any():
            row = int(np.flatnonzero(frac)[0])
            raise DataError(f"column '{name}', row {row + 2}: {col[row]:g} is not a whole number")
        values = np.unique(col[seen])
        if model == "2pl" and values.size > 2:
            raise CalibrationError(
                f"column '{name}' has {values.size} distinct values; 2PL needs 2"
            )
        out[seen, j] = np.searchsorted(values, col[seen])
    return out


def calibration_report(
    path_or_rows: Source,
    model: str = "grm",
    items: Sequence[str] | None = None,
    scores: str | None = None,
    min_respondents: int = 100,
) -> dict[str, Any]:
    """Calibrate the GRM or 2PL (Bock–Aitkin EM, see :func:`calibrate_grm`) on CSV
    columns. Each column's distinct observed integers, sorted, become categories 0..K-1
    (so 1,2,4,5 map to 0,1,2,3). With ``scores`` = "eap" or "map", one θ and SE per CSV
    row, in order, from the calibrated parameters."""
    if model not in ("grm", "2pl"):
        raise DataError(f"model must be 'grm' or '2pl', got {model!r}")
    if scores not in (None, "eap", "map"):
        raise DataError(f"scores must be None, 'eap' or 'map', got {scores!r}")
    names, raw = read_numeric_columns(path_or_rows, items)
    data = _to_categories(raw, names, model)
    calibrate = calibrate_grm if model == "grm" else calibrate_2pl
    result = calibrate(data, names, min_respondents=min_respondents)
    report: dict[str, Any] = {
        "model": model,
        "loglik": result.loglik,
        "converged": result.converged,
        "iterations": result.iterations,
        "items": {it.id: {"a": it.a, "b": list(it.b), "d": list(it.d)} for it in result.items},
    }
    if scores is not None:
        negative = [it.id for it in result.items if it.a <= 0]
        if negative:
            raise CalibrationError(
                f"item '{negative[0]}' has a negative discrimination; reverse-key it to score"
            )
        params = [it.parameters() for it in result.items]
        est = (eap if scores == "eap" else map_estimate)(data, params)
        report["scores"] = [
            {"theta": t, "se": s} for t, s in zip(est.theta.tolist(), est.se.tolist(), strict=True)
        ]
    return report
