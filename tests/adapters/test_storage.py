"""The hand-off log on a real database (SQLite, or PostgreSQL with HELPLINE_TEST_DATABASE_URL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import inspect, text

from helpline.adapters.storage.database import make_engine, make_sessions, upgrade
from helpline.adapters.storage.repositories import SqlUnitOfWork
from helpline.domain.calls import Call, CallbackPromise, Channel, DialAttempt, DialStatus, Outcome
from helpline.domain.errors import InvalidTransition

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
NUMBER = "+31612345678"  # fictional


@pytest.fixture
def uow(db_url):  # type: ignore[no-untyped-def]
    engine = make_engine(db_url)
    upgrade(engine)
    sessions = make_sessions(engine)
    cipher = Fernet(Fernet.generate_key())
    yield lambda: SqlUnitOfWork(sessions, cipher)
    engine.dispose()


def test_upgrade_creates_the_schema_and_is_safe_to_repeat(db_url):  # type: ignore[no-untyped-def]
    engine = make_engine(db_url)
    upgrade(engine)
    upgrade(engine)
    tables = set(inspect(engine).get_table_names())
    assert {
        "calls",
        "call_steps",
        "dial_attempts",
        "transcripts",
        "callbacks",
        "sms_conversations",
    } <= tables
    engine.dispose()


def test_a_call_round_trips_with_steps_attempts_and_aware_times(uow):  # type: ignore[no-untyped-def]
    call = Call("CA1", Channel.VOICE, "k" * 32, NOW)
    call.record_step(NOW, "welcome")
    call.attempts.append(DialAttempt("wijkteam-noord", NOW, DialStatus.NO_ANSWER, 0))
    call.end(Outcome.CONNECTED_OPERATOR, "operator", NOW + timedelta(seconds=40))
    with uow() as work:
        work.calls.add(call)
        work.commit()
    with uow() as work:
        stored = work.calls.get("CA1")
    assert stored.outcome is Outcome.CONNECTED_OPERATOR
    assert stored.ended_at == NOW + timedelta(seconds=40)
    assert stored.started_at.tzinfo is not None
    assert [s[1] for s in stored.steps] == ["welcome", "outcome"]
    assert stored.attempts[0].status is DialStatus.NO_ANSWER


def test_a_call_cannot_end_twice_with_different_outcomes():
    call = Call("CA1", Channel.VOICE, "k", NOW)
    call.end(Outcome.CONNECTED_PARTNER, "dial", NOW)
    call.end(Outcome.CONNECTED_PARTNER, "dial", NOW)
    with pytest.raises(InvalidTransition):
        call.end(Outcome.HUNG_UP_AFTER_ROUTE, "dial", NOW)


def test_callback_numbers_are_stored_encrypted_and_deleted_when_done(uow, db_url):  # type: ignore[no-untyped-def]
    promise = CallbackPromise(None, "CA1", "wijkteam-noord", NOW + timedelta(hours=12))
    with uow() as work:
        promise_id = work.callbacks.add(promise, NUMBER)
        work.commit()
        raw = work.session.execute(text("SELECT number_encrypted FROM callbacks")).scalar_one()
    assert NUMBER not in raw
    assert NUMBER[3:] not in raw
    with uow() as work:
        assert work.callbacks.number(promise_id) == NUMBER
        stored = work.callbacks.get(promise_id)
        stored.keep(NOW + timedelta(hours=12))
        work.callbacks.save(stored)
        work.commit()
    with uow() as work:
        assert work.callbacks.number(promise_id) is None


def test_partners_whose_recent_dials_all_failed_are_reported(uow):  # type: ignore[no-untyped-def]
    call = Call("CA1", Channel.VOICE, "k", NOW)
    for minute, status in enumerate([DialStatus.NO_ANSWER, DialStatus.BUSY, DialStatus.FAILED]):
        call.attempts.append(DialAttempt("a", NOW + timedelta(minutes=minute), status, 0))
    call.attempts.append(DialAttempt("b", NOW, DialStatus.NO_ANSWER, 0))
    call.attempts.append(DialAttempt("b", NOW + timedelta(minutes=5), DialStatus.COMPLETED, 60))
    with uow() as work:
        work.calls.add(call)
        work.commit()
        assert work.calls.failing_partners(NOW - timedelta(hours=1), 3) == {"a"}
        assert work.calls.failing_partners(NOW + timedelta(hours=1), 3) == set()


def test_transcripts_are_purged_after_their_retention(uow):  # type: ignore[no-untyped-def]
    with uow() as work:
        work.calls.add_transcript("CA1", NOW - timedelta(days=40), "oud")
        work.calls.add_transcript("CA2", NOW, "nieuw")
        work.commit()
    with uow() as work:
        assert work.calls.purge_transcripts(NOW - timedelta(days=30)) == 1
        work.commit()
        remaining = work.session.execute(text("SELECT text FROM transcripts")).scalars().all()
    assert remaining == ["nieuw"]


def test_handoff_counts_feed_fair_spreading(uow):  # type: ignore[no-untyped-def]
    with uow() as work:
        for index, partner in enumerate(["a", "a", "b"]):
            call = Call(f"CA{index}", Channel.VOICE, "k", NOW)
            call.partner_id = partner
            work.calls.add(call)
        work.commit()
        assert work.calls.handoff_counts(NOW - timedelta(days=1)) == {"a": 2, "b": 1}
