"""A learned second opinion: logistic regression on word and character n-grams (scikit-learn),
trained on the tuning corpora named in `routing_rules.yaml`. Never trained on held-out data.

The rules stay first and explainable; the model is consulted where the rules are unsure, and
its decision is explained by the n-grams that weighed most for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion

from helpline.catalog.utterances import load_utterances
from helpline.domain.classification import Opinion
from helpline.domain.taxonomy import CRISIS_CATEGORIES, Category
from helpline.domain.text import fold

_FEATURES_SHOWN = 3


class NgramModel:
    """Callable text -> Opinion; fitted once, then only read."""

    def __init__(self, texts: Sequence[str], labels: Sequence[str], seed: int = 0) -> None:
        self.features = FeatureUnion(
            [
                ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
                (
                    "chars",
                    TfidfVectorizer(
                        analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2
                    ),
                ),
            ]
        )
        matrix = self.features.fit_transform([fold(t) for t in texts])
        self.model = LogisticRegression(
            C=10, max_iter=3000, class_weight="balanced", random_state=seed
        )
        self.model.fit(matrix, list(labels))
        self.names = self.features.get_feature_names_out()
        self.crisis_columns = [
            i for i, c in enumerate(self.model.classes_) if Category(c) in CRISIS_CATEGORIES
        ]

    def __call__(self, text: str) -> Opinion:
        row = self.features.transform([fold(text)])
        probabilities = self.model.predict_proba(row)[0]
        best = int(np.argmax(probabilities))
        contributions = row.toarray()[0] * self.model.coef_[best]
        top = np.argsort(contributions)[::-1][:_FEATURES_SHOWN]
        features = tuple(
            (str(self.names[i]).split("__", 1)[-1], round(float(contributions[i]), 2))
            for i in top
            if contributions[i] > 0
        )
        return Opinion(
            category=Category(self.model.classes_[best]),
            probability=round(float(probabilities[best]), 3),
            crisis_probability=round(float(probabilities[self.crisis_columns].sum()), 3),
            features=features,
        )


@lru_cache(maxsize=4)
def train_model(paths: tuple[Path, ...]) -> NgramModel:
    """Trained once per process for the same corpora (the app factory may run many times)."""
    items = [item for path in paths for item in load_utterances(path)]
    return NgramModel([i.text for i in items], [i.category.value for i in items])
