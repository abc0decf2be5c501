"""Data files -> domain objects: the partner directory and the routing rules."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from helpline.catalog.lexicon import is_known_word
from helpline.catalog.model import train_model
from helpline.catalog.partners import AREAS_FILE, load_areas, load_partner
from helpline.catalog.rules import check_rules, load_rules
from helpline.domain.classification import Classifier
from helpline.domain.directory import Directory, Partner
from helpline.domain.errors import DataFileError
from helpline.domain.routing import Router

__all__ = ["load_directory", "load_router"]
T = TypeVar("T")


def load_directory(partners_dir: Path) -> Directory:
    """Every `*.yaml` in the folder except `_*.yaml`; all broken files reported together."""
    partners: list[Partner] = []
    problems: list[str] = []
    files = sorted(p for p in partners_dir.glob("*.yaml") if not p.name.startswith("_"))
    if not files:
        raise DataFileError(partners_dir, [f"{partners_dir}:1: (folder): no partner files"])
    for path in files:
        try:
            partners.append(load_partner(path))
        except DataFileError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataFileError(partners_dir, problems)
    return Directory.of(partners)


def load_router(partners_dir: Path, rules_path: Path) -> Router:
    """The whole catalog, checked across files; raises DataFileError listing every problem."""
    problems: list[str] = []
    directory = _collect(problems, lambda: load_directory(partners_dir))
    areas = _collect(problems, lambda: load_areas(partners_dir / AREAS_FILE))
    rules = _collect(problems, lambda: load_rules(rules_path))
    if directory is None or areas is None or rules is None:
        raise DataFileError(rules_path, problems)
    book, cues, settings, training = rules
    problems = check_rules(rules_path, book, directory)
    if problems:
        raise DataFileError(rules_path, problems)
    model = _collect(problems, lambda: train_model(training)) if training else None
    if problems:
        raise DataFileError(rules_path, problems)
    classifier = Classifier(cues, areas, settings, is_known_word, model)
    return Router(classifier, book, directory)


def _collect(problems: list[str], load: Callable[[], T]) -> T | None:
    """Run one loader; its problems join the others so that all are reported at once."""
    try:
        return load()
    except DataFileError as exc:
        problems.extend(exc.problems)
        return None
