"""Twilio request signatures: every Twilio route checks one, with no bypass."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from flask import Response, current_app, request
from twilio.request_validator import RequestValidator

log = logging.getLogger(__name__)


def signed_url() -> str:
    """The URL Twilio signed: HELPLINE_PUBLIC_URL plus path and query when behind a proxy."""
    public: str | None = current_app.extensions["helpline"].settings.public_url
    if not public:
        return request.url
    query = request.query_string.decode()
    return public.rstrip("/") + request.path + (f"?{query}" if query else "")


def twilio_signed(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        settings = current_app.extensions["helpline"].settings
        validator = RequestValidator(settings.twilio_auth_token.get_secret_value())
        signature = request.headers.get("X-Twilio-Signature", "")
        if not signature or not validator.validate(signed_url(), request.form.to_dict(), signature):
            log.warning("rejected unsigned or badly signed request to %s", request.path)
            return Response("invalid Twilio signature", status=403, mimetype="text/plain")
        return view(*args, **kwargs)

    return checked
