"""Use case: keep the callbacks the line promised, and notice at once when one is missed."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from helpline.domain.calls import CallbackStatus
from helpline.domain.voice import Connect, Hangup, Instruction, Queue, Say
from helpline.services.calls import PATH, VoiceLine

log = logging.getLogger(__name__)
GRACE = timedelta(minutes=15)  # a callback not placed within this is missed


def place_callback(line: VoiceLine, promise_id: int, public_url: str) -> bool:
    """Ring the caller back; the answered call is connected to the partner (callback-connect)."""
    with line.unit_of_work() as uow:
        promise = uow.callbacks.get(promise_id)
        number = uow.callbacks.number(promise_id)
        if promise is None or promise.status is not CallbackStatus.AGREED or number is None:
            return False
        promise.attempts += 1
        uow.callbacks.save(promise)
        uow.commit()
    line.telephony.place_call(
        to=number,
        url=f"{public_url}{PATH}/callback-connect?promise={promise_id}",
        status_url=f"{public_url}{PATH}/callback-status?promise={promise_id}",
    )
    return True


def connect_callback(line: VoiceLine, promise_id: int) -> list[Instruction]:
    """The caller picked up our callback: tell them who this is and put them through."""
    with line.unit_of_work() as uow:
        promise = uow.callbacks.get(promise_id)
    if promise is None:
        return [Hangup()]
    partner = line.router.directory[promise.partner_id]
    intro = line.texts.get("callback_intro", promise.language, name=partner.name)
    return [
        Say(intro, promise.language),
        Connect(
            partner.phone,
            f"{PATH}/callback-dialled?promise={promise_id}",
            "",
            line.line_number,
            line.ring_timeout,
        ),
    ]


def finish_callback(line: VoiceLine, promise_id: int, dial_status: str) -> list[Instruction]:
    """Kept when the partner answered; otherwise the caller goes to an operator at once."""
    now = line.clock()
    with line.unit_of_work() as uow:
        promise = uow.callbacks.get(promise_id)
        if promise is None:
            return [Hangup()]
        if dial_status in ("completed", "answered"):
            if promise.status is CallbackStatus.AGREED:
                promise.keep(now)
            reply: list[Instruction] = [Hangup()]
        else:
            reply = [
                Say(line.texts.get("to_operator", promise.language), promise.language),
                Queue(
                    line.operator_queue,
                    f"{PATH}/hold",
                    f"{PATH}/callback-queued?promise={promise_id}",
                ),
            ]
        uow.callbacks.save(promise)
        uow.commit()
    return reply


def callback_call_ended(line: VoiceLine, promise_id: int, call_status: str) -> None:
    """Our outbound call ended; if the partner was never reached the promise is missed."""
    now = line.clock()
    with line.unit_of_work() as uow:
        promise = uow.callbacks.get(promise_id)
        if promise is None or promise.status is not CallbackStatus.AGREED:
            return
        if call_status in ("busy", "failed", "no-answer", "canceled", "completed"):
            promise.miss(now)
            log.warning("callback %s missed (%s)", promise_id, call_status)
            uow.callbacks.save(promise)
            uow.commit()


def flag_missed_callbacks(line: VoiceLine, now: datetime | None = None) -> list[int]:
    """Promises still open well after their time are marked missed, so that they show up."""
    moment = now or line.clock()
    with line.unit_of_work() as uow:
        missed = uow.callbacks.overdue(moment - GRACE)
        for promise in missed:
            promise.miss(moment)
            uow.callbacks.save(promise)
            log.warning("callback %s missed: not placed by %s", promise.id, promise.due_at)
        uow.commit()
    return [p.id for p in missed if p.id is not None]


def purge_transcripts(line: VoiceLine, retention: timedelta) -> int:
    with line.unit_of_work() as uow:
        count = uow.calls.purge_transcripts(line.clock() - retention)
        uow.commit()
    return count
