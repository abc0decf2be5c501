"""Routing decisions: which partners fit a classified question, in what order, and why.

"No partner fits" and "nobody is open" are results, not errors: the caller then goes to the
24/7 operator or is offered a callback at the next opening.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from helpline.domain.classification import Classification, Classifier
from helpline.domain.directory import Directory, Partner
from helpline.domain.taxonomy import CallerType, Category, PartnerType


@dataclass(frozen=True, slots=True)
class Rule:
    """For these categories and caller types: partner types (or ids) to prefer, in order."""

    id: str
    categories: frozenset[Category]
    prefer: tuple[PartnerType, ...] = ()
    route_to: tuple[str, ...] = ()
    caller_types: frozenset[CallerType] = frozenset(CallerType)
    needs_area: bool = True

    def applies_to(self, category: Category, caller_type: CallerType) -> bool:
        return category in self.categories and caller_type in self.caller_types


@dataclass(frozen=True, slots=True)
class Escalation:
    """What a crisis category does before anything else is asked."""

    category: Category
    emergency_number: str | None = None  # said to the caller: Twilio cannot dial 112


@dataclass(frozen=True, slots=True)
class Candidate:
    partner: Partner
    rule_id: str
    reason: str
    open_now: bool
    group: tuple[int, int, int]  # (rule, preference, area tier): equal groups are equivalent
    next_opening: datetime | None = None


@dataclass(frozen=True, slots=True)
class RoutingDecision:
    category: Category
    candidates: tuple[Candidate, ...] = ()
    escalation: Escalation | None = None
    needs_area: bool = False
    next_opening: Candidate | None = None  # the first to open, when nobody fitting is open now
    rule_ids: tuple[str, ...] = field(default_factory=tuple)

    @property
    def open_candidates(self) -> tuple[Candidate, ...]:
        return tuple(c for c in self.candidates if c.open_now)

    @property
    def to_operator(self) -> bool:
        """Nobody fitting can take the call now and no callback can be offered."""
        return not self.open_candidates and self.next_opening is None

    def choices(self) -> tuple[Candidate, ...]:
        """Open partners equivalent to the best one: the caller chooses among these."""
        open_now = self.open_candidates
        if not open_now:
            return ()
        return tuple(c for c in open_now if c.group == open_now[0].group)


def choose_route(
    classification: Classification,
    rules: Sequence[Rule],
    escalations: Mapping[Category, Escalation],
    directory: Directory,
    now: datetime,
    load: Mapping[str, int] | None = None,
    failing: Collection[str] = (),
) -> RoutingDecision:
    """Rank every fitting partner: rule order, preferred type, own area before city-wide.

    Among equivalent partners, those with fewer recent hand-offs (`load`) come first so that
    work is spread fairly; numbers that keep failing (`failing`) go after every other partner.
    """
    category, caller_type, area = (
        classification.category,
        classification.caller_type,
        classification.area,
    )
    applicable = [r for r in rules if r.applies_to(category, caller_type)]
    found: dict[str, Candidate] = {}
    needs_area = False
    for rule_rank, rule in enumerate(applicable):
        for candidate in _rule_candidates(rule, rule_rank, classification, directory, now):
            found.setdefault(candidate.partner.id, candidate)
        needs_area = needs_area or (
            area is None and rule.needs_area and _has_local(rule, directory, classification)
        )
    counts = load or {}
    ranked = sorted(
        found.values(),
        key=lambda c: (c.partner.id in failing, c.group, counts.get(c.partner.id, 0), c.partner.id),
    )
    ranked = [c for c in ranked if c.partner.serves_area(area) or c.partner.is_citywide]
    waiting = [c for c in ranked if c.next_opening is not None and not c.open_now]
    first_to_open = min(waiting, key=lambda c: c.next_opening or now) if waiting else None
    return RoutingDecision(
        category=category,
        candidates=tuple(ranked),
        escalation=escalations.get(category),
        needs_area=needs_area,
        next_opening=None if any(c.open_now for c in ranked) else first_to_open,
        rule_ids=tuple(r.id for r in applicable),
    )


def _rule_candidates(
    rule: Rule, rule_rank: int, classification: Classification, directory: Directory, now: datetime
) -> list[Candidate]:
    category, area = classification.category, classification.area
    partners: list[tuple[int, Partner]] = [
        (rank, directory[pid]) for rank, pid in enumerate(rule.route_to) if pid in directory
    ]
    offset = len(partners)
    for rank, partner_type in enumerate(rule.prefer):
        partners.extend(
            (offset + rank, p)
            for p in directory.of_type(partner_type)
            if category in p.categories and classification.caller_type in p.caller_types
        )
    candidates = []
    for preference, partner in partners:
        if partner.paused or not (partner.is_citywide or partner.serves_area(area)):
            continue
        tier = 1 if partner.is_citywide else 0
        candidates.append(
            Candidate(
                partner=partner,
                rule_id=rule.id,
                reason=_reason(rule, partner, category, area),
                open_now=partner.is_open(now),
                group=(rule_rank, preference, tier),
                next_opening=partner.hours.next_opening(now),
            )
        )
    return candidates


def _has_local(rule: Rule, directory: Directory, classification: Classification) -> bool:
    """Would knowing the area add a partner? Then the caller is asked for it."""
    named = [directory[pid] for pid in rule.route_to if pid in directory]
    preferred = [p for partner_type in rule.prefer for p in directory.of_type(partner_type)]
    return any(
        not p.is_citywide
        and not p.paused
        and classification.category in p.categories
        and classification.caller_type in p.caller_types
        for p in (*named, *preferred)
    )


def _reason(rule: Rule, partner: Partner, category: Category, area: str | None) -> str:
    where = "city-wide" if partner.is_citywide else f"serves {area}"
    return f"rule {rule.id} covers {category.value}; {partner.type.value}, {where}"


@dataclass(frozen=True, slots=True)
class RuleBook:
    """Everything `routing_rules.yaml` says: rules, escalations, and what callers hear back."""

    rules: tuple[Rule, ...]
    escalations: Mapping[Category, Escalation]
    labels: Mapping[Category, Mapping[str, str]]  # category -> language -> short description
    hints: tuple[str, ...] = ()  # speech-recognition hints


@dataclass(frozen=True, slots=True)
class Router:
    """The helpline's brain: classify what was said, then choose where it should go."""

    classifier: Classifier
    rulebook: RuleBook
    directory: Directory

    def route(
        self,
        text: str,
        now: datetime,
        postcode: str | None = None,
        caller_type: str | None = None,
        load: Mapping[str, int] | None = None,
        failing: Collection[str] = (),
    ) -> tuple[Classification, RoutingDecision]:
        classification = self.classifier.classify(text, postcode=postcode, caller_type=caller_type)
        return classification, self.decide(classification, now, load, failing)

    def decide(
        self,
        classification: Classification,
        now: datetime,
        load: Mapping[str, int] | None = None,
        failing: Collection[str] = (),
    ) -> RoutingDecision:
        return choose_route(
            classification,
            self.rulebook.rules,
            self.rulebook.escalations,
            self.directory,
            now,
            load,
            failing,
        )
