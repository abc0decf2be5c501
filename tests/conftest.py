"""Shared fixtures: a real database (SQLite by default, PostgreSQL when
HELPLINE_TEST_DATABASE_URL is set), a local HTTP server that behaves like Twilio's REST API,
and an app whose requests are signed the way Twilio signs them."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from sqlalchemy import MetaData, create_engine

from helpline.catalog import load_router
from helpline.domain.routing import Router
from helpline.settings import Settings
from helpline.web.app import create_app
from helpline.web.simulator import TwilioSimulator

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "test-auth-token"
CALLER = "+31612345678"  # fictional


@pytest.fixture(scope="session")
def router() -> Router:
    return load_router(ROOT / "partners", ROOT / "routing_rules.yaml")


@pytest.fixture
def db_url(tmp_path: Path) -> Iterator[str]:
    url = os.environ.get("HELPLINE_TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / 'helpline.db'}"
        return
    _drop_everything(url)
    yield url
    _drop_everything(url)


def _drop_everything(url: str) -> None:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    metadata = MetaData()
    metadata.reflect(engine)
    metadata.drop_all(engine)
    engine.dispose()


class FakeTwilioApi(ThreadingHTTPServer):
    """A local HTTP server that answers like api.twilio.com and keeps what it was sent."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _TwilioHandler)
        self.requests: list[tuple[str, dict[str, str]]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def messages(self) -> list[dict[str, str]]:
        return [form for path, form in self.requests if path.endswith("/Messages.json")]

    def calls(self) -> list[dict[str, str]]:
        return [form for path, form in self.requests if path.endswith("/Calls.json")]


class _TwilioHandler(BaseHTTPRequestHandler):
    server: FakeTwilioApi

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        if not self.headers.get("Authorization", "").startswith("Basic "):
            self._answer(401, {"code": 20003, "message": "Authenticate"})
            return
        self.server.requests.append((self.path, form))
        kind = "SM" if self.path.endswith("/Messages.json") else "CA"
        self._answer(
            201,
            {
                "sid": f"{kind}{len(self.server.requests):032d}",
                "status": "queued",
                **{k.lower(): v for k, v in form.items()},
            },
        )

    def _answer(self, status: int, body: dict[str, object]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def twilio_api() -> Iterator[FakeTwilioApi]:
    server = FakeTwilioApi()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


TUESDAY_AFTERNOON = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)  # 15:00 in Rotterdam


@pytest.fixture
def clock() -> Clock:
    return Clock(TUESDAY_AFTERNOON)


@pytest.fixture
def settings(db_url: str, twilio_api: FakeTwilioApi) -> Settings:
    return Settings(
        env="test",
        database_url=db_url,
        twilio_auth_token=TOKEN,
        twilio_api_url=twilio_api.url,
        partners_dir=ROOT / "partners",
        rules_file=ROOT / "routing_rules.yaml",
    )


@pytest.fixture
def app(settings: Settings, clock: Clock):  # type: ignore[no-untyped-def]
    application = create_app(settings, clock=clock)
    yield application
    application.extensions["helpline"].scheduler.shutdown()
    application.extensions["helpline"].engine.dispose()


@pytest.fixture
def phone(app) -> TwilioSimulator:  # type: ignore[no-untyped-def]
    return TwilioSimulator(app, caller=CALLER)


@pytest.fixture
def log_of(app):  # type: ignore[no-untyped-def]
    """The hand-off log entry of a call, as stored."""

    def read(sid: str):  # type: ignore[no-untyped-def]
        with app.extensions["helpline"].line.unit_of_work() as uow:
            return uow.calls.get(sid)

    return read


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    from tests.web.test_headline import HEADLINE

    if HEADLINE:
        terminalreporter.write_line(
            f"headline: {HEADLINE['share']:.0%} of {HEADLINE['calls']:.0f} simulated callers left "
            "with a partner, an agreement or a human"
        )
