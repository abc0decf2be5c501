"""Use case: route one question (the console, the CLI and the JSON API all ask this)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from helpline.domain.classification import Classification
from helpline.domain.routing import Candidate, Router, RoutingDecision


@dataclass(frozen=True, slots=True)
class RouteQuestion:
    text: str
    at: datetime
    postcode: str | None = None
    caller_type: str | None = None


def route_question(
    question: RouteQuestion,
    router: Router,
    load: Mapping[str, int] | None = None,
    failing: Collection[str] = (),
) -> dict[str, Any]:
    """The suggested route and why, as one JSON-ready object."""
    classification, decision = router.route(
        question.text,
        question.at,
        postcode=question.postcode,
        caller_type=question.caller_type,
        load=load,
        failing=failing,
    )
    return to_route_json(classification, decision, router)


def to_route_json(
    classification: Classification, decision: RoutingDecision, router: Router
) -> dict[str, Any]:
    escalation = None
    if decision.escalation:
        escalation = {
            "category": decision.escalation.category.value,
            "emergency_number": decision.escalation.emergency_number,
            "dial": [c.partner.id for c in decision.open_candidates],
        }
    next_opening = None
    if decision.next_opening and decision.next_opening.next_opening:
        next_opening = {
            "partner": decision.next_opening.partner.id,
            "at": decision.next_opening.next_opening.isoformat(),
        }
    return {
        "category": classification.category.value,
        "caller_type": classification.caller_type.value,
        "area": classification.area,
        "postcode": classification.postcode,
        "confidence": classification.confidence,
        "label": router.rulebook.labels.get(classification.category, {}),
        "evidence": [
            {"cue": e.cue, "said": e.said, "target": e.target, "weight": e.weight}
            for e in classification.evidence
        ],
        "escalation": escalation,
        "needs_area": decision.needs_area,
        "partners": [_candidate_json(c) for c in decision.candidates],
        "next_opening": next_opening,
    }


def _candidate_json(candidate: Candidate) -> dict[str, Any]:
    partner = candidate.partner
    return {
        "id": partner.id,
        "name": partner.name,
        "type": partner.type.value,
        "phone": partner.phone,
        "area": "all" if partner.is_citywide else sorted(partner.areas),
        "open_now": candidate.open_now,
        "reason": candidate.reason,
        "rule": candidate.rule_id,
    }
