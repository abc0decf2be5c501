"""Turn YAML and pydantic problems into `file:line: field.path: message`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from helpline.domain.errors import DataFileError

Location = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)
# libyaml's safe loader where it is installed (much faster on the rules file), else PyYAML's
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def yaml_lines(text: str) -> dict[Location, int]:
    """1-based line of every mapping key and sequence item, by its path in the document."""
    lines: dict[Location, int] = {}
    root = yaml.compose(text, Loader=_FAST_LOADER)  # only asked of text that parsed
    if root is not None:
        _walk(root, (), lines)
    return lines


def _walk(node: yaml.Node, path: Location, lines: dict[Location, int]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = (*path, str(key.value))
            lines[child] = key.start_mark.line + 1
            _walk(value, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), lines)


def field_path(location: Sequence[str | int]) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(file)"


def problem(path: Path, lines: dict[Location, int], location: Sequence[Any], message: str) -> str:
    """`file:line: field.path: message`, the line of the deepest part of the path that exists."""
    clean: Location = _without_tags(tuple(p for p in location if isinstance(p, int | str)))
    for depth in range(len(clean), -1, -1):
        if clean[:depth] in lines:
            line = lines[clean[:depth]]
            break
    else:
        line = 1
    return f"{path}:{line}: {field_path(clean)}: {message}"


def _without_tags(location: Location) -> Location:
    """Drop pydantic's union-branch tags ("literal['always']", "dict[...]") from a path."""
    return tuple(p for p in location if not (isinstance(p, str) and ("[" in p or "(" in p)))


def _load(text: str) -> Any:
    """libyaml's fast parser where it is installed; a broken file is read again by PyYAML's
    own parser, whose messages name the problem best."""
    try:
        return yaml.load(text, Loader=_FAST_LOADER)  # noqa: S506 - a safe loader either way
    except yaml.YAMLError:
        return yaml.safe_load(text)


def parse(model: type[M], path: Path, display: Path | None = None) -> M:
    """Validate one YAML file; every problem at once as DataFileError."""
    shown = display or path
    try:
        text = path.read_text(encoding="utf-8")
        data = _load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else 1
        raise DataFileError(shown, [f"{shown}:{line}: (file): {exc.problem}"]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(shown, [f"{shown}:1: (file): {exc}"]) from exc
    try:
        return model.model_validate(data if data is not None else {})
    except ValidationError as exc:
        lines = yaml_lines(text)
        problems = [problem(shown, lines, e["loc"], e["msg"]) for e in exc.errors()]
        raise DataFileError(shown, problems) from exc


def collect(problems: Iterable[str], path: Path) -> None:
    found = list(problems)
    if found:
        raise DataFileError(path, found)
