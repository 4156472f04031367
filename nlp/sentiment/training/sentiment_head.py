"""Train the sentiment head (``sentiment_head.json``) and its temperature (``calibration.json``).

    nice -n 10 .venv/bin/python -m nlp.sentiment.training.sentiment_head            # the bundled model
    nice -n 10 .venv/bin/python -m nlp.sentiment.training.sentiment_head --cache /tmp/feats.pkl

Inputs per text: the ONNX model's pooled features (as the emotion head reads them) and its classifier's
three raw logits, computed exactly as at run time. Data (``cpu_finetune.build_sets``): the labelled training
split with the two big binary sets capped, plus 85% of the neutral data; validation is the 5% of the
training split the GPU run held back and the other 15% of the neutral data. The dev splits and the everyday
set are never read here, so ``make bench`` reports them held out.

A multinomial logistic regression on standardised inputs; its regularisation C is the one with the best
mean per-dataset macro-F1 on validation (class weights left as the data gives them: balanced weights were
lower on validation at every C). Then a temperature alone (no label biases: the head's intercepts already
set the class balance) is fitted by negative log-likelihood on validation, each dataset weighing the same.
The standardisation is folded into the saved weights.
"""

from __future__ import annotations

import argparse
import json
import pickle
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy.optimize import minimize_scalar

from nlp.sentiment.calibration import CALIBRATION_FILE
from nlp.sentiment.evaluation import expected_calibration_error
from nlp.sentiment.loader import BUILTIN_DIR
from nlp.sentiment.sentiment_head import SentimentHead
from nlp.sentiment.training.cpu_finetune import LABELS, Row, build_sets, per_dataset_f1

GRID = (0.01, 0.03, 0.1, 0.3, 1.0)


def _weights(rows: list[Row]) -> np.ndarray:
    """Each dataset weighs the same in the fit: the binary review sets are most of the rows, but the mix a
    brand sees is unknown and neutral text is exactly what the raw classifier gets wrong."""
    sizes: dict[str, int] = defaultdict(int)
    for r in rows:
        sizes[r.dataset] += 1
    w = np.array([1.0 / sizes[r.dataset] for r in rows])
    return w / w.sum()


def inputs(model, texts: list[str]) -> np.ndarray:  # model: a BatchedClassifier
    """[features ; raw logits in LABELS order] per (already preprocessed) text."""
    logits, feats = model._infer(texts)
    order = [model.class_labels.index(label) for label in LABELS]
    return np.hstack([feats, logits[:, order]])


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(1, keepdims=True))
    return e / e.sum(1, keepdims=True)


def main() -> None:
    from sklearn.linear_model import LogisticRegression

    from nlp.sentiment import load_sentiment_model
    from nlp.settings import SentimentSettings

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", type=Path, default=BUILTIN_DIR)
    ap.add_argument("--cache", type=Path, help="pickle of each text's inputs (read, extended, written)")
    args = ap.parse_args()
    start = time.time()
    train, val = build_sets(json.loads('{"insta": 3000, "snappfood": 2000}'))
    # per text, so that adding training rows computes only theirs
    cached: dict[str, np.ndarray] = {}
    if args.cache and args.cache.is_file():
        cached = pickle.loads(args.cache.read_bytes())
    missing = sorted({r.text for r in train + val} - cached.keys())
    if missing:
        model = load_sentiment_model(SentimentSettings(model=str(args.model), backend="onnx"))
        model.calibration = model.sentiment_head = None  # the raw classifier's logits
        cached.update(zip(missing, inputs(model, missing), strict=True))
        if args.cache:
            args.cache.write_bytes(pickle.dumps(cached))
    x_train = np.stack([cached[r.text] for r in train])
    x_val = np.stack([cached[r.text] for r in val])
    print(f"inputs: train {x_train.shape}, val {x_val.shape} ({time.time() - start:.0f} s)")
    y_train = np.array([LABELS.index(r.label) for r in train])
    y_val = np.array([LABELS.index(r.label) for r in val])
    mu, sigma = x_train.mean(0), x_train.std(0) + 1e-6

    def val_f1(clf: LogisticRegression, rows: list[Row]) -> float:
        return per_dataset_f1(rows, [LABELS[i] for i in clf.predict((x_val - mu) / sigma)])["mean"]

    raw_f1 = per_dataset_f1(val, [LABELS[i] for i in x_val[:, -3:].argmax(1)])["mean"]
    scores, fitted = {}, {}
    for c in GRID:
        fitted[c] = LogisticRegression(C=c, max_iter=3000).fit((x_train - mu) / sigma, y_train)
        scores[c] = val_f1(fitted[c], val)
        print(f"C={c}: val mean macro-F1 {scores[c]:.4f} (raw classifier {raw_f1:.4f})")
    best = max(scores, key=lambda c: scores[c])
    clf = fitted[best]
    weight = clf.coef_ / sigma  # classes_ are 0..2, i.e. LABELS order
    head = SentimentHead(list(LABELS), weight, clf.intercept_ - weight @ mu)

    z_val = x_val @ head.weight.T + head.bias
    w = _weights(val)

    def nll(log_t: float) -> float:
        p = _softmax(z_val / np.exp(log_t))
        return float(-(w * np.log(p[np.arange(len(y_val)), y_val] + 1e-12)).sum())

    temperature = float(np.exp(minimize_scalar(nll, bounds=(-2.0, 2.0), method="bounded").x))
    result = {
        "C": best,
        "val_mean_macro_f1": {str(c): round(s, 4) for c, s in scores.items()},
        "val_mean_macro_f1_raw_classifier": round(raw_f1, 4),
        "train_n": len(train),
        "val_n": len(val),
        "temperature": round(temperature, 6),
        "val_ece_before_t": round(expected_calibration_error(_softmax(z_val), y_val), 4),
        "val_ece_after_t": round(expected_calibration_error(_softmax(z_val / temperature), y_val), 4),
        "seconds": round(time.time() - start, 1),
    }
    head.save(args.model, {"trained": result})
    (args.model / CALIBRATION_FILE).write_text(
        json.dumps(
            {
                "temperature": round(temperature, 6),
                "bias": {},
                "fitted_on": "the sentiment head's logits on build_sets val, datasets weighed equally",
                "val_n": len(val),
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
