"""The `helpline` command: route, check, eval, call, serve, db, scheduler, export."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

import click

from helpline.catalog import load_router
from helpline.catalog.utterances import load_utterances
from helpline.domain.errors import DataFileError
from helpline.domain.routing import Router
from helpline.services.evaluation import evaluate, format_report
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
@click.pass_obj
def route(
    settings: Settings,
    text: str | None,
    as_json: bool,
    jsonl: bool,
    postcode: str | None,
    at: str | None,
    caller_type: str | None,
) -> None:
    """Classify TEXT and show where it should go, and why."""
    router = _router(settings)
    if jsonl:
        _route_lines(router, sys.stdin, sys.stdout, _moment(at))
        return
    if not text:
        raise click.UsageError("give TEXT, or --jsonl with lines on stdin")
    result = route_question(RouteQuestion(text, _moment(at), postcode, caller_type), router)
    click.echo(json.dumps(result, ensure_ascii=False, indent=2) if as_json else _describe(result))


def _route_lines(router: Router, lines: TextIO, out: TextIO, default_at: datetime) -> None:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            question = RouteQuestion(
                text=str(item["text"]),
                at=_moment(item.get("at")) if item.get("at") else default_at,
                postcode=item.get("postcode"),
                caller_type=item.get("caller_type"),
            )
            result: dict[str, Any] = route_question(question, router)
        except (ValueError, KeyError, TypeError) as exc:
            result = {"error": f"stdin:{number}: {type(exc).__name__}: {exc}"}
        out.write(json.dumps(result, ensure_ascii=False) + "\n")


def _describe(result: dict[str, Any]) -> str:
    lines = [
        f"category:    {result['category']} (confidence {result['confidence']})",
        f"caller type: {result['caller_type']}",
        f"area:        {result['area'] or '-'}",
        "evidence:    "
        + ("; ".join(f'"{e["said"]}" ~ {e["cue"]} ({e["target"]} {e["weight"]:+g})'
                     for e in result["evidence"]) or "-"),
    ]
    if result["escalation"]:
        esc = result["escalation"]
        lines.append(f"ESCALATION:  {esc['category']} {esc['emergency_number'] or ''} dial {esc['dial']}")
    for rank, partner in enumerate(result["partners"], start=1):
        state = "open" if partner["open_now"] else "closed"
        lines.append(f"  {rank}. {partner['name']} [{partner['id']}] {partner['phone']} {state}: {partner['reason']}")
    if result["next_opening"]:
        lines.append(f"next opening: {result['next_opening']['partner']} at {result['next_opening']['at']}")
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
@click.pass_obj
def evaluate(settings: Settings, data: tuple[Path, ...]) -> None:
    """Measure the classifier on labelled utterances (default: the held-out set)."""
    router = _router(settings)
    files = data or (settings.rules_file.parent / "tests/data/utterances/heldout.jsonl",)
    try:
        items = [item for path in files for item in load_utterances(path)]
    except DataFileError as exc:
        click.echo("\n".join(exc.problems), err=True)
        raise SystemExit(1) from exc
    click.echo(format_report(evaluate(router.classifier.classify, items)))
