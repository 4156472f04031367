"""TF-IDF (word + character n-grams) + logistic regression: the baseline the transformer must beat.

Trained in memory from the same training split (see ``training/data.py``); used by the benchmark and as an
optional ensemble member during training experiments. Not bundled: it is rebuilt in ~1 min when needed.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from domain.analysis import LABELS, SentimentResult
from nlp.sentiment.batching import EMPTY_RESULT
from nlp.sentiment.preprocess import preprocess


class TfidfBaselineSentimentModel:
    name = "tfidf-word-char-logreg"

    def __init__(self, c: float = 4.0, seed: int = 13) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import FeatureUnion, make_pipeline

        features = FeatureUnion(
            [
                (
                    "word",
                    TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=200_000),
                ),
                (
                    "char",
                    TfidfVectorizer(
                        analyzer="char_wb",
                        ngram_range=(2, 5),
                        min_df=2,
                        sublinear_tf=True,
                        max_features=300_000,
                    ),
                ),
            ]
        )
        self.pipeline = make_pipeline(features, LogisticRegression(C=c, max_iter=2000, random_state=seed))

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> TfidfBaselineSentimentModel:
        self.pipeline.fit([preprocess(t) for t in texts], list(labels))
        return self

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """(n, 3) probabilities in ``LABELS`` order (0 for a class absent from training)."""
        clean = [preprocess(t) for t in texts]
        raw = self.pipeline.predict_proba(clean) if clean else np.zeros((0, len(self.pipeline.classes_)))
        out = np.zeros((len(clean), len(LABELS)))
        for j, cls in enumerate(self.pipeline.classes_):
            out[:, LABELS.index(cls)] = raw[:, j]
        return out

    def predict(self, texts: Sequence[str]) -> list[SentimentResult]:
        probs = self.predict_proba(texts)
        results = []
        for text, row in zip(texts, probs, strict=True):
            if not preprocess(text):
                results.append(EMPTY_RESULT)
                continue
            p = {label: float(row[i]) for i, label in enumerate(LABELS)}
            results.append(
                SentimentResult(
                    label=max(LABELS, key=lambda k: p[k]), score=p["positive"] - p["negative"], probs=p
                )
            )
        return results
