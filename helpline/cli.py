"""The `helpline` command: route, check, eval, call, serve, db, scheduler, export."""

from __future__ import annotations

import itertools
import json
import multiprocessing
import os
import sys
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

import click

from helpline.catalog import load_router
from helpline.catalog.rules import load_rules
from helpline.catalog.utterances import load_utterances
from helpline.domain.errors import DataFileError
from helpline.domain.routing import Router
from helpline.services import evaluation
from helpline.services.routing import RouteQuestion, route_question
from helpline.settings import Settings


def _router(settings: Settings) -> Router:
    try:
        return load_router(settings.partners_dir, settings.rules_file)
    except DataFileError as exc:
        click.echo("\n".join(exc.problems), err=True)
        raise SystemExit(1) from exc


def _moment(text: str | None) -> datetime:
    if not text:
        return datetime.now(UTC)
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        from helpline.domain.directory import AMSTERDAM

        moment = moment.replace(tzinfo=AMSTERDAM)
    return moment


@click.group()
@click.pass_context
def main(ctx: click.Context) -> None:
    """Routing software for a free 24/7 phone line for informal caregivers."""
    ctx.obj = Settings()


@main.command()
@click.argument("text", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--jsonl", is_flag=True, help="Read JSON lines from stdin, answer one line each.")
@click.option("--postcode", help="The caller's postcode, when known.")
@click.option("--at", "at", help="ISO-8601 moment to route at (default: now).")
@click.option("--caller-type", type=click.Choice(["caregiver", "professional", "other"]))
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=lambda: len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1,
    show_default="the CPUs this process may use",
    help="With --jsonl: processes routing lines in parallel (answers keep the input order).",
)
@click.pass_obj
def route(
    settings: Settings,
    text: str | None,
    as_json: bool,
    jsonl: bool,
    postcode: str | None,
    at: str | None,
    caller_type: str | None,
    workers: int,
) -> None:
    """Classify TEXT and show where it should go, and why."""
    router = _router(settings)
    if jsonl:
        if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
            try:
                _route_lines_parallel(router, sys.stdin, sys.stdout, _moment(at), workers)
            except BrokenProcessPool as exc:
                died = f"a worker process died ({exc}); the answers above are complete"
                click.echo(died, err=True)
                raise SystemExit(1) from exc
        else:
            _route_lines(router, sys.stdin, sys.stdout, _moment(at))
        return
    if not text:
        raise click.UsageError("give TEXT, or --jsonl with lines on stdin")
    result = route_question(RouteQuestion(text, _moment(at), postcode, caller_type), router)
    click.echo(json.dumps(result, ensure_ascii=False, indent=2) if as_json else _describe(result))


def _route_lines(router: Router, lines: TextIO, out: TextIO, default_at: datetime) -> None:
    for number, line in enumerate(lines, start=1):
        answer = _route_line(router, number, line, default_at)
        if answer is not None:
            out.write(answer)


def _route_line(router: Router, number: int, line: str, default_at: datetime) -> str | None:
    """One JSON line in, one out; a bad line gets an error naming it, and the rest go on."""
    if not line.strip():
        return None
    try:
        item = json.loads(line)
        question = RouteQuestion(
            text=str(item["text"]),
            at=_moment(item.get("at")) if item.get("at") else default_at,
            postcode=str(item["postcode"]) if item.get("postcode") is not None else None,
            caller_type=item.get("caller_type"),
        )
        result: dict[str, Any] = route_question(question, router)
    except (ValueError, KeyError, TypeError) as exc:
        result = {"error": f"stdin:{number}: {type(exc).__name__}: {exc}"}
    return json.dumps(result, ensure_ascii=False) + "\n"


# The router of the parent process, inherited by forked workers (copy-on-write, not pickled).
_WORKER_ROUTER: Router | None = None
_WORKER_CHUNK = 200


def _route_chunk(chunk: list[tuple[int, str, datetime]]) -> str:
    if _WORKER_ROUTER is None:
        raise RuntimeError("a worker without the parent's router")
    return "".join(
        _route_line(_WORKER_ROUTER, number, line, at) or "" for number, line, at in chunk
    )


def _route_lines_parallel(
    router: Router, lines: TextIO, out: TextIO, default_at: datetime, workers: int
) -> None:
    """The same answers in the same order, routed by `workers` forked processes. A few chunks
    are in flight at a time, so endless input streams; a worker that dies stops the run with
    an error instead of leaving it waiting."""
    global _WORKER_ROUTER
    _WORKER_ROUTER = router
    numbered = ((n, line, default_at) for n, line in enumerate(lines, start=1))
    chunks = iter(lambda: list(itertools.islice(numbered, _WORKER_CHUNK)), [])
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        pending: deque[Future[str]] = deque()
        for chunk in chunks:
            pending.append(pool.submit(_route_chunk, chunk))
            if len(pending) >= 2 * workers:
                out.write(pending.popleft().result())
        while pending:
            out.write(pending.popleft().result())


def _describe(result: dict[str, Any]) -> str:
    lines = [
        f"category:    {result['category']} (confidence {result['confidence']})",
        f"caller type: {result['caller_type']}",
        f"area:        {result['area'] or '-'}",
        "evidence:    "
        + (
            "; ".join(
                f'"{e["said"]}" ~ {e["cue"]} ({e["target"]} {e["weight"]:+g})'
                for e in result["evidence"]
            )
            or "-"
        ),
    ]
    if result["escalation"]:
        esc = result["escalation"]
        lines.append(
            f"ESCALATION:  {esc['category']} {esc['emergency_number'] or ''} dial {esc['dial']}"
        )
    for rank, partner in enumerate(result["partners"], start=1):
        state = "open" if partner["open_now"] else "closed"
        who = f"{partner['name']} [{partner['id']}] {partner['phone']}"
        lines.append(f"  {rank}. {who} {state}: {partner['reason']}")
    if result["next_opening"]:
        lines.append(
            f"next opening: {result['next_opening']['partner']} at {result['next_opening']['at']}"
        )
    return "\n".join(lines)


@main.command()
@click.pass_obj
def check(settings: Settings) -> None:
    """Validate partners/ and routing_rules.yaml; list every problem."""
    router = _router(settings)
    click.echo(
        f"ok: {len(router.directory)} partners, {len(router.rulebook.rules)} rules, "
        f"{len(router.classifier.cues)} cues"
    )


@main.command(name="eval")
@click.option("--data", "data", type=click.Path(exists=True, path_type=Path), multiple=True)
@click.option("--show-mistakes", is_flag=True, help="List misclassified utterances (tuning data).")
@click.option("--rules-only", is_flag=True, help="Leave the learned second opinion out.")
@click.pass_obj
def evaluate(
    settings: Settings, data: tuple[Path, ...], show_mistakes: bool, rules_only: bool
) -> None:
    """Measure the classifier on labelled utterances (default: the three held-out sets)."""
    router = _router(settings)
    corpora = settings.rules_file.parent / "tests/data/utterances"
    files = data or tuple(
        corpora / name for name in ("heldout.jsonl", "heldout_fresh.jsonl", "heldout_blind.jsonl")
    )
    try:
        items = [item for path in files for item in load_utterances(path)]
    except DataFileError as exc:
        click.echo("\n".join(exc.problems), err=True)
        raise SystemExit(1) from exc
    if rules_only:
        router.classifier.second_opinion = None
    # warm up on (a quarter of) the tuning corpora: never the utterances measured
    tuning = load_rules(settings.rules_file)[3]
    warm_up = [item.text for path in tuning for item in load_utterances(path)][::4]
    report = evaluation.evaluate(router.classifier.classify, items, warm_up=warm_up)
    click.echo(evaluation.format_report(report, show_mistakes=show_mistakes))


@main.command()
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
@click.pass_obj
def serve(settings: Settings, host: str, port: int) -> None:
    """Run the web service (development server; use gunicorn wsgi:app in production)."""
    from helpline.web.app import create_app

    app = _app(settings, create_app)
    click.echo(
        f"helpline on http://{host}:{port} (database {settings.database_url.split('@')[-1]})"
    )
    app.run(host=host, port=port)


def _app(settings: Settings, factory: Any, **kwargs: Any) -> Any:
    try:
        return factory(settings, **kwargs)
    except DataFileError as exc:
        click.echo("\n".join(exc.problems), err=True)
        raise SystemExit(1) from exc


@main.group()
def db() -> None:
    """Database schema."""


@db.command()
@click.pass_obj
def upgrade(settings: Settings) -> None:
    """Bring the database (HELPLINE_DATABASE_URL: SQLite or PostgreSQL) to the current schema."""
    from helpline.adapters.storage.database import make_engine
    from helpline.adapters.storage.database import upgrade as upgrade_schema

    upgrade_schema(make_engine(settings.database_url))
    click.echo("database is at the current schema")


@main.command()
@click.pass_obj
def scheduler(settings: Settings) -> None:
    """Run the one process that keeps callbacks and purges old transcripts."""
    import time
    from datetime import timedelta

    from helpline.adapters import scheduler as jobs
    from helpline.web.app import create_app

    app = _app(settings, create_app)
    services = app.extensions["helpline"]
    jobs.configure(
        services.line, settings.public_url or "", timedelta(days=settings.transcript_retention_days)
    )
    services.scheduler.start(paused=False)
    click.echo("scheduler running; Ctrl-C stops it")
    try:
        while True:
            time.sleep(60)
    except KeyboardInterrupt:
        services.scheduler.shutdown()


@main.command()
@click.argument("said", nargs=-1)
@click.option("--postcode", help="What the caller answers when asked for a postcode.")
@click.option(
    "--partner", "partner", default="", help="Dial outcomes in turn: answered,no-answer,busy,failed"
)
@click.option(
    "--operator", default="bridged", type=click.Choice(["bridged", "hangup", "queue-full"])
)
@click.option("--at", "at", help="ISO-8601 moment the call happens (default: now).")
@click.option("--english", is_flag=True, help="Press 9 for English first.")
@click.pass_obj
def call(
    settings: Settings,
    said: tuple[str, ...],
    postcode: str | None,
    partner: str,
    operator: str,
    at: str | None,
    english: bool,
) -> None:
    """Play a whole call through the app, signed as Twilio would, and print what happens."""
    import tempfile

    from helpline.web.app import create_app
    from helpline.web.simulator import TwilioSimulator

    moment = _moment(at)
    local = settings
    if settings.database_url == Settings().database_url:
        local = settings.model_copy(
            update={"database_url": f"sqlite:///{tempfile.mkdtemp()}/call.db"}
        )
    app = _app(local, create_app, clock=lambda: moment, telephony=_PrintingTelephony())
    answers: dict[str, list[str | None]] = {
        "question": [*(["9"] if english else []), *(said or ["ik heb een vraag"])],
        "confirm": ["1"],
        "postcode": [postcode] if postcode else ["#"],
        "choose": ["1"],
        "callback": ["1"],
        "medical": ["1"],
        "sms-consent": ["1"],
    }
    log = TwilioSimulator(app).call(
        answers, partners=[p for p in partner.split(",") if p], operator=operator
    )
    click.echo(str(log))
    click.echo(_outcome_line(app, log.sid))


class _PrintingTelephony:
    def send_sms(self, to: str, body: str) -> str:
        click.echo(f"sms to caller: {body}")
        return "SM-local"

    def place_call(self, to: str, url: str, status_url: str) -> str:
        click.echo(f"call placed to caller: {url}")
        return "CA-local"


def _outcome_line(app: Any, sid: str) -> str:
    with app.extensions["helpline"].line.unit_of_work() as uow:
        record = uow.calls.get(sid)
    if record is None or record.outcome is None:
        return "outcome: none"
    served = "served" if record.outcome.is_served else "NOT served"
    partner = record.partner_id or "-"
    return f"outcome: {record.outcome.value} at step {record.outcome_step} ({served}); {partner}"


@main.command()
@click.option("--days", default=30, type=int, help="Look back this many days.")
@click.pass_obj
def stats(settings: Settings, days: int) -> None:
    """Outcomes, the share of callers served, failing partner numbers and missed callbacks."""
    from datetime import timedelta

    from helpline.services.reports import format_line_report, report_line
    from helpline.web.app import create_app

    app = _app(settings, create_app)
    line = app.extensions["helpline"].line
    click.echo(format_line_report(report_line(line, line.clock() - timedelta(days=days))))


if __name__ == "__main__":
    main()
