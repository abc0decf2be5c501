"""Calls, their steps, dial attempts and callback promises, with the moves they allow."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from helpline.domain.errors import InvalidTransition


class Channel(StrEnum):
    VOICE = "voice"
    SMS = "sms"


class Outcome(StrEnum):
    """Exactly one per call: how the caller left the line."""

    CONNECTED_PARTNER = "connected_partner"
    CRISIS_ESCALATION = "crisis_escalation"
    CONNECTED_OPERATOR = "connected_operator"
    CALLBACK_AGREED = "callback_agreed"
    SMS_INFO_SENT = "sms_info_sent"
    HUNG_UP_BEFORE_ROUTE = "hung_up_before_route"
    HUNG_UP_AFTER_ROUTE = "hung_up_after_route"
    NOBODY_REACHED = "nobody_reached"

    @property
    def is_served(self) -> bool:
        """The caller left with a partner, an agreement or a human: the line's headline."""
        return self in SERVED_OUTCOMES


SERVED_OUTCOMES = frozenset(
    {
        Outcome.CONNECTED_PARTNER,
        Outcome.CRISIS_ESCALATION,
        Outcome.CONNECTED_OPERATOR,
        Outcome.CALLBACK_AGREED,
        Outcome.SMS_INFO_SENT,
    }
)


class DialStatus(StrEnum):
    """Twilio's DialCallStatus values that end a dial attempt."""

    COMPLETED = "completed"
    ANSWERED = "answered"
    BUSY = "busy"
    NO_ANSWER = "no-answer"
    FAILED = "failed"
    CANCELED = "canceled"

    @property
    def is_connected(self) -> bool:
        return self in {DialStatus.COMPLETED, DialStatus.ANSWERED}

    @classmethod
    def of(cls, value: str) -> DialStatus:
        """Twilio's value; anything unknown or missing counts as a failed dial."""
        try:
            return cls(value)
        except ValueError:
            return cls.FAILED


class CallbackStatus(StrEnum):
    AGREED = "agreed"
    KEPT = "kept"
    MISSED = "missed"


@dataclass(slots=True)
class DialAttempt:
    partner_id: str
    started_at: datetime
    status: DialStatus | None = None
    duration: int | None = None


@dataclass(slots=True)
class Call:
    """One contact with the line; `state` holds where the conversation is (no personal data)."""

    sid: str
    channel: Channel
    caller_key: str
    started_at: datetime
    language: str = "nl"
    caller_type: str | None = None
    category: str | None = None
    area: str | None = None
    confidence: float | None = None
    evidence: list[str] = field(default_factory=list)
    candidates: list[str] = field(default_factory=list)
    partner_id: str | None = None
    routed_by: str = "automatic"
    outcome: Outcome | None = None
    outcome_step: str | None = None
    ended_at: datetime | None = None
    connected_after: float | None = None  # seconds from start to a partner or human answering
    talk_time: int | None = None
    sms_consent: bool = False
    state: dict[str, Any] = field(default_factory=dict)
    steps: list[tuple[datetime, str, str]] = field(default_factory=list)
    attempts: list[DialAttempt] = field(default_factory=list)

    @property
    def route_offered(self) -> bool:
        return bool(self.candidates) or self.category is not None

    def record_step(self, at: datetime, step: str, detail: str = "") -> None:
        self.steps.append((at, step, detail))

    def end(self, outcome: Outcome, step: str, at: datetime) -> None:
        """Give the call its one outcome; a second, different outcome is refused."""
        if self.outcome is not None:
            if self.outcome is outcome:
                return
            raise InvalidTransition(f"call {self.sid} already ended as {self.outcome.value}")
        self.outcome, self.outcome_step, self.ended_at = outcome, step, at
        self.record_step(at, "outcome", outcome.value)

    def mark_connected(self, at: datetime) -> None:
        if self.connected_after is None:
            self.connected_after = round((at - self.started_at).total_seconds(), 1)


@dataclass(slots=True)
class CallbackPromise:
    """An agreement: the line calls back at `due_at` and connects to `partner_id`."""

    id: int | None
    call_sid: str
    partner_id: str
    due_at: datetime
    language: str = "nl"
    status: CallbackStatus = CallbackStatus.AGREED
    done_at: datetime | None = None
    attempts: int = 0

    def keep(self, at: datetime) -> None:
        if self.status is not CallbackStatus.AGREED:
            raise InvalidTransition(f"callback {self.id} is already {self.status.value}")
        self.status, self.done_at = CallbackStatus.KEPT, at

    def miss(self, at: datetime) -> None:
        if self.status is CallbackStatus.KEPT:
            raise InvalidTransition(f"callback {self.id} was kept")
        self.status, self.done_at = CallbackStatus.MISSED, at
