"""Backend-independent batched scoring: preprocessing, sort-by-length batches, label aggregation."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np

from domain.analysis import LABELS, SentimentResult
from nlp.sentiment.preprocess import preprocess

#: Text with nothing left after preprocessing is neutral by definition (no model call).
EMPTY_RESULT = SentimentResult(
    label="neutral", score=0.0, probs={"negative": 0.0, "neutral": 1.0, "positive": 0.0}
)


def softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


class BatchedClassifier(ABC):
    """Scores texts in length-sorted batches so padding stays small; results keep the input order."""

    name: str

    def __init__(self, class_labels: list[str], batch_size: int, max_length: int) -> None:
        self.class_labels = class_labels  # model class index -> negative/neutral/positive
        self.batch_size = batch_size
        self.max_length = max_length

    @abstractmethod
    def _encode(self, texts: list[str]) -> list[list[int]]:
        """Token ids per text (special tokens included, truncated to max_length)."""

    @abstractmethod
    def _logits(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        """(batch, num_classes) logits for one padded batch."""

    pad_id: int = 0
    #: Upper bound on padded tokens per model call (see ``_batches``).
    max_batch_tokens: int = 512

    def predict(self, texts: Sequence[str]) -> list[SentimentResult]:
        clean = [preprocess(t) for t in texts]
        results: list[SentimentResult | None] = [None] * len(clean)
        todo = [i for i, t in enumerate(clean) if t]
        for i, t in enumerate(clean):
            if not t:
                results[i] = EMPTY_RESULT
        if todo:
            ids = self._encode([clean[i] for i in todo])
            order = sorted(range(len(todo)), key=lambda k: len(ids[k]))
            for chunk in self._batches(order, ids):
                width = max(len(ids[k]) for k in chunk)
                input_ids = np.full((len(chunk), width), self.pad_id, dtype=np.int64)
                mask = np.zeros((len(chunk), width), dtype=np.int64)
                for row, k in enumerate(chunk):
                    input_ids[row, : len(ids[k])] = ids[k]
                    mask[row, : len(ids[k])] = 1
                probs = softmax(self._logits(input_ids, mask).astype(np.float64))
                for row, k in enumerate(chunk):
                    results[todo[k]] = self._result(probs[row])
        return [r for r in results if r is not None]

    def _batches(self, order: list[int], ids: list[list[int]]) -> list[list[int]]:
        """Consecutive runs of the length-sorted texts, at most ``batch_size`` texts and about
        ``max_batch_tokens`` padded tokens each: on CPU, small batches of similar length beat large
        padded ones (measured ~2x more texts per CPU-second than fixed batches of 64)."""
        batches: list[list[int]] = []
        current: list[int] = []
        for k in order:  # ascending length, so the newest text sets the padded width
            if current and (
                len(current) >= self.batch_size or (len(current) + 1) * len(ids[k]) > self.max_batch_tokens
            ):
                batches.append(current)
                current = []
            current.append(k)
        if current:
            batches.append(current)
        return batches

    def _result(self, class_probs: np.ndarray) -> SentimentResult:
        agg = dict.fromkeys(LABELS, 0.0)
        for idx, p in enumerate(class_probs):
            agg[self.class_labels[idx]] += float(p)
        label = max(LABELS, key=lambda k: agg[k])
        score = min(1.0, max(-1.0, agg["positive"] - agg["negative"]))
        return SentimentResult(label=label, score=score, probs=agg)
