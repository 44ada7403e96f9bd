"""Load instrument files: parse, validate, and check translations against each other."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ctoready.instruments.document import Instrument
from ctoready.instruments.validate import build_instrument
from ctoready.instruments.yamlsource import Problem, Source, parse_text, read_source

# Keys whose values are words a translator changes; everything else is structure.
TEXT_KEYS = {
    "title",
    "description",
    "instructions",
    "text",
    "observer_text",
    "question",
    "rationale",
    "name",
    "summary",
    "label",
    "no_opportunity",
    "intro",
    "experience_gap",
    "low",
    "middle",
    "high",
    "milestones",
    "actions",
    "stem",
    "observer_stem",
    "experience",
}


@dataclass(frozen=True)
class Loaded:
    instrument: Instrument | None
    data: Any
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return self.instrument is not None and not self.problems


def _finish(source: Source) -> Loaded:
    instrument = build_instrument(source) if not source.problems else None
    return Loaded(instrument, source.data, tuple(source.problems))


def load_file(path: str | Path) -> Loaded:
    return _finish(read_source(path))


def load_bytes(raw: bytes, name: str) -> Loaded:
    return _finish(parse_text(raw, Source(name)))


def check_translation(base: Any, other: Any, name: str) -> list[Problem]:
    """Problems where ``other`` differs from ``base`` in anything but its texts."""
    problems: list[Problem] = []
    _compare(_skeleton(base), _skeleton(other), (), name, problems)
    return problems


def _skeleton(value: Any, key: str | None = None) -> Any:
    if isinstance(value, dict):
        return {k: _skeleton(v, k) for k, v in value.items() if k not in {"locale"}}
    if isinstance(value, list):
        if key in TEXT_KEYS and all(isinstance(v, str) for v in value):
            return len(value)
        return [_skeleton(v) for v in value]
    if key in TEXT_KEYS and isinstance(value, str):
        return "<text>"
    return value


def _compare(a: Any, b: Any, path: tuple[Any, ...], name: str, out: list[Problem]) -> None:
    where = ".".join(str(p) for p in path) or "(top)"
    if len(out) >= 20:
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key not in b:
                out.append(Problem(name, 0, f"{where}.{key}", "missing in the translation"))
            elif key not in a:
                out.append(Problem(name, 0, f"{where}.{key}", "not in the original"))
            else:
                _compare(a[key], b[key], (*path, key), name, out)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            _compare(x, y, (*path, index), name, out)
    elif a != b:
        out.append(
            Problem(name, 0, where, "differs from the original: a translation changes only texts")
        )
