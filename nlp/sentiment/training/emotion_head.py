"""Train the emotion head on the frozen encoder's features (ArmanEmo's training file only).

    nice -n 10 .venv/bin/python -m nlp.sentiment.training.emotion_head --model nlp/sentiment/model

Labels: ArmanEmo's ANGRY and HATE -> anger (both are hostile; HATE alone is rare and mostly reads as anger in
complaints — a documented choice), SAD -> sadness, FEAR -> fear, HAPPY -> joy, SURPRISE -> surprise,
OTHER -> none. ArmanEmo's own test split is never read.

Split (:func:`emotion_splits`): the held-out part is every text of the sentiment dev split of ArmanEmo
(``data.make_splits``: the encoder was never trained on those) plus a stratified 15% of the SURPRISE texts
(which the sentiment data drops, so the encoder never saw any of them); the rest trains the head. The
regularisation C is chosen by 5-fold cross-validation on the training part; the held-out figure is reported.
Features are the ONNX model's ``features`` output (pooled [CLS] ; masked mean of the last layer), computed
exactly as at run time; a logistic regression with balanced class weights is fitted on standardised
features and the standardisation is folded into the saved weights (``emotion_head.json``).
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from nlp.sentiment.emotion import EMOTIONS, EmotionHead
from nlp.sentiment.loader import BUILTIN_DIR
from nlp.sentiment.preprocess import preprocess
from nlp.sentiment.training.data import DATA_DIR, SEED, make_splits

ARMAN_EMOTION = {
    "ANGRY": "anger",
    "HATE": "anger",
    "SAD": "sadness",
    "FEAR": "fear",
    "HAPPY": "joy",
    "SURPRISE": "surprise",
    "OTHER": "none",
}
HELD_OUT_FRACTION = 0.15


def armanemo_emotions(root: Path = DATA_DIR) -> list[tuple[str, str]]:
    """(raw text, emotion) of ArmanEmo's training file, deduplicated on preprocessed text."""
    labels: dict[str, set[str]] = defaultdict(set)
    first: dict[str, str] = {}
    for line in (root / "armanemo" / "train.tsv").read_text(encoding="utf-8").splitlines():
        text, sep, tag = line.rpartition("\t")
        emotion = ARMAN_EMOTION.get(tag.strip())
        key = preprocess(text)
        if sep and emotion and key:
            labels[key].add(emotion)
            first.setdefault(key, text.strip())
    return [(first[k], next(iter(v))) for k, v in labels.items() if len(v) == 1]


def emotion_splits(seed: int = SEED) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(train, held_out) for the emotion head; see the module docstring."""
    dev_keys = {preprocess(e.text) for e in make_splits().dev["armanemo"]}
    rows = armanemo_emotions()
    held = [r for r in rows if preprocess(r[0]) in dev_keys]
    rest = [r for r in rows if preprocess(r[0]) not in dev_keys]
    surprise = sorted((r for r in rest if r[1] == "surprise"), key=lambda r: r[0])
    random.Random(seed).shuffle(surprise)
    cut = round(len(surprise) * HELD_OUT_FRACTION)
    held += surprise[:cut]
    moved = {r[0] for r in surprise[:cut]}
    train = [r for r in rest if r[0] not in moved]
    return train, held


def features(model, texts: list[str]) -> np.ndarray:
    """The model's pooled features per text, computed exactly as at run time."""
    feats = model.features(texts)
    if feats is None:
        raise SystemExit("the model gives no features: export it with training/export.py first")
    return feats


def macro_f1(gold: list[str], pred: list[str], classes: tuple[str, ...]) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(gold, pred, labels=list(classes), average="macro", zero_division=0))


def main() -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    from nlp.sentiment.onnx_backend import OnnxSentimentModel

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", type=Path, default=BUILTIN_DIR)
    args = ap.parse_args()
    start = time.time()
    train, held = emotion_splits()
    print(f"emotion split: train {len(train)}, held-out {len(held)}")
    model = OnnxSentimentModel(args.model, num_threads=2)
    model.emotion_head = None
    x_train = features(model, [t for t, _ in train])
    x_held = features(model, [t for t, _ in held])
    y_train = [e for _, e in train]
    y_held = [e for _, e in held]
    mu, sigma = x_train.mean(0), x_train.std(0) + 1e-6
    z_train = (x_train - mu) / sigma
    five = EMOTIONS[:5]
    cv = {}
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    for c in (0.01, 0.03, 0.1, 0.3, 1.0):
        scores = []
        for tr, va in folds.split(z_train, y_train):
            clf = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
            clf.fit(z_train[tr], [y_train[i] for i in tr])
            scores.append(macro_f1([y_train[i] for i in va], list(clf.predict(z_train[va])), five))
        cv[c] = float(np.mean(scores))
        print(f"C={c}: cross-validated macro-F1 (5 emotions) {cv[c]:.4f}")
    best_c = max(cv, key=lambda c: cv[c])
    clf = LogisticRegression(C=best_c, max_iter=2000, class_weight="balanced").fit(z_train, y_train)
    order = [list(clf.classes_).index(e) for e in EMOTIONS]
    weight = clf.coef_[order] / sigma
    bias = clf.intercept_[order] - weight @ mu
    head = EmotionHead(list(EMOTIONS), weight, bias)
    pred = [EMOTIONS[i] for i in head.probs(x_held).argmax(1)]
    result = {
        "C": best_c,
        "cv_macro_f1_5": cv,
        "train_n": len(train),
        "held_out_n": len(held),
        "held_out_macro_f1_5": macro_f1(y_held, pred, five),
        "held_out_macro_f1_6": macro_f1(y_held, pred, EMOTIONS),
        "held_out_accuracy": float(np.mean([g == p for g, p in zip(y_held, pred, strict=True)])),
        "seconds": round(time.time() - start, 1),
    }
    head.save(args.model, {"trained": result})
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
