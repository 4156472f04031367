"""Dev-set evaluation shared by the benchmark, the training notes and the tests."""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from domain.analysis import SentimentModel
from nlp.sentiment.training.data import Example


def macro_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Macro-F1 over the classes present in ``gold``: a binary set (no neutral gold label) is scored on
    negative/positive, and a neutral prediction there simply counts as a miss."""
    scores = []
    for c in sorted(set(gold)):
        tp = sum(g == c and p == c for g, p in zip(gold, pred, strict=True))
        fp = sum(g != c and p == c for g, p in zip(gold, pred, strict=True))
        fn = sum(g == c and p != c for g, p in zip(gold, pred, strict=True))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def accuracy(gold: Sequence[str], pred: Sequence[str]) -> float:
    return sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold) if gold else 0.0


def expected_calibration_error(probs: np.ndarray, gold: np.ndarray, bins: int = 15) -> float:
    """Top-label ECE: |accuracy - confidence| averaged over equal-width confidence bins, weighted by size."""
    conf = probs.max(1)
    correct = probs.argmax(1) == gold
    edges = np.linspace(0.0, 1.0, bins + 1)
    ece = 0.0
    for lo, hi in itertools.pairwise(edges):
        sel = (conf > lo) & (conf <= hi)
        if sel.any():
            ece += sel.mean() * abs(correct[sel].mean() - conf[sel].mean())
    return float(ece)


@dataclass(frozen=True)
class DevScore:
    dataset: str
    n: int
    accuracy: float
    macro_f1: float


def score_labels(dev: dict[str, list[Example]], predicted: dict[str, list[str]]) -> list[DevScore]:
    out = []
    for name, exs in dev.items():
        gold = [e.label for e in exs]
        out.append(DevScore(name, len(exs), accuracy(gold, predicted[name]), macro_f1(gold, predicted[name])))
    return out


def evaluate(model: SentimentModel, dev: dict[str, list[Example]]) -> list[DevScore]:
    return score_labels(
        dev, {name: [r.label for r in model.predict([e.text for e in exs])] for name, exs in dev.items()}
    )


def throughput(
    model: SentimentModel, texts: Sequence[str], batch: int = 64, min_seconds: float = 5.0
) -> float:
    """Mentions per second through ``predict`` (preprocessing included) in batches of ``batch``."""
    model.predict(list(texts[:batch]))  # warm-up (lazy imports, allocator)
    done, start = 0, time.perf_counter()
    while True:
        for i in range(0, len(texts), batch):
            model.predict(list(texts[i : i + batch]))
            done += len(texts[i : i + batch])
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return done / elapsed
