"""Twilio voice webhooks. Whatever breaks, the caller reaches a human."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, abort, current_app, request

from helpline.adapters.telephony.twiml import to_twiml
from helpline.domain.voice import Connect, Instruction, Say
from helpline.services import callbacks
from helpline.services.calls import STEPS, VoiceRequest, handle_voice, whisper
from helpline.web.security import twilio_signed

log = logging.getLogger(__name__)
bp = Blueprint("voice", __name__, url_prefix="/twilio/voice")


def _twiml(instructions: list[Instruction]) -> Response:
    return Response(to_twiml(instructions), mimetype="text/xml")


def _to_human() -> Response:
    """Static TwiML that reaches the operator desk without touching the database."""
    line = current_app.extensions["helpline"].line
    text = line.texts.get("fallback", "nl")
    return _twiml([Say(text, "nl"), Connect(line.operator_number, "", "", line.line_number, 60)])


def _request() -> VoiceRequest:
    form = request.form
    return VoiceRequest(
        sid=form.get("CallSid", ""),
        caller=form.get("From", ""),
        speech=form.get("SpeechResult", ""),
        digits=form.get("Digits", ""),
        dial_status=form.get("DialCallStatus", ""),
        dial_duration=int(form.get("DialCallDuration") or 0),
        queue_result=form.get("QueueResult", ""),
        queue_position=int(form.get("QueuePosition") or 0),
        call_status=form.get("CallStatus", ""),
        params=dict(request.args),
    )


@bp.post("")
@twilio_signed
def incoming() -> Response:
    return _twiml(handle_voice(current_app.extensions["helpline"].line, "incoming", _request()))


@bp.post("/fallback")
@twilio_signed
def fallback() -> Response:
    return _to_human()


@bp.post("/whisper")
@twilio_signed
def partner_whisper() -> Response:
    return _twiml(whisper(current_app.extensions["helpline"].line, request.args.get("sid", "")))


@bp.post("/callback-connect")
@twilio_signed
def callback_connect() -> Response:
    promise = int(request.args.get("promise", "0"))
    return _twiml(callbacks.connect_callback(current_app.extensions["helpline"].line, promise))


@bp.post("/callback-dialled")
@twilio_signed
def callback_dialled() -> Response:
    line = current_app.extensions["helpline"].line
    promise = int(request.args.get("promise", "0"))
    return _twiml(callbacks.finish_callback(line, promise, request.form.get("DialCallStatus", "")))


@bp.post("/callback-status")
@twilio_signed
def callback_status() -> Response:
    line = current_app.extensions["helpline"].line
    promise = int(request.args.get("promise", "0"))
    callbacks.callback_call_ended(line, promise, request.form.get("CallStatus", ""))
    return _twiml([])


@bp.post("/<step>")
@twilio_signed
def step(step: str) -> Response:
    if step not in STEPS or step == "incoming":
        abort(404)
    return _twiml(handle_voice(current_app.extensions["helpline"].line, step, _request()))


@bp.errorhandler(Exception)
def on_error(error: Exception) -> Response:
    if getattr(error, "code", None) == 404:
        return _to_human()
    log.exception(
        "voice webhook failed for call %s; caller sent to operator",
        request.form.get("CallSid", "?"),
    )
    return _to_human()
