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


def _opinion(probabilities: dict[Category, float], why: tuple[tuple[str, float], ...] = ()):  # type: ignore[no-untyped-def]
    rest = (1 - sum(probabilities.values())) / (len(Category) - len(probabilities))
    full = {c: probabilities.get(c, rest) for c in Category}
    return Opinion(full, lambda category: why if category in probabilities else ())


def test_model_opinion_names_its_strongest_ngrams(model):  # type: ignore[no-untyped-def]
    opinion = model("de afscheidsbrief ligt klaar")
    assert opinion.category is Category.SUICIDE_RISK
    assert sum(opinion.probabilities.values()) == pytest.approx(1, abs=0.01)
    assert opinion.crisis_probability >= opinion.probabilities[Category.SUICIDE_RISK]
    why = opinion.explain(Category.SUICIDE_RISK)
    assert why
    assert all(weight > 0 for _, weight in why)
    assert any("afscheidsbrief" in ngram for ngram, _ in why)


def test_a_confident_model_raises_a_crisis_the_cues_missed_and_shows_why(router):  # type: ignore[no-untyped-def]
    sure = _opinion({Category.SUICIDE_RISK: 0.9}, (("afscheid", 0.8),))
    result = _with(router, lambda _text: sure).classify("ik heb iets heel anders te vertellen")
    assert result.category is Category.SUICIDE_RISK
    assert any(e.cue.startswith("<model") and e.said == "afscheid" for e in result.evidence)


def test_a_half_sure_model_does_not_escalate_but_the_caller_is_asked(router):  # type: ignore[no-untyped-def]
    unsure = _opinion({Category.ABUSE_SAFETY: 0.3, Category.PRACTICAL_HELP: 0.5})
    result = _with(router, lambda _text: unsure).classify("ik zoek hulp bij het huishouden")
    assert result.category is Category.PRACTICAL_HELP
    assert result.worry is Category.ABUSE_SAFETY


def test_an_unsure_model_hears_nothing_where_the_cues_hear_nothing(router):  # type: ignore[no-untyped-def]
    unsure = _opinion({Category.UNCLEAR: 0.4, Category.HEALTH: 0.15})
    result = _with(router, lambda _text: unsure).classify("hallo")
    assert result.category is Category.UNCLEAR
    assert result.worry is None


def test_cues_and_model_are_weighed_together(router):  # type: ignore[no-untyped-def]
    """A need the cues clearly hear stands against a mild model; a sure model outweighs it."""
    text = "ik zoek hulp bij het huishouden"
    mild = _opinion({Category.HEALTH: 0.45, Category.PRACTICAL_HELP: 0.3})
    assert _with(router, lambda _text: mild).classify(text).category is Category.PRACTICAL_HELP
    sure = _opinion({Category.HEALTH: 0.95, Category.PRACTICAL_HELP: 0.01}, (("x", 1.0),))
    assert _with(router, lambda _text: sure).classify(text).category is Category.HEALTH


def test_the_model_is_not_asked_when_the_cues_decide_a_crisis(router):  # type: ignore[no-untyped-def]
    def never(_text: str) -> Opinion:
        raise AssertionError("consulted")

    result = _with(router, never).classify("ik wil er een eind aan maken")
    assert result.category is Category.SUICIDE_RISK


def test_a_weak_crisis_cue_is_not_overruled_by_a_model_that_sees_danger_too(router):  # type: ignore[no-untyped-def]
    worried = _opinion({Category.SUICIDE_RISK: 0.3, Category.EMOTIONAL_SUPPORT: 0.6})
    result = _with(router, lambda _text: worried).classify("ik wil dood")
    assert result.category is Category.SUICIDE_RISK


def test_fast_path_matches_scikit_learn(model):  # type: ignore[no-untyped-def]
    for text in ("de afscheidsbrief ligt klaar", "hulp bij de boodschappen", "hallo", "onbekend"):
        expected = model.model.predict_proba(model.transform([text]))[0]
        opinion = model(text)
        for category, probability in zip(model.model.classes_, expected, strict=True):
            assert opinion.probabilities[Category(category)] == pytest.approx(probability, abs=1e-3)


def test_the_model_names_a_caller_type_the_cues_missed(router):  # type: ignore[no-untyped-def]
    from helpline.domain.taxonomy import CallerType

    said = "de meneer van kamer twaalf zijn vrouw trekt het thuis niet meer"
    base = _opinion({Category.EMOTIONAL_SUPPORT: 0.8})
    professional = Opinion(
        base.probabilities,
        base.explain,
        {CallerType.PROFESSIONAL: 0.8, CallerType.CAREGIVER: 0.15, CallerType.OTHER: 0.05},
    )
    result = _with(router, lambda _text: professional).classify(said)
    assert result.caller_type is CallerType.PROFESSIONAL
    assert _with(router, None).classify(said).caller_type is CallerType.CAREGIVER


def test_the_shipped_model_hears_an_implied_professional(router):  # type: ignore[no-untyped-def]
    from helpline.domain.taxonomy import CallerType

    said = "de meneer van kamer twaalf zijn vrouw trekt het thuis niet meer"
    assert router.classifier.classify(said).caller_type is CallerType.PROFESSIONAL


def test_a_trained_model_is_kept_on_disk_and_an_edited_corpus_trains_anew(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    import json

    from helpline.catalog import model as model_module

    monkeypatch.setenv("HELPLINE_MODEL_CACHE", str(tmp_path / "cache"))
    corpus = tmp_path / "mini.jsonl"
    rows = [
        {"text": t, "category": c, "also": [], "caller_type": k, "area": None}
        for (t, c), k in zip(TRAINING, ["caregiver", "professional", "other"] * 3, strict=True)
    ]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")

    first = model_module.train_model((corpus,))
    stored = list((tmp_path / "cache").glob("model-*.joblib"))
    assert len(stored) == 1

    model_module._trained.cache_clear()  # a restart: the process forgets, the disk does not

    def no_training(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("trained again")

    monkeypatch.setattr(model_module.NgramModel, "__init__", no_training)
    again = model_module.train_model((corpus,))
    assert again("de afscheidsbrief ligt klaar").probabilities == pytest.approx(
        first("de afscheidsbrief ligt klaar").probabilities
    )

    monkeypatch.undo()
    monkeypatch.setenv("HELPLINE_MODEL_CACHE", str(tmp_path / "cache"))
    with corpus.open("a", encoding="utf-8") as f:
        f.write(json.dumps({**rows[0], "text": "mijn afscheid is geschreven"}) + "\n")
    model_module.train_model((corpus,))
    assert len(list((tmp_path / "cache").glob("model-*.joblib"))) == 2


def test_a_missing_training_corpus_is_named_not_a_traceback(tmp_path):  # type: ignore[no-untyped-def]
    from helpline.catalog.model import train_model
    from helpline.domain.errors import DataFileError

    missing = tmp_path / "nope.jsonl"
    with pytest.raises(DataFileError) as raised:
        train_model((missing,))
    assert raised.value.problems[0].startswith(f"{missing}:1: (file): ")


def test_a_corpus_of_too_few_categories_is_refused_by_name(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    from helpline.catalog.model import train_model
    from helpline.domain.errors import DataFileError

    monkeypatch.setenv("HELPLINE_MODEL_CACHE", str(tmp_path / "cache"))
    corpus = tmp_path / "two.jsonl"
    corpus.write_text(
        '{"text": "hallo", "category": "unclear", "also": [],'
        ' "caller_type": "other", "area": null}\n'
        '{"text": "boodschappen", "category": "practical_help", "also": [],'
        ' "caller_type": "caregiver", "area": null}\n',
        encoding="utf-8",
    )
    with pytest.raises(DataFileError, match="at least 3 categories"):
        train_model((corpus,))
