"""Typed access to the parsed document that records problems instead of raising."""

import re
from collections.abc import Callable
from typing import Any

from ctoready.instruments.yamlsource import Path_, Source

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
GUIDE_RE = re.compile(r"^[a-z0-9-]+(#[a-z0-9-]+)?$")
MISSING = object()


class Reader:
    """Typed access to a mapping that records problems instead of raising."""

    def __init__(self, source: Source, data: Any, path: Path_, allowed: set[str]) -> None:
        self.source, self.path = source, path
        self.ok = isinstance(data, dict)
        self.data: dict[str, Any] = data if isinstance(data, dict) else {}
        if not self.ok:
            source.problem(path, f"must be a mapping, not {_kind(data)}")
        for key in self.data:
            if key not in allowed:
                source.problem((*path, key), "unknown key")

    def raw(self, key: str, required: bool = True) -> Any:
        if key not in self.data or self.data[key] is None:
            if required and self.ok:
                self.source.problem((*self.path, key), "missing")
            return MISSING
        return self.data[key]

    def _typed(self, key: str, types: tuple[type, ...], name: str, required: bool) -> Any:
        value = self.raw(key, required)
        if value is MISSING:
            return None
        if not isinstance(value, types) or (bool not in types and isinstance(value, bool)):
            self.source.problem((*self.path, key), f"must be {name}, not {_kind(value)}")
            return None
        return value

    def text(self, key: str, required: bool = True) -> str | None:
        value: str | None = self._typed(key, (str,), "text", required)
        if isinstance(value, str) and not value.strip():
            self.source.problem((*self.path, key), "must not be empty")
            return None
        return value.strip() if isinstance(value, str) else None

    def integer(self, key: str, required: bool = True) -> int | None:
        value: int | None = self._typed(key, (int,), "a whole number", required)
        return value

    def number(self, key: str, required: bool = True) -> float | None:
        value = self._typed(key, (int, float), "a number", required)
        return float(value) if value is not None else None

    def boolean(self, key: str, default: bool) -> bool:
        value = self._typed(key, (bool,), "true or false", False)
        return default if value is None else bool(value)

    def ident(self, key: str, required: bool = True) -> str | None:
        value: str | None = self._typed(key, (str,), "an id", required)
        if value is not None and not ID_RE.match(value):
            self.source.problem(
                (*self.path, key), f"{value!r} is not a valid id (lower-case letters, digits, -)"
            )
            return None
        return value

    def choice(self, key: str, choices: tuple[str, ...], required: bool = True) -> str | None:
        value: str | None = self._typed(key, (str,), "text", required)
        if value is not None and value not in choices:
            self.source.problem((*self.path, key), f"must be one of {', '.join(choices)}")
            return None
        return value

    def guide(self) -> str | None:
        value: str | None = self._typed("guide", (str,), "a guide reference", False)
        if value is not None and not GUIDE_RE.match(value):
            self.source.problem((*self.path, "guide"), "must look like slug#anchor")
            return None
        return value

    def items(self, key: str, required: bool = True) -> list[tuple[Path_, Any]]:
        value = self._typed(key, (list,), "a list", required)
        if value is None:
            return []
        if required and not value:
            self.source.problem((*self.path, key), "must not be empty")
        return [((*self.path, key, i), entry) for i, entry in enumerate(value)]

    def texts(self, key: str, required: bool = True) -> tuple[str, ...]:
        out = []
        for path, value in self.items(key, required):
            if isinstance(value, str) and value.strip():
                out.append(value.strip())
            else:
                self.source.problem(path, "must be non-empty text")
        return tuple(out)


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false"}.get(
        type(value), "a number" if isinstance(value, int | float) else "empty"
    )


def unique(source: Source, entries: list[tuple[Path_, str | None]], what: str) -> None:
    seen: set[str] = set()
    for path, ident in entries:
        if ident is None:
            continue
        if ident in seen:
            source.problem((*path, "id"), f"duplicate {what} id {ident!r}")
        seen.add(ident)


def read_list[T](
    source: Source, top: Reader, key: str, build: Callable[[Source, Path_, Any], T | None]
) -> list[T]:
    built = []
    ids: list[tuple[Path_, str | None]] = []
    for path, value in top.items(key):
        entry = build(source, path, value)
        if entry is not None:
            built.append(entry)
            ids.append((path, getattr(entry, "id", None)))
    unique(source, ids, key.rstrip("s").replace("_", " "))
    return built
