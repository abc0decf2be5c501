"""`helpline/texts/*.yaml` -> Texts: every entry needs Dutch and English."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, RootModel

from helpline.catalog.source import parse
from helpline.domain.texts import Texts

TEXTS_DIR = Path(__file__).resolve().parent.parent / "texts"


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    nl: str = Field(min_length=1)
    en: str = Field(min_length=1)


class _TextsFile(RootModel[dict[str, _Entry]]):
    pass


def load_texts(folder: Path = TEXTS_DIR) -> Texts:
    entries: dict[str, dict[str, str]] = {}
    for path in sorted(folder.glob("*.yaml")):
        for key, entry in parse(_TextsFile, path).root.items():
            entries[key] = {"nl": entry.nl, "en": entry.en}
    return Texts(entries)
