"""The learned second opinion: consulted only where the cues are unsure, and explained."""

from __future__ import annotations

import pytest

from helpline.catalog.model import NgramModel
from helpline.domain.classification import Classifier, Opinion
from helpline.domain.taxonomy import Category

TRAINING = [
    ("ik heb een afscheidsbrief geschreven", "suicide_risk"),
    ("ik heb de brief al klaarliggen voor mijn kinderen", "suicide_risk"),
    ("mijn brief ligt klaar en ik wil dat het ophoudt", "suicide_risk"),
    ("ik zoek een hulp voor het huishouden", "practical_help"),
    ("wie kan de boodschappen doen", "practical_help"),
    ("hulp bij schoonmaken en boodschappen", "practical_help"),
    ("hallo", "unclear"),
    ("ja hallo hoort u mij", "unclear"),
    ("eh goedemiddag", "unclear"),
]


@pytest.fixture(scope="module")
def model() -> NgramModel:
    return NgramModel([t for t, _ in TRAINING], [c for _, c in TRAINING])


def _with(router, opinion) -> Classifier:  # type: ignore[no-untyped-def]
    base = router.classifier
    return Classifier(base.cues, base.areas, base.settings, base.is_known_word, opinion)


def test_model_opinion_names_its_strongest_ngrams(model):  # type: ignore[no-untyped-def]
    opinion = model("de afscheidsbrief ligt klaar")
    assert opinion.category is Category.SUICIDE_RISK
    assert 0 < opinion.probability <= 1
    assert opinion.crisis_probability >= opinion.probability
    assert opinion.features
    assert all(weight > 0 for _, weight in opinion.features)


def test_a_confident_model_raises_a_crisis_the_cues_missed_and_shows_why(router):  # type: ignore[no-untyped-def]
    sure = Opinion(Category.SUICIDE_RISK, 0.9, 0.95, (("afscheid", 0.8),))
    result = _with(router, lambda _text: sure).classify("ik heb iets heel anders te vertellen")
    assert result.category is Category.SUICIDE_RISK
    assert any(e.cue.startswith("<model") and e.said == "afscheid" for e in result.evidence)


def test_an_unsure_model_changes_nothing(router):  # type: ignore[no-untyped-def]
    unsure = Opinion(Category.SUICIDE_RISK, 0.3, 0.3, (("afscheid", 0.1),))
    result = _with(router, lambda _text: unsure).classify("hallo")
    assert result.category is Category.UNCLEAR


def test_the_model_never_overrides_a_need_the_cues_found(router):  # type: ignore[no-untyped-def]
    other_need = Opinion(Category.HEALTH, 0.99, 0.0, (("x", 1.0),))
    result = _with(router, lambda _text: other_need).classify("ik zoek hulp bij het huishouden")
    assert result.category is Category.PRACTICAL_HELP


def test_the_model_is_not_asked_when_the_cues_already_see_a_crisis(router):  # type: ignore[no-untyped-def]
    def never(_text: str) -> Opinion:
        raise AssertionError("consulted")

    result = _with(router, never).classify("ik wil er een eind aan maken")
    assert result.category is Category.SUICIDE_RISK


def test_fast_path_matches_scikit_learn(model):  # type: ignore[no-untyped-def]
    from helpline.domain.text import fold

    for text in ("de afscheidsbrief ligt klaar", "hulp bij de boodschappen", "hallo", "onbekend"):
        expected = model.model.predict_proba(model.features.transform([fold(text)]))[0]
        opinion = model(text)
        best = list(model.model.classes_).index(opinion.category.value)
        assert opinion.probability == pytest.approx(expected[best], abs=1e-3)
        assert expected[best] == pytest.approx(max(expected))
