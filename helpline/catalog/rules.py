"""`routing_rules.yaml` -> RuleBook and Classifier cues, plus cross-file checks."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from helpline.catalog.partners import Texts
from helpline.catalog.source import parse, problem, yaml_lines
from helpline.domain.classification import ClassifierSettings, Cue
from helpline.domain.directory import Directory
from helpline.domain.routing import Escalation, Rule, RuleBook
from helpline.domain.taxonomy import CRISIS_CATEGORIES, CallerType, Category, PartnerType
from helpline.domain.text import fold


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ClassifierEntry(_Strict):
    crisis_threshold: float = Field(default=2.5, gt=0)
    min_score: float = Field(default=1.0, gt=0)
    professional_threshold: float = Field(default=2.0, gt=0)
    other_threshold: float = Field(default=2.0, gt=0)
    fuzzy_cutoff: float = Field(default=85.0, ge=50, le=100)
    fuzzy_min_length: int = Field(default=5, ge=3)
    model_training: list[str] = Field(default_factory=list)  # corpora, relative to this file
    crisis_decisive: float = Field(default=4.0, gt=0)
    model_cue_weight: float = Field(default=0.1, ge=0)
    model_crisis_line: float = Field(default=0.5, gt=0)
    model_need_floor: float = Field(default=0.2, ge=0)
    model_caller_cue_weight: float = Field(default=0.2, ge=0)
    worry_score: float = Field(default=1.0, gt=0)
    model_worry: float = Field(default=0.25, gt=0)


class CategoryEntry(_Strict):
    label: Texts
    hints: list[str] = Field(default_factory=list)
    cues: dict[str, float] = Field(min_length=1)


class CallerTypeEntry(_Strict):
    cues: dict[str, float] = Field(min_length=1)


class EscalationEntry(_Strict):
    emergency_number: str | None = None


class RuleEntry(_Strict):
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    categories: list[Category] = Field(min_length=1)
    caller_types: list[CallerType] = Field(default_factory=lambda: list(CallerType))
    prefer: list[PartnerType] = Field(default_factory=list)
    route_to: list[str] = Field(default_factory=list)
    needs_area: bool = True

    @model_validator(mode="after")
    def _goes_somewhere(self) -> RuleEntry:
        if not self.prefer and not self.route_to:
            raise ValueError("a rule needs `prefer` (partner types) or `route_to` (partner ids)")
        return self


class RulesFile(_Strict):
    version: Literal[1]
    classifier: ClassifierEntry = Field(default_factory=ClassifierEntry)
    escalations: dict[Category, EscalationEntry] = Field(default_factory=dict)
    rules: list[RuleEntry] = Field(min_length=1)
    categories: dict[Category, CategoryEntry]
    caller_types: dict[CallerType, CallerTypeEntry] = Field(default_factory=dict)


def load_rules(path: Path) -> tuple[RuleBook, list[Cue], ClassifierSettings, tuple[Path, ...]]:
    parsed = parse(RulesFile, path)
    rules = tuple(
        Rule(
            id=r.id,
            categories=frozenset(r.categories),
            prefer=tuple(r.prefer),
            route_to=tuple(r.route_to),
            caller_types=frozenset(r.caller_types),
            needs_area=r.needs_area,
        )
        for r in parsed.rules
    )
    escalations = {
        category: Escalation(category, entry.emergency_number)
        for category, entry in parsed.escalations.items()
    }
    book = RuleBook(
        rules=rules,
        escalations=escalations,
        labels={c: {"nl": e.label.nl, "en": e.label.en} for c, e in parsed.categories.items()},
        hints=tuple(dict.fromkeys(h for e in parsed.categories.values() for h in e.hints)),
    )
    cues = [
        to_cue(text, weight, c)
        for c, e in parsed.categories.items()
        for text, weight in e.cues.items()
    ]
    cues += [
        to_cue(text, w, t) for t, e in parsed.caller_types.items() for text, w in e.cues.items()
    ]
    settings = ClassifierSettings(**parsed.classifier.model_dump(exclude={"model_training"}))
    training = tuple(path.parent / name for name in parsed.classifier.model_training)
    return book, cues, settings, training


def to_cue(text: str, weight: float, target: str) -> Cue:
    """'Dement*' -> words ('dement*',): folded like spoken text, a trailing * kept."""
    words: list[str] = []
    for raw in text.split():
        folded = fold(raw).split()
        if raw.endswith("*") and folded:
            folded[-1] += "*"
        words.extend(folded)
    return Cue(phrase=text, words=tuple(words), weight=weight, target=str(target))


def check_rules(path: Path, book: RuleBook, directory: Directory) -> list[str]:
    """Cross-file problems: unknown partners, categories nobody serves, crisis without route."""
    lines = yaml_lines(path.read_text(encoding="utf-8"))
    problems = []
    for index, rule in enumerate(book.rules):
        for pos, partner_id in enumerate(rule.route_to):
            if partner_id not in directory:
                loc = ("rules", index, "route_to", pos)
                problems.append(problem(path, lines, loc, f"unknown partner {partner_id!r}"))
    routed = {c for r in book.rules for c in r.categories}
    for category in Category:
        if category is not Category.UNCLEAR and category not in routed:
            problems.append(problem(path, lines, ("rules",), f"no rule covers {category.value}"))
    for category in CRISIS_CATEGORIES:
        if category not in book.escalations:
            message = f"crisis {category.value} has no escalation"
            problems.append(problem(path, lines, ("escalations",), message))
    return problems
