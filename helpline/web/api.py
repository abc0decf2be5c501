"""JSON API for the console: the same routing as `helpline route --json`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, current_app, jsonify, request
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from helpline.services.routing import RouteQuestion, route_question

bp = Blueprint("api", __name__, url_prefix="/api")


class _RouteBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=2000)
    postcode: str | None = Field(default=None, pattern=r"^\d{4}\s?[A-Za-z]{0,2}$")
    at: datetime | None = None
    caller_type: str | None = Field(default=None, pattern="^(caregiver|professional|other)$")


@bp.post("/route")
def route() -> Any:
    try:
        body = _RouteBody.model_validate(request.get_json(force=True, silent=True) or {})
    except ValidationError as exc:
        problems = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
        return jsonify(errors=problems), 400
    at = body.at or datetime.now(UTC)
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    services = current_app.extensions["helpline"]
    question = RouteQuestion(body.text, at, body.postcode, body.caller_type)
    return jsonify(route_question(question, services.router))
