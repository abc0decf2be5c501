"""A learned second opinion: logistic regression on word n-grams (scikit-learn), trained on
the tuning corpora named in `routing_rules.yaml`. Never trained on held-out data.

Word uni- and bigrams only: character n-grams scored a little better in cross-validation on
the tuning corpora but cost over a millisecond per utterance, and the line must stay fast.

The rules stay first and explainable; the model is consulted where the rules are unsure, and
its decision is explained by the n-grams that weighed most for it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from helpline.catalog.utterances import load_utterances
from helpline.domain.classification import Opinion
from helpline.domain.taxonomy import CRISIS_CATEGORIES, Category
from helpline.domain.text import fold

_FEATURES_SHOWN = 3


class NgramModel:
    """Callable text -> Opinion; fitted once, then only read."""

    def __init__(self, texts: Sequence[str], labels: Sequence[str], seed: int = 0) -> None:
        self.features = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
        matrix = self.features.fit_transform([fold(t) for t in texts])
        self.model = LogisticRegression(
            C=10, max_iter=3000, class_weight="balanced", random_state=seed
        )
        self.model.fit(matrix, list(labels))
        self.names = self.features.get_feature_names_out()
        self.analyse = self.features.build_analyzer()
        self.vocabulary: dict[str, int] = self.features.vocabulary_
        self.idf = self.features.idf_
        self.weights = self.model.coef_
        self.crisis_columns = [
            i for i, c in enumerate(self.model.classes_) if Category(c) in CRISIS_CATEGORIES
        ]

    def __call__(self, text: str) -> Opinion:
        indices, values = self._features(fold(text))
        scores = self.weights[:, indices] @ values + self.model.intercept_
        probabilities = np.exp(scores - scores.max())
        probabilities /= probabilities.sum()
        best = int(np.argmax(probabilities))
        contributions = values * self.weights[best, indices]
        order = np.argsort(contributions)[::-1][:_FEATURES_SHOWN]
        features = tuple(
            (str(self.names[indices[i]]), round(float(contributions[i]), 2))
            for i in order
            if contributions[i] > 0
        )
        return Opinion(
            category=Category(self.model.classes_[best]),
            probability=round(float(probabilities[best]), 3),
            crisis_probability=round(float(probabilities[self.crisis_columns].sum()), 3),
            features=features,
        )

    def _features(self, text: str) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
        """The fitted vectorizer's own analyzer, vocabulary and idf, without the per-call input
        validation that makes `transform` + `predict_proba` cost milliseconds for one text.
        `test_fast_path_matches_scikit_learn` holds the two equal."""
        counts = Counter(t for t in self.analyse(text) if t in self.vocabulary)
        indices = np.fromiter((self.vocabulary[t] for t in counts), dtype=np.intp)
        values = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64))) * self.idf[indices]
        norm = np.linalg.norm(values)
        return indices, values / norm if norm else values


@lru_cache(maxsize=4)
def train_model(paths: tuple[Path, ...]) -> NgramModel:
    """Trained once per process for the same corpora (the app factory may run many times)."""
    items = [item for path in paths for item in load_utterances(path)]
    return NgramModel([i.text for i in items], [i.category.value for i in items])
