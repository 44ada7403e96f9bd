"""The stored report snapshot (``Report.data``), read once into typed objects.

:func:`ctoready.reports.services.build_snapshot` writes the snapshot as a JSON dict and it
is stored as written (the JSON export and the API give it back unchanged). Everything that
reads it goes through :func:`read_snapshot` (or ``Report.snapshot``): the scoring core's
result classes for ``result``, a :class:`Snapshot` for the rest.

Every stored snapshot has ``schema`` 1 and a ``result``. The other keys, and what the
reader takes when one is absent:

- ``parts``: only instruments with a deep-dive (cto-readiness 2.0.0 on) have it, as
  ``{"deep": "pending" | "done"}``; absent means no deep-dive (1.0.0): ``deep`` is None.
- ``option_order``: only when the attempt's options were shuffled; absent: None.
- ``choices`` (answers kept for the report: background, self-check, scenario, preference):
  absent: ``{}``. ``no_opportunity`` (items answered "no opportunity"): absent: ``()``.
- ``instrument``, ``context``, ``mode``, ``answered``, ``questions``: absent: None (the
  report then takes the attempt's own context).

Anything else that does not fit (another schema, a missing or mistyped result field)
raises :class:`SnapshotError`, which names the key at fault.
"""

from dataclasses import dataclass, field
from typing import Any

from ctoready.lib.errors import DomainError
from ctoready.scoring import AttemptResult, FitResult, ReadinessScore, ScoringError

SNAPSHOT_SCHEMA = 1
DEEP_STATES = ("pending", "done")


class SnapshotError(DomainError):
    """A stored snapshot that this version cannot read; the message names the key."""

    def __init__(self, problem: str) -> None:
        super().__init__(f"The report snapshot cannot be read: {problem}", "bad_snapshot")


@dataclass(frozen=True)
class Snapshot:
    """One report snapshot. ``result`` is the scoring core's; the rest is the envelope."""

    schema: int
    result: AttemptResult
    instrument: dict[str, str] | None = None  # id, version and locale
    context: str | None = None
    mode: str | None = None
    choices: dict[str, Any] = field(default_factory=dict)
    no_opportunity: tuple[str, ...] = ()
    answered: int | None = None
    questions: int | None = None
    deep: str | None = None  # "pending" or "done"; None: the instrument has no deep-dive
    option_order: dict[str, Any] | None = None

    def readiness(self, context: str) -> ReadinessScore | None:
        return next((r for r in self.result.readiness if r.context == context), None)

    def fit(self, dimension: str) -> FitResult:
        """``dimension`` is "role" or "type"."""
        return self.result.role_fit if dimension == "role" else self.result.type_fit

    def scored_scales(self) -> dict[str, tuple[float, float]]:
        """Each scale with both a score and a standard error: ``{scale: (score, se)}``."""
        return {
            s.scale: (s.score, s.se)
            for s in self.result.scales
            if s.score is not None and s.se is not None
        }

    def headline_scores(self) -> dict[str, float]:
        """The numbers a reference group is built from: ``scale:<id>``, ``readiness:<context>``
        and ``judgement``."""
        scores = {f"scale:{s.scale}": s.score for s in self.result.scales if s.score is not None}
        scores.update(
            {
                f"readiness:{r.context}": r.score
                for r in self.result.readiness
                if r.sufficient and r.score is not None
            }
        )
        judgement = self.result.judgement
        # Before the deep-dive, the few core scenarios do not make a judgement index to compare.
        if self.deep != "pending" and judgement.sufficient and judgement.index is not None:
            scores["judgement"] = judgement.index
        return scores


def read_snapshot(data: object) -> Snapshot:
    """``data`` (a stored snapshot dict) as a :class:`Snapshot`, or :class:`SnapshotError`."""
    if not isinstance(data, dict):
        raise SnapshotError(f"expected an object, found {type(data).__name__}")
    if data.get("schema") != SNAPSHOT_SCHEMA:
        raise SnapshotError(f"schema {data.get('schema')!r} is not {SNAPSHOT_SCHEMA}")
    if "result" not in data:
        raise SnapshotError("result: missing")
    try:
        result = AttemptResult.from_dict(data["result"])
    except ScoringError as error:
        raise SnapshotError(str(error)) from error
    return Snapshot(
        schema=SNAPSHOT_SCHEMA,
        result=result,
        instrument=_instrument(data.get("instrument")),
        context=_optional(data, "context", str),
        mode=_optional(data, "mode", str),
        choices=_optional(data, "choices", dict) or {},
        no_opportunity=tuple(_strings(data, "no_opportunity")),
        answered=_optional(data, "answered", int),
        questions=_optional(data, "questions", int),
        deep=_deep(data.get("parts")),
        option_order=_optional(data, "option_order", dict),
    )


def _optional[T](data: dict[str, Any], key: str, kind: type[T]) -> T | None:
    value = data.get(key)
    if value is not None and not isinstance(value, kind):
        raise SnapshotError(f"{key}: expected {kind.__name__}, found {type(value).__name__}")
    return value


def _strings(data: dict[str, Any], key: str) -> list[str]:
    value = _optional(data, key, list) or []
    if not all(isinstance(v, str) for v in value):
        raise SnapshotError(f"{key}: expected a list of item ids")
    return value


def _instrument(value: object) -> dict[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not all(
        isinstance(value.get(k), str) for k in ("id", "version", "locale")
    ):
        raise SnapshotError("instrument: expected its id, version and locale")
    return {k: value[k] for k in ("id", "version", "locale")}


def _deep(parts: object) -> str | None:
    if parts is None:
        return None
    if not isinstance(parts, dict) or parts.get("deep") not in DEEP_STATES:
        raise SnapshotError(f"parts: expected deep to be one of {', '.join(DEEP_STATES)}")
    return str(parts["deep"])
