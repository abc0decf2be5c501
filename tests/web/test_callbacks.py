"""A promised callback is an agreement: placed on time, connected, kept, or noticed as missed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import pytest

from helpline.adapters import scheduler as jobs
from helpline.domain.calls import CallbackStatus
from helpline.services.callbacks import flag_missed_callbacks

SUNDAY_NIGHT = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)


@pytest.fixture
def promise(app, phone, clock):  # type: ignore[no-untyped-def]
    clock.now = SUNDAY_NIGHT
    phone.call(
        {
            "question": ["ik heb een vraag over het pgb"],
            "confirm": ["1"],
            "postcode": ["3011"],
            "callback": ["1"],
        }
    )
    services = app.extensions["helpline"]
    with services.line.unit_of_work() as uow:
        (agreed,) = uow.callbacks.all()
    jobs.configure(services.line, "http://localhost", timedelta(days=30))
    return agreed


def _promise(app, promise_id):  # type: ignore[no-untyped-def]
    with app.extensions["helpline"].line.unit_of_work() as uow:
        return uow.callbacks.get(promise_id), uow.callbacks.number(promise_id)


def test_callback_is_placed_connected_and_kept_and_the_number_forgotten(
    app, phone, promise, clock, twilio_api
):  # type: ignore[no-untyped-def]
    clock.now = promise.due_at
    jobs.run_callback(promise.id)
    (placed,) = twilio_api.calls()
    assert placed["To"] == phone.caller
    assert f"promise={promise.id}" in placed["Url"]
    _status, body = phone.post(
        f"/twilio/voice/callback-connect?promise={promise.id}", CallSid="CA-out", To=phone.caller
    )
    twiml = ElementTree.fromstring(body)
    partner = app.extensions["helpline"].router.directory[promise.partner_id]
    assert partner.name in twiml.find("Say").text
    assert twiml.find("Dial/Number").text == partner.phone
    phone.post(
        f"/twilio/voice/callback-dialled?promise={promise.id}",
        CallSid="CA-out",
        DialCallStatus="completed",
    )
    kept, number = _promise(app, promise.id)
    assert kept.status is CallbackStatus.KEPT
    assert number is None


def test_callback_not_answered_is_marked_missed(app, phone, promise, clock):  # type: ignore[no-untyped-def]
    clock.now = promise.due_at
    jobs.run_callback(promise.id)
    phone.post(
        f"/twilio/voice/callback-status?promise={promise.id}",
        CallSid="CA-out",
        CallStatus="no-answer",
    )
    missed, number = _promise(app, promise.id)
    assert missed.status is CallbackStatus.MISSED
    assert number is None


def test_callback_never_placed_shows_up_as_missed(app, promise, clock):  # type: ignore[no-untyped-def]
    line = app.extensions["helpline"].line
    assert flag_missed_callbacks(line, promise.due_at) == []
    assert flag_missed_callbacks(line, promise.due_at + timedelta(hours=1)) == [promise.id]
    assert _promise(app, promise.id)[0].status is CallbackStatus.MISSED


def test_line_report_adds_up_and_counts_the_missed_callback(app, promise, clock):  # type: ignore[no-untyped-def]
    from helpline.services.reports import report_line

    line = app.extensions["helpline"].line
    clock.now = promise.due_at + timedelta(hours=2)
    report = report_line(line, SUNDAY_NIGHT - timedelta(days=1))
    assert report.outcomes == {"callback_agreed": 1}
    assert report.calls == 1
    assert report.served_share == 1.0
    assert report.missed_callbacks == 1
