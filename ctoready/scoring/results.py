"""Result dataclasses returned by ``score_attempt``, with a JSON round trip.

``AttemptResult.to_dict()`` gives plain JSON types (dicts, lists, str, float, int, bool,
None); ``AttemptResult.from_dict()`` rebuilds the identical frozen object. The app stores
the dict as the report snapshot. Scores are on 0–100; ``None`` means "not claimed".
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from typing import Any, Self

from .errors import DataError

__all__ = [
    "AttemptResult",
    "FitReason",
    "FitResult",
    "JudgementResult",
    "ProfileFit",
    "ReadinessScore",
    "ScaleScore",
    "ScenarioScore",
]


@dataclasses.dataclass(frozen=True)
class ScaleScore:
    """One scale: 0–100 score with SE and 95% interval, or ``None`` when insufficient.

    ``method`` is "irt" (EAP θ mapped through the test characteristic curve), "classical"
    (POMP of the mean) or "none"; ``classification`` is "strength", "development",
    "no_clear_difference" (ipsative, beyond measurement error) or "insufficient".
    """

    scale: str
    score: float | None
    ci95_low: float | None
    ci95_high: float | None
    se: float | None
    theta: float | None
    theta_se: float | None
    n_items: int
    n_answered: int
    n_no_opportunity: int
    sufficient: bool
    method: str
    classification: str


@dataclasses.dataclass(frozen=True)
class ScenarioScore:
    """One situational-judgement scenario scored 0–100 (``None`` when unanswered)."""

    id: str
    mode: str
    score: float | None
    answered: bool


@dataclasses.dataclass(frozen=True)
class JudgementResult:
    """Judgement index (mean scenario score, 0–100) with its SE and 95% interval."""

    index: float | None
    se: float | None
    ci95_low: float | None
    ci95_high: float | None
    n_scenarios: int
    n_answered: int
    sufficient: bool
    scenarios: tuple[ScenarioScore, ...]


@dataclasses.dataclass(frozen=True)
class ReadinessScore:
    """Readiness for one target context: weighted mean of sufficient scale scores."""

    context: str
    score: float | None
    se: float | None
    ci95_low: float | None
    ci95_high: float | None
    sufficient: bool
    scales_used: tuple[str, ...]
    scales_missing: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class FitReason:
    """What drove a fit: a scale or the preference answers, with its signed contribution
    in points relative to the person's average (see docs/scoring.md)."""

    kind: str  # "scale" | "preference"
    id: str
    value: float
    contribution: float


@dataclasses.dataclass(frozen=True)
class ProfileFit:
    """Fit to one role or CTO type (0–100) with its components and reasons."""

    id: str
    score: float | None
    se: float | None
    ci95_low: float | None
    ci95_high: float | None
    scale_component: float | None
    preference_component: float | None
    n_preferences: int
    reasons: tuple[FitReason, ...]


@dataclasses.dataclass(frozen=True)
class FitResult:
    """Fits for one dimension ("role" or "type"), ranked, and whether the top one is
    ahead of the runner-up beyond measurement error."""

    dimension: str
    profiles: tuple[ProfileFit, ...]
    ranking: tuple[str, ...]
    top: str | None
    clearly_ahead: bool
    margin: float | None
    margin_se: float | None


@dataclasses.dataclass(frozen=True)
class AttemptResult:
    """Everything the report needs from one attempt, plus the engine version."""

    engine_version: str
    scales: tuple[ScaleScore, ...]
    judgement: JudgementResult
    readiness: tuple[ReadinessScore, ...]
    role_fit: FitResult
    type_fit: FitResult

    def scale(self, scale_id: str) -> ScaleScore:
        """The :class:`ScaleScore` of ``scale_id`` (KeyError when unknown)."""
        for s in self.scales:
            if s.scale == scale_id:
                return s
        raise KeyError(scale_id)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-serialisable dict (tuples become lists)."""
        return typing.cast(dict[str, Any], _to_plain(self))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """Rebuild an :class:`AttemptResult` from :meth:`to_dict` output.

        Raises :class:`~ctoready.scoring.errors.DataError` naming the first field that is
        missing or of the wrong type (``result.scales[2].se: missing``).
        """
        return typing.cast(Self, _from_plain(cls, data, "result"))


def _to_plain(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple):
        return [_to_plain(v) for v in value]
    return value


@functools.cache
def _fields(tp: Any) -> tuple[tuple[str, Any], ...]:
    """A dataclass's fields with their types, resolved once per process: the annotations
    are strings (``from __future__ import annotations``), and resolving them compiles and
    evaluates each one, which was most of the cost of reading a report (about 50 ms)."""
    hints = typing.get_type_hints(tp)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(tp))


def _from_plain(tp: Any, value: Any, path: str) -> Any:
    origin = typing.get_origin(tp)
    if origin is types.UnionType:
        if value is None:
            return None
        (inner,) = [t for t in typing.get_args(tp) if t is not type(None)]
        return _from_plain(inner, value, path)
    if origin is tuple:
        if not isinstance(value, list | tuple):
            raise DataError(f"{path}: expected a list, found {type(value).__name__}")
        inner = typing.get_args(tp)[0]
        return tuple(_from_plain(inner, v, f"{path}[{i}]") for i, v in enumerate(value))
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise DataError(f"{path}: expected an object, found {type(value).__name__}")
        kwargs = {}
        for name, hint in _fields(typing.cast(type, tp)):
            if name not in value:
                raise DataError(f"{path}.{name}: missing")
            kwargs[name] = _from_plain(hint, value[name], f"{path}.{name}")
        return typing.cast(Any, tp)(**kwargs)
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise DataError(f"{path}: expected a number, found {type(value).__name__}")
        return float(value)
    if not isinstance(value, tp) or (tp is int and isinstance(value, bool)):
        raise DataError(f"{path}: expected {tp.__name__}, found {type(value).__name__}")
    return value
