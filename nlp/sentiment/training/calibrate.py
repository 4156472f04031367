"""Fit ``calibration.json`` (temperature + per-label bias) for a model directory on the validation split.

    nice -n 10 .venv/bin/python -m nlp.sentiment.training.calibrate            # the bundled model
    nice -n 10 .venv/bin/python -m nlp.sentiment.training.calibrate --dry-run  # print, write nothing

Validation is ``cpu_finetune.build_sets``' val: the 5% of the labelled training split that the GPU
training held back (model selection only, never trained on) plus 15% of the neutral data. The dev
splits and the everyday set are never read here, so their figures in ``make bench`` stay held out.

Each dataset weighs the same in the negative log-likelihood: the binary review sets are most of the
rows but the mix a brand sees is unknown, and neutral text is exactly what the raw model gets wrong.
Honesty inside the fit: the parameters are first fitted on one half of val and scored on the other
(reported), then refitted on all of val for the file that ships.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

from nlp.sentiment.calibration import CALIBRATION_FILE, Calibration
from nlp.sentiment.evaluation import expected_calibration_error
from nlp.sentiment.loader import BUILTIN_DIR
from nlp.sentiment.training.cpu_finetune import LABELS, Row, build_sets, per_dataset_f1

SEED = 20261201


def _weights(rows: list[Row]) -> np.ndarray:
    sizes: dict[str, int] = defaultdict(int)
    for r in rows:
        sizes[r.dataset] += 1
    w = np.array([1.0 / sizes[r.dataset] for r in rows])
    return w / w.sum()


def fit(logits: np.ndarray, gold: np.ndarray, weights: np.ndarray) -> Calibration:
    """Minimise weighted NLL over log T and the neutral/positive biases (negative is the reference)."""

    def nll(params: np.ndarray) -> float:
        z = logits / np.exp(params[0]) + np.array([0.0, params[1], params[2]])
        z = z - z.max(1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(1, keepdims=True))
        return float(-(weights * logp[np.arange(len(gold)), gold]).sum())

    best = minimize(nll, np.zeros(3), method="Nelder-Mead", options={"xatol": 1e-4, "fatol": 1e-8})
    t, b_neu, b_pos = best.x
    return Calibration(temperature=float(np.exp(t)), bias={"neutral": float(b_neu), "positive": float(b_pos)})


def _report(
    name: str, rows: list[Row], logits: np.ndarray, gold: np.ndarray, cal: Calibration | None
) -> dict:
    z = logits if cal is None else cal.apply(logits, list(LABELS))
    probs = np.exp(z - z.max(1, keepdims=True))
    probs /= probs.sum(1, keepdims=True)
    f1 = per_dataset_f1(rows, [LABELS[i] for i in probs.argmax(1)])
    neutral = gold == 1
    out = {
        "ece": round(expected_calibration_error(probs, gold), 4),
        "mean_macro_f1": round(f1["mean"], 4),
        "neutral_recall": round(float((probs.argmax(1)[neutral] == 1).mean()), 4) if neutral.any() else None,
    }
    print(f"{name:32s} {json.dumps(out)}")
    return out


def main() -> None:
    from nlp.sentiment.loader import load_sentiment_model
    from nlp.settings import SentimentSettings

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", type=Path, default=BUILTIN_DIR)
    ap.add_argument("--dry-run", action="store_true")
    args = ap.parse_args()

    _, val = build_sets(json.loads('{"insta": 3000, "snappfood": 2000}'))
    model = load_sentiment_model(SentimentSettings(model=str(args.model)))
    model.calibration = None  # fit on raw logits
    logits, _ = model._infer([r.text for r in val])
    order = [model.class_labels.index(label) for label in LABELS]  # columns in LABELS order
    logits = logits[:, order]
    gold = np.array([LABELS.index(r.label) for r in val])

    idx = list(range(len(val)))
    random.Random(SEED).shuffle(idx)
    a, b = sorted(idx[: len(idx) // 2]), sorted(idx[len(idx) // 2 :])
    sub = lambda ix: [val[i] for i in ix]  # noqa: E731
    half = fit(logits[a], gold[a], _weights(sub(a)))
    print(f"val n={len(val)}; half-A fit: T={half.temperature:.3f} bias={half.bias}")
    before = _report("val half B, raw", sub(b), logits[b], gold[b], None)
    after = _report("val half B, fitted on half A", sub(b), logits[b], gold[b], half)

    final = fit(logits, gold, _weights(val))
    print(f"all-val fit (ships): T={final.temperature:.3f} bias={final.bias}")
    if args.dry_run:
        return
    record = {
        "temperature": round(final.temperature, 6),
        "bias": {k: round(v, 6) for k, v in final.bias.items()},
        "fitted_on": "build_sets val (5% labelled train + 15% neutral), datasets weighed equally",
        "val_n": len(val),
        "check_half_b": {"raw": before, "fitted_on_half_a": after},
    }
    (args.model / CALIBRATION_FILE).write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {args.model / CALIBRATION_FILE}")


if __name__ == "__main__":
    main()
