"""Twilio SMS webhook."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, current_app, request

from helpline.adapters.telephony.twiml import to_message
from helpline.services.sms import IncomingSms, handle_sms
from helpline.web.security import twilio_signed

log = logging.getLogger(__name__)
bp = Blueprint("sms", __name__, url_prefix="/twilio/sms")


@bp.post("")
@twilio_signed
def incoming() -> Response:
    form = request.form
    message = IncomingSms(form.get("MessageSid", ""), form.get("From", ""), form.get("Body", ""))
    reply = handle_sms(current_app.extensions["helpline"].line, message)
    return Response(to_message(reply), mimetype="text/xml")


@bp.errorhandler(Exception)
def on_error(error: Exception) -> Response:
    log.exception("sms webhook failed for message %s", request.form.get("MessageSid", "?"))
    line = current_app.extensions["helpline"].line
    return Response(
        to_message(line.texts.get("sms_no_partner", "nl", line=line.line_number)),
        mimetype="text/xml",
    )
