"""`helpline eval`'s figures add up: what a researcher or coordinator reads off the report."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from helpline.cli import main
from helpline.domain.classification import Classification
from helpline.domain.taxonomy import CallerType, Category
from helpline.services.evaluation import LabelledUtterance, evaluate, format_report


def _item(text: str, category: Category) -> LabelledUtterance:
    return LabelledUtterance(text, category, frozenset(), CallerType.CAREGIVER, None)


def _heard(category: Category, worry: Category | None = None) -> Classification:
    return Classification(category, CallerType.CAREGIVER, None, 0.5, (), worry=worry)


def test_a_crisis_met_with_the_safety_question_counts_as_reached_not_as_recalled():
    items = [
        _item("escalated", Category.SUICIDE_RISK),
        _item("asked", Category.ABUSE_SAFETY),
        _item("missed", Category.ACUTE_MEDICAL),
        _item("calm", Category.HEALTH),
    ]
    heard = {
        "escalated": _heard(Category.SUICIDE_RISK),
        "asked": _heard(Category.PRACTICAL_HELP, worry=Category.ABUSE_SAFETY),
        "missed": _heard(Category.HEALTH),
        "calm": _heard(Category.HEALTH),
    }
    report = evaluate(heard.__getitem__, items, warm_up=["calm"])

    assert report.crisis_recall == 1 / 3
    assert report.crisis_caught_or_asked == 2 / 3
    assert report.accuracy == 2 / 4
    assert report.crisis_false_alarms == 0.0
    text = format_report(report)
    assert "crisis recall          0.333" in text
    assert "escalated or asked   0.667" in text
    assert text.splitlines()[-1].startswith("accuracy 0.500 crisis_recall 0.333")


def test_eval_command_measures_a_given_file_and_ends_with_the_headline(
    router, monkeypatch, tmp_path: Path
):  # type: ignore[no-untyped-def]
    monkeypatch.setattr("helpline.cli.load_router", lambda partners, rules: router)
    corpus = tmp_path / "mini.jsonl"
    corpus.write_text(
        '{"text": "mijn vader heeft alzheimer en dwaalt", "category": "dementia", "also": [],'
        ' "caller_type": "caregiver", "area": null}\n'
        '{"text": "ik wil er een eind aan maken", "category": "suicide_risk", "also": [],'
        ' "caller_type": "caregiver", "area": null}\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["eval", "--data", str(corpus)])
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("accuracy 1.000 crisis_recall 1.000 crisis_false_alarms 0.000")
    assert last.endswith("n 2")
