"""The classifier's quality is the product's core figure: measured here so a regression fails CI.

The tuning corpora (`tune*.jsonl`, each written independently) are what the cues were tuned on
and the model trained on; the held-out sets (`heldout*.jsonl`) were written apart and are never
used for either. Crisis recall must stay perfect on every tuning set.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpline.catalog.rules import load_rules
from helpline.catalog.utterances import load_utterances
from helpline.domain.taxonomy import CallerType, Category
from helpline.services.evaluation import evaluate

DATA = Path(__file__).resolve().parent.parent / "data" / "utterances"
TUNING = sorted(p.name for p in DATA.glob("tune*.jsonl"))
HELDOUT = ("heldout.jsonl", "heldout_fresh.jsonl", "heldout_blind.jsonl")


def test_corpora_are_large_enough_and_cover_every_category():
    assert len(TUNING) >= 19
    tuning = [item for name in TUNING for item in load_utterances(DATA / name)]
    assert len(tuning) >= 7000
    for category in Category:  # some tuning corpora focus on a few categories on purpose
        assert sum(i.category == category for i in tuning) >= 300, category
    for name in HELDOUT:
        items = load_utterances(DATA / name)
        assert len(items) >= 200, name
        for category in Category:
            assert sum(i.category == category for i in items) >= 14, (name, category)


def test_the_model_learns_from_every_tuning_set_and_from_no_held_out_set():
    rules = Path(__file__).resolve().parents[2] / "routing_rules.yaml"
    trained = {path.name for path in load_rules(rules)[3]}
    assert trained == set(TUNING)
    assert trained.isdisjoint(HELDOUT)


@pytest.mark.parametrize("name", TUNING)
def test_every_crisis_in_a_tuning_set_is_caught(router, name):  # type: ignore[no-untyped-def]
    report = evaluate(router.classifier.classify, load_utterances(DATA / name))
    missed = [o.item.text for o in report.outcomes if o.item.is_crisis and not o.result.is_crisis]
    assert missed == []
    # the crisis corpora hold 180 calm calls each written to sound alarming ("ik schrok me
    # dood", a TIA last week): a handful of those may still raise the alarm
    assert report.crisis_false_alarms <= 0.03
    assert report.accuracy >= 0.94  # the long wandering stories are the hardest
    assert report.caller_type_accuracy >= 0.95


# Regression floors on the held-out sets, just under the figures measured when they were set
# (README, "Figures"); lowering one needs a reason in the commit.
FLOORS = {
    "heldout.jsonl": {"accuracy": 0.96, "crisis_recall": 0.96, "caller_type_accuracy": 0.94},
    "heldout_fresh.jsonl": {"accuracy": 0.94, "crisis_recall": 0.96, "caller_type_accuracy": 0.95},
    "heldout_blind.jsonl": {"accuracy": 0.96, "crisis_recall": 0.98, "caller_type_accuracy": 0.94},
}


@pytest.mark.parametrize("name", HELDOUT)
def test_heldout_figures_do_not_regress(router, name):  # type: ignore[no-untyped-def]
    report = evaluate(router.classifier.classify, load_utterances(DATA / name))
    for figure, floor in FLOORS[name].items():
        assert getattr(report, figure) >= floor, figure
    assert report.crisis_false_alarms <= 0.02
    assert report.crisis_caught_or_asked == 1.0  # escalated, or asked the safety question
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
