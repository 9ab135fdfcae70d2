"""Character n-gram intent model: TF-IDF over 1–3-grams + multinomial logistic regression.

Two users: the engine's BlendedIntentClassifier (a second opinion blended with DIET) and the evaluation
baseline (tests/evaluation/baseline.py), which shows what the engine adds over this plain model.
Stored as plain arrays (vocabulary, idf, weights), never pickled. numpy, scikit-learn and bot.text
only, so both the engine's and the app's environment import it.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

import numpy as np

from bot.text.normalize import fold

# Chosen by 5-fold cross-validation on the training examples only (never an evaluation set), accuracy
# on the model's finer intents: C 3 → 0.847, 10 → 0.868, 30 → 0.875, 100 → 0.879; n-grams seen once
# dropped (with them 0.863 at C 30 and 3x slower).
C = 30.0
MIN_DF = 2


class CharNgramModel:
    """TF-IDF over character 1–3-grams + multinomial logistic regression, as plain arrays."""

    def __init__(self, vocabulary: Dict[str, int], idf: np.ndarray, coef: np.ndarray, intercept: np.ndarray,
                 labels: List[str]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True,
                                          vocabulary=vocabulary)
        self.vectorizer.idf_ = idf
        self.coef, self.intercept, self.labels = coef, intercept, labels

    @classmethod
    def fit(cls, texts: List[str], labels: List[str], c: float = C, min_df: int = MIN_DF) -> "CharNgramModel":
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from threadpoolctl import threadpool_limits

        vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=min_df)
        features = vectorizer.fit_transform([fold(t) for t in texts])
        with threadpool_limits(1):  # BLAS threads fighting over 2 cores made one fit 10x slower
            lr = LogisticRegression(C=c, max_iter=5000, solver="newton-cg").fit(features, labels)
        vocabulary = {k: int(v) for k, v in vectorizer.vocabulary_.items()}
        return cls(vocabulary, vectorizer.idf_, lr.coef_, lr.intercept_, [str(x) for x in lr.classes_])

    def probabilities_many(self, texts: List[str]) -> List[Dict[str, float]]:
        scores = self.vectorizer.transform([fold(t) for t in texts]) @ self.coef.T + self.intercept
        scores = np.exp(scores - scores.max(axis=1, keepdims=True))
        scores /= scores.sum(axis=1, keepdims=True)
        return [dict(zip(self.labels, row.tolist())) for row in scores]

    def probabilities(self, text: str) -> Dict[str, float]:
        return self.probabilities_many([text])[0]

    def save(self, folder: Path) -> None:
        np.savez(folder / "arrays.npz", idf=self.vectorizer.idf_, coef=self.coef, intercept=self.intercept)
        (folder / "meta.json").write_text(json.dumps({"vocabulary": self.vectorizer.vocabulary,
                                                      "labels": self.labels}, ensure_ascii=False))

    @classmethod
    def read(cls, folder: Path) -> "CharNgramModel":
        arrays = np.load(folder / "arrays.npz", allow_pickle=False)
        meta = json.loads((folder / "meta.json").read_text())
        return cls(meta["vocabulary"], arrays["idf"], arrays["coef"], arrays["intercept"], meta["labels"])


def blend(ranking: List[Dict[str, Any]], second: Dict[str, float], weight: float) -> List[Dict[str, Any]]:
    """(1 - weight) × DIET + weight × second opinion, best first. DIET's ranking holds its top ten;
    intents outside it count as 0 there."""
    first = {r["name"]: float(r["confidence"]) for r in ranking}
    names = set(first) | set(second)
    mixed = {n: (1 - weight) * first.get(n, 0.0) + weight * second.get(n, 0.0) for n in names}
    return [{"name": n, "confidence": c} for n, c in sorted(mixed.items(), key=lambda kv: -kv[1])]
