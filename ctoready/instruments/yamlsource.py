"""Read an instrument file into plain data, remembering the line of every value.

Safe by construction: a size limit before parsing, the YAML safe schema only, and no
anchors or aliases (they let a small file expand into a huge document).
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 5 * 1024 * 1024

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


@dataclass
class Source:
    """A parsed document plus the line on which each value starts."""

    name: str
    data: Any = None
    lines: dict[Path_, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, path: Path_) -> int:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)

    def problem(self, path: Path_, message: str) -> None:
        self.problems.append(Problem(self.name, self.line_of(path), format_path(path), message))


def format_path(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


class _NoAliasLoader(yaml.SafeLoader):
    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases are not allowed", event.start_mark
            )
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if getattr(event, "anchor", None):
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases are not allowed", event.start_mark
            )
        return super().compose_node(parent, index)


def read_source(path: str | Path, name: str | None = None) -> Source:
    path = Path(path)
    source = Source(name or path.name)
    try:
        size = path.stat().st_size
    except OSError as exc:
        source.problems.append(Problem(source.name, 0, "", f"cannot read the file: {exc.strerror}"))
        return source
    if size > MAX_BYTES:
        source.problems.append(
            Problem(
                source.name,
                0,
                "",
                f"the file is too large ({size / 1_048_576:.1f} MB; the limit is "
                f"{MAX_BYTES // 1_048_576} MB)",
            )
        )
        return source
    return parse_text(path.read_bytes(), source)


def parse_text(raw: bytes, source: Source) -> Source:
    if len(raw) > MAX_BYTES:
        source.problems.append(Problem(source.name, 0, "", "the file is too large"))
        return source
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        source.problems.append(
            Problem(source.name, line, "", "the file is not UTF-8 text (is it a YAML file?)")
        )
        return source
    if "\x00" in text:
        source.problems.append(Problem(source.name, 1, "", "the file is not text"))
        return source
    loader = _NoAliasLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            source.problems.append(Problem(source.name, 1, "", "the file is empty"))
            return source
        source.data = _convert(node, (), loader, source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else 1
        reason = getattr(exc, "problem", None) or str(exc)
        source.problems.append(Problem(source.name, line, "", f"not valid YAML: {reason}"))
        source.data = None
    finally:
        loader.dispose()
    return source


ALLOWED_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("map", "seq", "str", "int", "float", "bool", "null")
}


def _convert(node: yaml.Node, path: Path_, loader: yaml.SafeLoader, source: Source) -> Any:
    source.lines[path] = node.start_mark.line + 1
    if node.tag not in ALLOWED_TAGS:
        # Dates, binary data and custom tags have no place in an instrument (and dates would
        # not survive storage as JSON), so they are refused rather than converted.
        raise yaml.constructor.ConstructorError(
            None, None, f"the tag {node.tag} is not allowed; quote the value", node.start_mark
        )
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node)
            if not isinstance(key, str):
                source.problems.append(
                    Problem(
                        source.name,
                        key_node.start_mark.line + 1,
                        format_path(path),
                        "keys are text",
                    )
                )
                key = str(key)
            if key in result:
                source.problems.append(
                    Problem(
                        source.name,
                        key_node.start_mark.line + 1,
                        format_path((*path, key)),
                        "duplicate key",
                    )
                )
            result[key] = _convert(value_node, (*path, key), loader, source)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(v, (*path, i), loader, source) for i, v in enumerate(node.value)]
    return loader.construct_object(node)
