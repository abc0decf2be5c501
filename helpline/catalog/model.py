"""A learned second opinion: logistic regression on word and character n-grams
(scikit-learn), trained on the tuning corpora named in `routing_rules.yaml`. Never trained on
held-out data.

Word uni- and bigrams carry the phrases an operator recognises; character n-grams within
words (3-5 letters) carry what speech recognition bends: "demensie", "respijt zorg",
"thuis zorg". In cross-validation across the independently written tuning corpora the two
together beat either alone.

The rules stay first and explainable; the model is consulted where the rules are unsure, and
its decision is explained by the word n-grams that weighed most for it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from helpline.catalog.utterances import load_utterances
from helpline.domain.classification import Opinion
from helpline.domain.taxonomy import Category
from helpline.domain.text import fold

_FEATURES_SHOWN = 3
_EXPLAINED = 0.05  # categories at least this likely get their n-grams named


class _Block:
    """One fitted vectorizer, read without scikit-learn's per-call validation."""

    def __init__(self, vectorizer: TfidfVectorizer, offset: int) -> None:
        self.analyse = vectorizer.build_analyzer()
        self.vocabulary: dict[str, int] = vectorizer.vocabulary_
        self.idf = vectorizer.idf_
        self.offset = offset
        self.names = vectorizer.get_feature_names_out()

    def features(self, text: str) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
        counts = Counter(t for t in self.analyse(text) if t in self.vocabulary)
        indices = np.fromiter((self.vocabulary[t] for t in counts), dtype=np.intp)
        values = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64))) * self.idf[indices]
        norm = np.linalg.norm(values)
        return indices + self.offset, values / norm if norm else values


class NgramModel:
    """Callable text -> Opinion; fitted once, then only read."""

    def __init__(self, texts: Sequence[str], labels: Sequence[str], seed: int = 0) -> None:
        self.vectorizers = (
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2),
        )
        folded = [fold(t) for t in texts]
        matrix = hstack([v.fit_transform(folded) for v in self.vectorizers]).tocsr()
        self.model = LogisticRegression(
            C=10, max_iter=3000, class_weight="balanced", random_state=seed
        )
        self.model.fit(matrix, list(labels))
        words = _Block(self.vectorizers[0], 0)
        self.blocks = (words, _Block(self.vectorizers[1], len(words.vocabulary)))
        # one row per feature: gathering the rows of an utterance's features is what is fast
        self.weights = np.ascontiguousarray(self.model.coef_.T)
        self.classes = [Category(c) for c in self.model.classes_]

    def transform(self, texts: Sequence[str]):  # type: ignore[no-untyped-def]
        """scikit-learn's own path, for the test that holds the fast path equal to it."""
        folded = [fold(t) for t in texts]
        return hstack([v.transform(folded) for v in self.vectorizers]).tocsr()

    def __call__(self, text: str) -> Opinion:
        folded = fold(text)
        parts = [block.features(folded) for block in self.blocks]
        indices = np.concatenate([i for i, _ in parts])
        values = np.concatenate([v for _, v in parts])
        scores = values @ self.weights[indices] + self.model.intercept_
        probabilities = np.exp(scores - scores.max())
        probabilities /= probabilities.sum()
        likely = np.flatnonzero(probabilities >= _EXPLAINED)
        return Opinion(
            probabilities=dict(zip(self.classes, probabilities.round(3).tolist(), strict=True)),
            features={self.classes[row]: self._explain(int(row), *parts[0]) for row in likely},
        )

    def _explain(
        self, row: int, indices: NDArray[np.intp], values: NDArray[np.float64]
    ) -> tuple[tuple[str, float], ...]:
        """The words and word pairs that weighed most for a category: what an operator reads."""
        contributions = values * self.weights[indices, row]
        order = np.argsort(contributions)[::-1][:_FEATURES_SHOWN]
        names = self.blocks[0].names
        return tuple(
            (str(names[indices[i]]), round(float(contributions[i]), 2))
            for i in order
            if contributions[i] > 0
        )


@lru_cache(maxsize=4)
def train_model(paths: tuple[Path, ...]) -> NgramModel:
    """Trained once per process for the same corpora (the app factory may run many times)."""
    items = [item for path in paths for item in load_utterances(path)]
    return NgramModel([i.text for i in items], [i.category.value for i in items])
