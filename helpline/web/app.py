"""create_app(): the one place where the parts are wired together."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.fernet import Fernet
from flask import Flask
from sqlalchemy import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from helpline.adapters.pseudonyms import KeyedHash
from helpline.adapters.scheduler import DatabaseScheduler
from helpline.adapters.storage.database import make_engine, make_sessions, upgrade
from helpline.adapters.storage.repositories import SqlUnitOfWork
from helpline.adapters.telephony.rest import TwilioTelephony
from helpline.catalog.live import LiveRouter
from helpline.catalog.texts import load_texts
from helpline.domain.routing import Router
from helpline.services.calls import VoiceLine
from helpline.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class Services:
    """What the blueprints reach through `current_app.extensions["helpline"]`."""

    settings: Settings
    current_router: LiveRouter

    @property
    def router(self) -> Router:
        return self.current_router()

    engine: Engine
    line: VoiceLine
    scheduler: DatabaseScheduler


def utc_now() -> datetime:
    return datetime.now(UTC)


def create_app(settings: Settings | None = None, *, clock=utc_now, telephony=None) -> Flask:  # type: ignore[no-untyped-def]
    """Build the app; refuses to start on broken data files (DataFileError lists them all)."""
    settings = settings or Settings()
    router = LiveRouter(settings.partners_dir, settings.rules_file)
    engine = make_engine(settings.database_url)
    upgrade(engine)
    scheduler = DatabaseScheduler(engine)
    line = _voice_line(settings, router, engine, clock, telephony, scheduler)
    app = Flask(__name__)
    app.config["SECRET_KEY"] = settings.secret_key.get_secret_value()
    if settings.proxy_hops:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app,
            x_for=settings.proxy_hops,
            x_proto=settings.proxy_hops,
            x_host=settings.proxy_hops,
        )
    app.extensions["helpline"] = Services(settings, router, engine, line, scheduler)
    _register_blueprints(app)
    return app


def _voice_line(  # type: ignore[no-untyped-def]
    settings: Settings, router: LiveRouter, engine: Engine, clock, telephony, scheduler
) -> VoiceLine:
    sessions = make_sessions(engine)
    cipher = Fernet(settings.encryption_key.get_secret_value().encode())
    return VoiceLine(
        current_router=router,
        texts=load_texts(),
        unit_of_work=lambda: SqlUnitOfWork(sessions, cipher),
        clock=clock,
        pseudonymise=KeyedHash(settings.pseudonym_key.get_secret_value()),
        telephony=telephony
        or TwilioTelephony(
            settings.twilio_account_sid,
            settings.twilio_auth_token.get_secret_value(),
            settings.line_number,
            settings.twilio_api_url,
        ),
        scheduler=scheduler,
        line_number=settings.line_number,
        operator_number=settings.operator_number,
        operator_queue=settings.operator_queue,
        ring_timeout=settings.ring_timeout,
    )


def _register_blueprints(app: Flask) -> None:
    from helpline.web import api, sms, voice

    for blueprint in (voice.bp, sms.bp, api.bp):
        app.register_blueprint(blueprint)

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}
