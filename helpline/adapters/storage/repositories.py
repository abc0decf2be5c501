"""Repositories and the unit of work: domain objects in, domain objects out."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from cryptography.fernet import Fernet
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from helpline.adapters.storage.records import (
    AttemptRecord,
    CallbackRecord,
    CallRecord,
    ConversationRecord,
    StepRecord,
    TranscriptRecord,
)
from helpline.domain.calls import (
    Call,
    CallbackPromise,
    CallbackStatus,
    Channel,
    DialAttempt,
    DialStatus,
    Outcome,
)

_SCALARS = (
    "channel", "caller_key", "started_at", "ended_at", "language", "caller_type", "category",
    "area", "confidence", "partner_id", "routed_by", "outcome_step", "connected_after",
    "talk_time", "sms_consent",
)  # fmt: skip
_FAILED = (DialStatus.BUSY.value, DialStatus.NO_ANSWER.value, DialStatus.FAILED.value)


class SqlCallRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _record(self, sid: str) -> CallRecord | None:
        return self.session.scalar(select(CallRecord).where(CallRecord.sid == sid))

    def get(self, sid: str) -> Call | None:
        record = self._record(sid)
        return _to_call(record) if record else None

    def add(self, call: Call) -> None:
        record = CallRecord(sid=call.sid)
        self.session.add(record)
        _copy_into(record, call)

    def save(self, call: Call) -> None:
        record = self._record(call.sid)
        if record is None:
            self.add(call)
        else:
            _copy_into(record, call)

    def _count_by(self, column: Any, *conditions: Any) -> dict[Any, int]:
        rows = self.session.execute(
            select(column, func.count()).where(*conditions).group_by(column)
        )
        return {key: int(count) for key, count in rows}

    def handoff_counts(self, since: datetime) -> Mapping[str, int]:
        return self._count_by(
            CallRecord.partner_id,
            CallRecord.started_at >= since,
            CallRecord.partner_id.is_not(None),
        )

    def failing_partners(self, since: datetime, failures: int) -> set[str]:
        """Partners whose last `failures` attempts since `since` all failed."""
        rows = self.session.execute(
            select(AttemptRecord.partner_id, AttemptRecord.status)
            .where(AttemptRecord.started_at >= since, AttemptRecord.status.is_not(None))
            .order_by(AttemptRecord.started_at.desc(), AttemptRecord.id.desc())
        )
        recent: dict[str, list[str]] = {}
        for partner_id, status in rows:
            recent.setdefault(partner_id, []).append(str(status))
        return {
            partner
            for partner, statuses in recent.items()
            if len(statuses) >= failures and all(s in _FAILED for s in statuses[:failures])
        }

    def outcome_counts(self, since: datetime) -> Mapping[str, int]:
        counts = self._count_by(CallRecord.outcome, CallRecord.started_at >= since)
        return {outcome or "in_progress": count for outcome, count in counts.items()}

    def dial_failures(self, since: datetime) -> Mapping[str, int]:
        return self._count_by(
            AttemptRecord.partner_id,
            AttemptRecord.started_at >= since,
            AttemptRecord.status.in_(_FAILED),
        )

    def add_transcript(self, sid: str, at: datetime, text: str) -> None:
        self.session.add(TranscriptRecord(call_sid=sid, at=at, text=text))

    def purge_transcripts(self, before: datetime) -> int:
        result = self.session.execute(delete(TranscriptRecord).where(TranscriptRecord.at < before))
        return int(getattr(result, "rowcount", 0) or 0)


def _copy_into(record: CallRecord, call: Call) -> None:
    for name in _SCALARS:
        setattr(record, name, getattr(call, name))
    record.outcome = call.outcome.value if call.outcome else None
    record.evidence = list(call.evidence)
    record.candidates = list(call.candidates)
    record.state = dict(call.state)
    for at, step, detail in call.steps[len(record.steps) :]:
        record.steps.append(StepRecord(at=at, step=step, detail=detail[:200]))
    for index, attempt in enumerate(call.attempts):
        if index >= len(record.attempts):
            record.attempts.append(
                AttemptRecord(partner_id=attempt.partner_id, started_at=attempt.started_at)
            )
        stored = record.attempts[index]
        stored.status = attempt.status.value if attempt.status else None
        stored.duration = attempt.duration


def _to_call(record: CallRecord) -> Call:
    values: dict[str, Any] = {name: getattr(record, name) for name in _SCALARS}
    values["channel"] = Channel(record.channel)
    return Call(
        sid=record.sid,
        outcome=Outcome(record.outcome) if record.outcome else None,
        evidence=list(record.evidence or []),
        candidates=list(record.candidates or []),
        state=dict(record.state or {}),
        steps=[(s.at, s.step, s.detail) for s in record.steps],
        attempts=[
            DialAttempt(
                a.partner_id, a.started_at, DialStatus(a.status) if a.status else None, a.duration
            )
            for a in record.attempts
        ],
        **values,
    )


class SqlCallbackRepository:
    def __init__(self, session: Session, cipher: Fernet) -> None:
        self.session = session
        self.cipher = cipher

    def add(self, promise: CallbackPromise, number: str) -> int:
        record = CallbackRecord(
            call_sid=promise.call_sid,
            partner_id=promise.partner_id,
            due_at=promise.due_at,
            language=promise.language,
            status=promise.status.value,
            attempts=0,
            number_encrypted=self.cipher.encrypt(number.encode()).decode(),
        )
        self.session.add(record)
        self.session.flush()
        promise.id = record.id
        return record.id

    def get(self, promise_id: int) -> CallbackPromise | None:
        record = self.session.get(CallbackRecord, promise_id)
        return _to_promise(record) if record else None

    def save(self, promise: CallbackPromise) -> None:
        record = self.session.get(CallbackRecord, promise.id)
        if record is None:
            raise KeyError(f"callback {promise.id} does not exist")
        record.status, record.done_at = promise.status.value, promise.done_at
        record.attempts = promise.attempts
        if promise.status is not CallbackStatus.AGREED:
            record.number_encrypted = None  # the number is kept only while the promise is open

    def number(self, promise_id: int) -> str | None:
        record = self.session.get(CallbackRecord, promise_id)
        if record is None or record.number_encrypted is None:
            return None
        return self.cipher.decrypt(record.number_encrypted.encode()).decode()

    def overdue(self, before: datetime) -> list[CallbackPromise]:
        records = self.session.scalars(
            select(CallbackRecord).where(
                CallbackRecord.status == CallbackStatus.AGREED.value,
                CallbackRecord.due_at < before,
            )
        )
        return [_to_promise(r) for r in records]

    def count(self, status: CallbackStatus, since: datetime) -> int:
        return int(
            self.session.scalar(
                select(func.count()).where(
                    CallbackRecord.status == status.value, CallbackRecord.due_at >= since
                )
            )
            or 0
        )

    def all(self) -> list[CallbackPromise]:
        return [_to_promise(r) for r in self.session.scalars(select(CallbackRecord))]


def _to_promise(record: CallbackRecord) -> CallbackPromise:
    return CallbackPromise(
        id=record.id,
        call_sid=record.call_sid,
        partner_id=record.partner_id,
        due_at=record.due_at,
        language=record.language,
        status=CallbackStatus(record.status),
        done_at=record.done_at,
        attempts=record.attempts,
    )


class SqlConversations:
    def __init__(self, session: Session) -> None:
        self.session = session

    def load(self, key: str) -> dict[str, object]:
        record = self.session.get(ConversationRecord, key)
        return dict(record.state) if record else {}

    def store(self, key: str, state: dict[str, object], at: datetime) -> None:
        record = self.session.get(ConversationRecord, key)
        if record is None:
            self.session.add(ConversationRecord(key=key, state=dict(state), updated_at=at))
        else:
            record.state, record.updated_at = dict(state), at


class SqlUnitOfWork:
    """One transaction; `commit` or everything is rolled back on leaving."""

    def __init__(self, session_factory: sessionmaker[Session], cipher: Fernet) -> None:
        self.session_factory = session_factory
        self.cipher = cipher

    def __enter__(self) -> SqlUnitOfWork:
        self.session = self.session_factory()
        self.calls = SqlCallRepository(self.session)
        self.callbacks = SqlCallbackRepository(self.session, self.cipher)
        self.conversations = SqlConversations(self.session)
        return self

    def __exit__(self, *args: object) -> None:
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()
