"""Array aliases and small numeric helpers shared by the scoring modules."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from .errors import ModelError

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

TINY = 1e-300
Z95 = 1.959963984540054


def as_float_array(values: object, name: str) -> FloatArray:
    """Return ``values`` as a float64 array, raising ModelError when not numeric."""
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ModelError(f"{name}: values are not numeric") from exc
    return arr


def check_item_parameters(a: float, thresholds: FloatArray, item: str) -> None:
    """Raise ModelError unless ``a`` is finite and positive and thresholds increase."""
    if not np.isfinite(a) or a <= 0:
        raise ModelError(f"item '{item}': discrimination a={a!r} must be finite and > 0")
    if thresholds.ndim != 1 or thresholds.size == 0:
        raise ModelError(f"item '{item}': needs at least one threshold")
    if not np.all(np.isfinite(thresholds)):
        raise ModelError(f"item '{item}': thresholds must be finite")
    if np.any(np.diff(thresholds) <= 0):
        raise ModelError(f"item '{item}': thresholds must be strictly increasing")


def quadrature(n_nodes: int = 61, bound: float = 5.0) -> tuple[FloatArray, FloatArray]:
    """Equally spaced nodes on [-bound, bound] with normalised standard-normal weights."""
    if n_nodes < 5:
        raise ModelError(f"n_nodes={n_nodes} must be at least 5")
    nodes = np.linspace(-bound, bound, n_nodes)
    weights = np.exp(-0.5 * nodes**2)
    return nodes, weights / weights.sum()
