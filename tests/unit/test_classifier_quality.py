"""The classifier's quality is the product's core figure: measured here so a regression fails CI.

`tune.jsonl` (320 utterances) is what the cues were tuned on; `heldout.jsonl` (200) was written
separately and is never used for tuning. Crisis recall must stay perfect on both.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpline.catalog.utterances import load_utterances
from helpline.domain.taxonomy import CallerType, Category
from helpline.services.evaluation import evaluate

DATA = Path(__file__).resolve().parent.parent / "data" / "utterances"


@pytest.fixture(scope="module")
def tune_report(router):  # type: ignore[no-untyped-def]
    return evaluate(router.classifier.classify, load_utterances(DATA / "tune.jsonl"))


@pytest.fixture(scope="module")
def heldout_report(router):  # type: ignore[no-untyped-def]
    return evaluate(router.classifier.classify, load_utterances(DATA / "heldout.jsonl"))


def test_corpora_are_large_enough_and_cover_every_category():
    corpora = (
        ("tune.jsonl", 300, 18),
        ("tune_extra.jsonl", 300, 18),
        ("tune_extra2.jsonl", 400, 23),
        ("heldout.jsonl", 200, 14),
        ("heldout_fresh.jsonl", 200, 14),
    )
    for name, minimum, per_category in corpora:
        items = load_utterances(DATA / name)
        assert len(items) >= minimum
        for category in Category:
            assert sum(i.category == category for i in items) >= per_category, (name, category)


def test_every_crisis_in_the_tuning_set_is_caught(tune_report):  # type: ignore[no-untyped-def]
    missed = [
        o.item.text for o in tune_report.outcomes if o.item.is_crisis and not o.result.is_crisis
    ]
    assert missed == []
    assert tune_report.crisis_false_alarms <= 0.02


@pytest.fixture(scope="module")
def fresh_report(router):  # type: ignore[no-untyped-def]
    return evaluate(router.classifier.classify, load_utterances(DATA / "heldout_fresh.jsonl"))


@pytest.mark.parametrize("name", ["tune_extra.jsonl", "tune_extra2.jsonl"])
def test_every_crisis_in_the_other_tuning_sets_is_caught(router, name):  # type: ignore[no-untyped-def]
    report = evaluate(router.classifier.classify, load_utterances(DATA / name))
    assert report.crisis_recall == 1.0
    assert report.crisis_false_alarms <= 0.02
    assert report.accuracy >= 0.95


def test_tuning_set_accuracy_floor(tune_report):  # type: ignore[no-untyped-def]
    assert tune_report.accuracy >= 0.97
    assert tune_report.caller_type_accuracy >= 0.97


# Regression floors on the held-out sets, just under the figures measured when they were set
# (README, "Figures"). They are below the product's targets (accuracy 0.92, crisis recall 1.00):
# raising them is the open work; lowering one needs a reason in the commit.
HELDOUT_FLOORS = {"accuracy": 0.90, "crisis_recall": 0.85, "caller_type_accuracy": 0.95}
FRESH_FLOORS = {"accuracy": 0.84, "crisis_recall": 0.81, "caller_type_accuracy": 0.93}


@pytest.mark.parametrize(
    ("report_name", "floors"),
    [("heldout_report", HELDOUT_FLOORS), ("fresh_report", FRESH_FLOORS)],
)
def test_heldout_figures_do_not_regress(request, report_name, floors):  # type: ignore[no-untyped-def]
    report = request.getfixturevalue(report_name)
    for figure, floor in floors.items():
        assert getattr(report, figure) >= floor, figure
    assert report.crisis_false_alarms <= 0.02
    assert report.area_accuracy >= 0.95


@pytest.mark.parametrize(
    ("said", "category"),
    [
        (
            "ik wil graag dagbesteding voor mijn man maar eigenlijk zie ik het niet meer zitten",
            Category.SUICIDE_RISK,
        ),
        (
            "hoe zit het met de eigen bijdrage en hij slaat me als hij in de war is",
            Category.ABUSE_SAFETY,
        ),
        (
            "ze is gevallen en komt niet meer overeind en ze heeft ook dementie",
            Category.ACUTE_MEDICAL,
        ),
    ],
)
def test_a_crisis_wins_over_every_other_need_in_the_same_breath(router, said, category):  # type: ignore[no-untyped-def]
    assert router.classifier.classify(said).category is category


@pytest.mark.parametrize(
    "said",
    [
        "ik heb veel veerkracht maar ik wil wel doorgaan met werken naast de zorg",
        "mijn moeder heeft vorig jaar een hartaanval gehad en nu zoek ik huishoudelijke hulp",
        "ik ben doodop van het regelen van de wmo aanvraag",
        "hij heeft geen dementie hoor maar hij vergeet wel eens wat",
        "we gaan dit weekend naar de kermis, kan iemand dan bij mijn vader zijn",
    ],
)
def test_everyday_words_do_not_raise_a_false_alarm(router, said):  # type: ignore[no-untyped-def]
    assert not router.classifier.classify(said).is_crisis


def test_a_professional_asking_about_a_caregiver_is_a_professional(router):  # type: ignore[no-untyped-def]
    said = "ik ben praktijkondersteuner en de mantelzorger van mijn patient is overbelast"
    result = router.classifier.classify(said)
    assert result.caller_type is CallerType.PROFESSIONAL
    assert result.category is Category.EMOTIONAL_SUPPORT


def test_evidence_shows_the_words_that_were_said(router):  # type: ignore[no-untyped-def]
    result = router.classifier.classify("eh mijn vader heeft alzheimer en dwaalt s nachts")
    said = {e.said for e in result.evidence if e.target == "dementia"}
    assert "alzheimer" in said
    assert 0 < result.confidence <= 1
