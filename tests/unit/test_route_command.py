"""`helpline route`: what a coordinator or researcher gets back from the command line."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from helpline.cli import main

TUESDAY_MORNING = "2026-11-24T11:00"
SHOPPING = "ik heb hulp nodig bij de boodschappen voor mijn moeder"
SUICIDAL = "ik wil er niet meer zijn"


@pytest.fixture(autouse=True)
def _shipped_router(router, monkeypatch):  # type: ignore[no-untyped-def]
    """Reuse the session's router instead of loading the data files for every command."""
    monkeypatch.setattr("helpline.cli.load_router", lambda partners, rules: router)


def _route(*args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["route", *args], input=stdin)


def _route_json(*args: str) -> dict:  # type: ignore[type-arg]
    result = _route("--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_route_json_prints_one_object_explaining_the_suggestion():
    body = _route_json("--postcode", "3082", "--at", TUESDAY_MORNING, SHOPPING)

    keys = {"category", "caller_type", "area", "confidence", "evidence", "escalation"}
    assert keys | {"partners", "next_opening"} <= body.keys()
    assert body["category"] == "practical_help"
    assert body["caller_type"] == "caregiver"
    assert body["area"] == "Charlois"
    assert 0 < body["confidence"] <= 1
    assert body["escalation"] is None
    assert body["next_opening"] is None


def test_route_json_lists_the_words_that_counted():
    body = _route_json("--postcode", "3082", "--at", TUESDAY_MORNING, SHOPPING)

    assert body["evidence"]
    assert all(set(e) == {"cue", "said", "target", "weight"} for e in body["evidence"])
    assert any(
        e["said"] == "boodschappen" and e["target"] == "practical_help" for e in body["evidence"]
    )


def test_route_json_lists_partners_with_what_an_operator_needs():
    body = _route_json("--postcode", "3082", "--at", TUESDAY_MORNING, SHOPPING)

    partners = body["partners"]
    assert partners
    for partner in partners:
        assert {"id", "name", "type", "phone", "area", "open_now", "reason"} <= partner.keys()
        assert partner["phone"].startswith("+")
        assert partner["area"] == "all" or "Charlois" in partner["area"]
    top = partners[0]
    assert top["id"] == "vrijwillige-hulpdienst-zuid"
    assert top["open_now"] is True
    assert top["reason"] == (
        "rule practical-help covers practical_help; volunteer_service, serves Charlois"
    )


def test_route_json_at_night_names_the_next_opening():
    body = _route_json("--postcode", "3082", "--at", "2026-11-29T03:00", SHOPPING)

    assert not any(p["open_now"] for p in body["partners"])
    assert body["next_opening"] == {
        "partner": "wijkteam-charlois",
        "at": "2026-11-30T08:30:00+01:00",
    }


def test_route_json_for_a_crisis_has_an_escalation():
    body = _route_json("--at", TUESDAY_MORNING, SUICIDAL)

    assert body["category"] == "suicide_risk"
    assert body["escalation"] is not None
    assert body["escalation"]["category"] == "suicide_risk"
    assert body["partners"][0]["id"] == "113-zelfmoordpreventie"


def test_route_without_text_or_jsonl_is_a_usage_error():
    result = _route("--json")

    assert result.exit_code == 2
    assert "give TEXT, or --jsonl" in result.output


def test_route_without_json_prints_a_readable_summary():
    result = _route("--postcode", "3082", "--at", TUESDAY_MORNING, SHOPPING)

    assert result.exit_code == 0
    assert "category:    practical_help" in result.stdout
    assert "[vrijwillige-hulpdienst-zuid]" in result.stdout


# --jsonl: one line in, one line out


def _lines(*items: dict | str) -> str:  # type: ignore[type-arg]
    return "".join((i if isinstance(i, str) else json.dumps(i)) + "\n" for i in items)


def _route_jsonl(stdin: str) -> list[dict]:  # type: ignore[type-arg]
    result = _route("--jsonl", "--at", TUESDAY_MORNING, stdin=stdin)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_jsonl_answers_each_line_with_one_json_line():
    answers = _route_jsonl(
        _lines(
            {"text": "mijn vader heeft alzheimer", "postcode": "3082"},
            {"text": SHOPPING, "postcode": "3011"},
            {"text": SUICIDAL},
        )
    )

    assert [a["category"] for a in answers] == ["dementia", "practical_help", "suicide_risk"]
    assert [a["area"] for a in answers] == ["Charlois", "Centrum", None]
    assert answers[2]["escalation"] is not None


def test_jsonl_reports_a_malformed_line_and_goes_on():
    answers = _route_jsonl(
        _lines({"text": SHOPPING, "postcode": "3082"}, "dit is geen json", {"text": SUICIDAL})
    )

    assert len(answers) == 3
    assert answers[0]["category"] == "practical_help"
    assert answers[1].keys() == {"error"}
    assert answers[1]["error"].startswith("stdin:2: JSONDecodeError: ")
    assert answers[2]["category"] == "suicide_risk"


def test_jsonl_names_the_line_that_misses_its_text():
    answers = _route_jsonl(_lines({"text": SHOPPING}, {"txt": SHOPPING}))

    assert answers[1] == {"error": "stdin:2: KeyError: 'text'"}


@pytest.mark.parametrize(
    "item",
    [
        ["not", "an", "object"],
        {"text": SHOPPING, "at": "morgen om tien uur"},
        {"text": SHOPPING, "caller_type": "buurman"},
    ],
    ids=["list", "bad-moment", "bad-caller-type"],
)
def test_jsonl_reports_a_bad_line_by_number_without_stopping(item):
    answers = _route_jsonl(_lines({"text": SHOPPING}, item, {"text": SHOPPING}))

    assert len(answers) == 3
    assert answers[1]["error"].startswith("stdin:2: ")
    assert answers[2]["category"] == "practical_help"


def test_jsonl_reports_a_postcode_given_as_a_number_without_stopping():
    answers = _route_jsonl(_lines({"text": SHOPPING, "postcode": 3082}, {"text": SHOPPING}))

    assert len(answers) == 2
    assert answers[1]["category"] == "practical_help"


def test_jsonl_uses_the_moment_given_on_a_line():
    answers = _route_jsonl(
        _lines(
            {"text": SHOPPING, "postcode": "3082"},
            {"text": SHOPPING, "postcode": "3082", "at": "2026-11-29T03:00"},
        )
    )

    assert answers[0]["next_opening"] is None
    assert answers[1]["next_opening"]["partner"] == "wijkteam-charlois"


def test_jsonl_in_parallel_answers_as_one_process_does_in_the_same_order():
    """More lines than one worker's share, with a broken line among them: same answers."""
    texts = [SHOPPING, SUICIDAL, "mijn vader heeft alzheimer", "hallo"] * 50
    items: list[dict | str] = [{"text": t, "postcode": "3082"} for t in texts]  # type: ignore[type-arg]
    items[150] = "geen json"
    stdin = _lines(*items)

    single = _route("--jsonl", "--workers", "1", "--at", TUESDAY_MORNING, stdin=stdin)
    parallel = _route("--jsonl", "--workers", "3", "--at", TUESDAY_MORNING, stdin=stdin)

    assert single.exit_code == parallel.exit_code == 0
    assert parallel.stdout == single.stdout
    answers = [json.loads(line) for line in parallel.stdout.splitlines()]
    assert len(answers) == 200
    assert answers[150] == {
        "error": "stdin:151: JSONDecodeError: Expecting value: line 1 column 1 (char 0)"
    }
    assert [a["category"] for a in answers[:4]] == [
        "practical_help",
        "suicide_risk",
        "dementia",
        "unclear",
    ]
