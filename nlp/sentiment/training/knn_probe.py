"""Would a nearest-neighbour memory of the training texts help the bundled model? (Round 9: no.)

    .venv/bin/python -m nlp.sentiment.training.knn_probe [--model DIR]

Each validation text (``build_sets``: never the dev splits or the everyday set) gets the label mix of its k
nearest training texts by cosine similarity of the pooled features the emotion head reads (centred or
standardised first, or raw), weighted by exp((similarity - best) / tau); the prediction is the argmax of
``(1 - lam) * model + lam * neighbours``. Prints the model alone, the best grid points on all of
validation (in-sample: the grid was chosen there), and the nested figure: the grid point chosen on one
half of validation, scored on the other half, both ways round.
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from nlp.sentiment.training.cpu_finetune import LABELS, Row, per_dataset_f1, softmax

KS = (8, 16, 32, 64, 128)
TAUS = (0.02, 0.05, 0.1, 1.0)
LAMS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 1.0)
Point = tuple[str, int, float, float]  # space, k, tau, lam


def unit_rows(x: np.ndarray, mean: np.ndarray, sd: np.ndarray, space: str) -> np.ndarray:
    """Rows in ``space`` (raw / centre / std on the training set's statistics), scaled to unit length."""
    if space == "centre":
        x = x - mean
    elif space == "std":
        x = (x - mean) / sd
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def neighbour_probs(sims: np.ndarray, labels: np.ndarray, k: int, tau: float) -> np.ndarray:
    """(queries, classes) label mix of each query's ``k`` nearest rows; ``sims`` and ``labels`` are the
    neighbours' similarities (best first) and labels, one row per query."""
    weight = np.exp((sims[:, :k] - sims[:, :1]) / tau)
    probs = np.stack([(weight * (labels[:, :k] == c)).sum(1) for c in range(len(LABELS))], axis=1)
    return probs / probs.sum(1, keepdims=True)


def grid_predictions(
    train_feats: np.ndarray, train_y: np.ndarray, feats: np.ndarray, model_probs: np.ndarray
) -> dict[Point, np.ndarray]:
    """Predicted class per query for every grid point."""
    mean, sd = train_feats.mean(0), train_feats.std(0) + 1e-6
    out: dict[Point, np.ndarray] = {}
    for space in ("raw", "centre", "std"):
        sims = unit_rows(feats, mean, sd, space) @ unit_rows(train_feats, mean, sd, space).T
        nearest = np.argsort(-sims, axis=1)[:, : max(KS)]
        best_sims, best_y = np.take_along_axis(sims, nearest, 1), train_y[nearest]
        for k, tau in itertools.product(KS, TAUS):
            mix = neighbour_probs(best_sims, best_y, k, tau)
            for lam in LAMS:
                out[space, k, tau, lam] = ((1.0 - lam) * model_probs + lam * mix).argmax(1)
    return out


def mean_f1(rows: Sequence[Row], pred: np.ndarray, keep: np.ndarray) -> float:
    chosen = [r for r, k in zip(rows, keep, strict=True) if k]
    return per_dataset_f1(chosen, [LABELS[i] for i, k in zip(pred, keep, strict=True) if k])["mean"]


def nested(rows: Sequence[Row], preds: dict[Point, np.ndarray]) -> list[tuple[Point, float, float, float]]:
    """Per half: (point chosen on it, its score there, its score on the other half, model alone there)."""
    halves = [np.arange(len(rows)) % 2 == h for h in (0, 1)]
    alone = next(p for p in preds if p[3] == 0.0)
    out = []
    for tune, report in (halves, halves[::-1]):
        scores = {p: mean_f1(rows, pred, tune) for p, pred in preds.items()}
        best = max(scores, key=lambda p: scores[p])
        reported = mean_f1(rows, preds[best], report)
        out.append((best, scores[best], reported, mean_f1(rows, preds[alone], report)))
    return out


def main() -> None:
    from nlp.sentiment import load_sentiment_model
    from nlp.sentiment.loader import BUILTIN_DIR
    from nlp.sentiment.training.cpu_finetune import build_sets
    from nlp.settings import SentimentSettings

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", type=Path, default=BUILTIN_DIR)
    args = ap.parse_args()
    train, val = build_sets({})
    model = load_sentiment_model(SentimentSettings(model=str(args.model), backend="onnx"))
    assert model.class_labels == list(LABELS), model.class_labels

    def run(rows: list[Row]) -> tuple[np.ndarray, np.ndarray]:  # calibrated probabilities, features
        logits, feats = model._infer([r.text for r in rows])
        assert feats is not None, "the model gives no pooled features"
        return softmax(model.calibrated_logits(logits)), feats

    _, train_feats = run(train)
    val_probs, val_feats = run(val)
    train_y = np.array([LABELS.index(r.label) for r in train])
    preds = grid_predictions(train_feats, train_y, val_feats, val_probs)
    everything = np.ones(len(val), dtype=bool)
    print(f"{len(train)} training texts, {len(val)} validation texts")
    print(f"model alone: val mean macro-F1 {mean_f1(val, val_probs.argmax(1), everything):.4f}")
    scores = {p: mean_f1(val, pred, everything) for p, pred in preds.items()}
    for p in sorted(scores, key=lambda q: scores[q], reverse=True)[:3]:
        print(f"in-sample best {p} (space, k, tau, lam): {scores[p]:.4f}")
    for h, (p, tuned, reported, alone) in enumerate(nested(val, preds)):
        print(f"chosen on half {h}: {p} {tuned:.4f}; other half {reported:.4f}, model alone {alone:.4f}")


if __name__ == "__main__":
    main()
