"""Labelled utterance corpora (`tests/data/utterances/*.jsonl`) -> LabelledUtterance."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from helpline.domain.errors import DataFileError
from helpline.domain.taxonomy import AREAS, CallerType, Category
from helpline.services.evaluation import LabelledUtterance


class _Item(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    text: str = Field(min_length=1)
    category: Category
    also: list[Category] = Field(default_factory=list)
    caller_type: CallerType
    area: str | None = None
    postcode: str | None = None


def load_utterances(path: Path) -> list[LabelledUtterance]:
    items: list[LabelledUtterance] = []
    problems: list[str] = []
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(path, [f"{path}:1: (file): {exc.strerror or exc}"]) from exc
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = _Item.model_validate(json.loads(line))
        except json.JSONDecodeError as exc:
            problems.append(f"{path}:{number}: (line): {exc.msg}")
            continue
        except ValidationError as exc:
            problems.extend(
                f"{path}:{number}: {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()
            )
            continue
        if item.area is not None and item.area not in AREAS:
            problems.append(f"{path}:{number}: area: unknown area {item.area!r}")
            continue
        items.append(
            LabelledUtterance(
                item.text, item.category, frozenset(item.also), item.caller_type, item.area
            )
        )
    if problems:
        raise DataFileError(path, problems)
    return items
