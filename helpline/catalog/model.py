"""A learned second opinion: logistic regression on word and character n-grams
(scikit-learn), trained on the tuning corpora named in `routing_rules.yaml`. Never trained on
held-out data.

Word uni- and bigrams carry the phrases an operator recognises; character n-grams within
words (3-5 letters) carry what speech recognition bends: "demensie", "respijt zorg",
"thuis zorg". In cross-validation across the independently written tuning corpora the two
together beat either alone.

A second head on the same features says who is calling. The classifier blends both with the
cues (see `helpline/domain/classification.py`); a decision is explained to the operator by the
words and word pairs that weighed most for it.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from itertools import chain
from pathlib import Path

import joblib
import numpy as np
import sklearn
from numpy.typing import NDArray
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from helpline.catalog import utterances as utterances_module
from helpline.catalog.utterances import load_utterances
from helpline.domain import text as text_module
from helpline.domain.classification import Opinion
from helpline.domain.errors import DataFileError
from helpline.domain.taxonomy import CallerType, Category
from helpline.domain.text import fold

log = logging.getLogger(__name__)
_FEATURES_SHOWN = 3
_MIN_CATEGORIES = 3
_CACHE_LIMIT = 50_000  # words whose character n-grams are kept


class _Features:
    """The fitted vectorizers' features of one utterance, computed as TfidfVectorizer does
    (sublinear tf, idf, each vectorizer's part l2-normalised) without scikit-learn's per-call
    validation, which costs milliseconds for one text. Character n-grams stay within words, so
    each word's are looked up once and kept."""

    def __init__(self, words: TfidfVectorizer, pieces: TfidfVectorizer) -> None:
        self.analyse = words.build_analyzer()
        self.words: dict[str, int] = words.vocabulary_
        offset = len(self.words)
        self.pieces = {gram: offset + i for gram, i in pieces.vocabulary_.items()}
        self.lengths = range(pieces.ngram_range[0], pieces.ngram_range[1] + 1)
        self.idf = np.concatenate([words.idf_, pieces.idf_])
        self.names = words.get_feature_names_out()
        self._cache: dict[str, tuple[int, ...]] = {}

    def __call__(self, text: str) -> tuple[NDArray[np.intp], NDArray[np.float64], int]:
        """(feature indices, values, how many of them are words and word pairs)."""
        said = Counter(self.words[t] for t in self.analyse(text) if t in self.words)
        grams = Counter(chain.from_iterable(self._pieces_of(word) for word in text.split()))
        count = len(said) + len(grams)
        indices = np.fromiter(chain(said, grams), dtype=np.intp, count=count)
        tf = np.fromiter(chain(said.values(), grams.values()), dtype=np.float64, count=count)
        values = (1.0 + np.log(tf)) * self.idf[indices]
        for part in (values[: len(said)], values[len(said) :]):
            norm = math.sqrt(float(part @ part))
            if norm:
                part /= norm
        return indices, values, len(said)

    def _pieces_of(self, word: str) -> tuple[int, ...]:
        found = self._cache.get(word)
        if found is None:
            if len(self._cache) > _CACHE_LIMIT:
                self._cache.clear()
            found = self._cache[word] = self._look_up(word)
        return found

    def _look_up(self, word: str) -> tuple[int, ...]:
        """scikit-learn's char_wb n-grams of one (already folded) word: the padded word's
        n-grams, and a word shorter than an n-gram only once."""
        padded = f" {word} "
        found: list[int] = []
        for n in self.lengths:
            grams = (padded[i : i + n] for i in range(max(1, len(padded) - n + 1)))
            found.extend(self.pieces[g] for g in grams if g in self.pieces)
            if len(padded) <= n:
                break
        return tuple(found)


class NgramModel:
    """Callable text -> Opinion; fitted once, then only read."""

    def __init__(
        self,
        texts: Sequence[str],
        labels: Sequence[str],
        caller_types: Sequence[str] = (),
        seed: int = 0,
    ) -> None:
        self.vectorizers = (
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2),
        )
        folded = [fold(t) for t in texts]
        matrix = hstack([v.fit_transform(folded) for v in self.vectorizers]).tocsr()
        self.model = LogisticRegression(
            C=10, solver="newton-cg", max_iter=300, class_weight="balanced", random_state=seed
        )
        self.model.fit(matrix, list(labels))
        # a second head on the same features: who is calling
        self.callers = LogisticRegression(
            C=10, solver="newton-cg", max_iter=300, class_weight="balanced", random_state=seed
        )
        self.caller_classes: list[CallerType] = []
        self.caller_intercept = np.zeros(0)
        heads = [self.model.coef_.T]
        if len(set(caller_types)) == len(CallerType):
            self.callers.fit(matrix, list(caller_types))
            heads.append(self.callers.coef_.T)
            self.caller_classes = [CallerType(c) for c in self.callers.classes_]
            self.caller_intercept = self.callers.intercept_
        # one row per feature, both heads side by side: gathering the rows of an utterance's
        # features is what is fast
        self.weights = np.ascontiguousarray(np.hstack(heads))
        self.classes = [Category(c) for c in self.model.classes_]
        self.intercepts = np.concatenate([self.model.intercept_, self.caller_intercept])
        self.features = _Features(*self.vectorizers)

    def transform(self, texts: Sequence[str]):  # type: ignore[no-untyped-def]
        """scikit-learn's own path, for the test that holds the fast path equal to it."""
        folded = [fold(t) for t in texts]
        return hstack([v.transform(folded) for v in self.vectorizers]).tocsr()

    def __call__(self, text: str) -> Opinion:
        indices, values, said = self.features(fold(text))
        scores = (values @ self.weights[indices] + self.intercepts).tolist()
        count = len(self.classes)
        words = indices[:said], values[:said]
        return Opinion(
            probabilities=dict(zip(self.classes, _softmax(scores[:count]), strict=True)),
            explain=lambda category: self._explain(category, *words),
            caller_types=dict(zip(self.caller_classes, _softmax(scores[count:]), strict=True)),
        )

    def _explain(
        self, category: Category, indices: NDArray[np.intp], values: NDArray[np.float64]
    ) -> tuple[tuple[str, float], ...]:
        """The words and word pairs that weighed most for a category: what an operator reads."""
        if category not in self.classes:
            return ()
        contributions = values * self.weights[indices, self.classes.index(category)]
        order = np.argsort(contributions)[::-1][:_FEATURES_SHOWN]
        return tuple(
            (str(self.features.names[indices[i]]), round(float(contributions[i]), 2))
            for i in order
            if contributions[i] > 0
        )


def _softmax(scores: list[float]) -> list[float]:
    if not scores:
        return scores
    top = max(scores)
    exponents = [math.exp(s - top) for s in scores]
    total = sum(exponents)
    return [round(e / total, 3) for e in exponents]


def train_model(paths: tuple[Path, ...]) -> NgramModel:
    """Trained once per process for the same corpora (the app factory may run many times; an
    edited corpus trains anew), and kept on disk: a restart with the same corpora, code and
    scikit-learn loads it in a fraction of a second instead of training again."""
    return _trained(_fingerprint(paths), paths)


@lru_cache(maxsize=4)
def _trained(fingerprint: str, paths: tuple[Path, ...]) -> NgramModel:
    cache = _cache_dir()
    stored = cache / f"model-{fingerprint}.joblib" if cache else None
    try:
        if stored and stored.exists():
            model = joblib.load(stored)
            if isinstance(model, NgramModel):
                return model
    except Exception:  # an unreadable, damaged or foreign file: train again and replace it
        log.warning("model cache %s unreadable; training again", stored)
    items = [item for path in paths for item in load_utterances(path)]
    categories = {i.category for i in items}
    if len(categories) < _MIN_CATEGORIES:
        problem = f"{paths[0]}:1: (file): the model needs at least {_MIN_CATEGORIES} categories"
        raise DataFileError(paths[0], [problem])
    model = NgramModel(
        [i.text for i in items],
        [i.category.value for i in items],
        [i.caller_type.value for i in items],
    )
    if stored:
        _keep(model, stored)
    return model


def _keep(model: NgramModel, stored: Path) -> None:
    """Written whole or not at all; a read-only or full disk costs only the time to train."""
    partial = stored.with_suffix(f".{os.getpid()}.part")
    try:
        stored.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(model, partial)
        partial.replace(stored)
    except OSError as exc:
        log.info("model not cached (%s)", exc)
        partial.unlink(missing_ok=True)


def _cache_dir() -> Path | None:
    """`$HELPLINE_MODEL_CACHE`, else the user's cache directory; None where there is none."""
    if explicit := os.environ.get("HELPLINE_MODEL_CACHE"):
        return Path(explicit)
    if user_cache := os.environ.get("XDG_CACHE_HOME"):
        return Path(user_cache) / "helpline"
    try:
        return Path.home() / ".cache" / "helpline"
    except RuntimeError:  # no home directory (a bare container user): no cache
        return None


# What the trained model depends on besides the corpora: any change to them trains anew.
_SOURCES = (Path(__file__), Path(text_module.__file__), Path(utterances_module.__file__))


def _fingerprint(paths: tuple[Path, ...]) -> str:
    """Corpora, the code that reads and folds them, and the scikit-learn version."""
    digest = hashlib.sha256(sklearn.__version__.encode())
    for path in (*_SOURCES, *paths):
        try:
            digest.update(path.read_bytes())
        except OSError as exc:
            raise DataFileError(path, [f"{path}:1: (file): {exc.strerror or exc}"]) from exc
    return digest.hexdigest()[:20]
