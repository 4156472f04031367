"""Sentiment quality and speed: the bundled model vs a TF-IDF + logistic-regression baseline.

    .venv/bin/python -m benchmarks sentiment

Both are scored on the same dev splits (``nlp/sentiment/training/data.py``: per dataset, stratified 15%,
seed 13, deduplicated, never trained on); the baseline is trained here on the same training split the model
was fine-tuned on. Macro-F1 is over the classes present in each dev set (binary sets: negative/positive).
Throughput is end-to-end ``predict`` (preprocessing included) on real dev texts in batches of 64, on this
machine's CPU; other processes sharing the cores make it pessimistic.
"""

from __future__ import annotations

import os
import random
import time

GOALS = {"snappfood": 0.85, "insta": 0.80}
MIN_THROUGHPUT = 300.0


def main() -> None:
    from nlp.sentiment import load_sentiment_model
    from nlp.sentiment.baseline import TfidfBaselineSentimentModel
    from nlp.sentiment.evaluation import evaluate, throughput
    from nlp.sentiment.training.data import DATA_DIR, make_splits
    from nlp.settings import SentimentSettings

    if not DATA_DIR.is_dir():
        print(f"skipped: labelled data not found at {DATA_DIR}")
        return
    t0 = time.perf_counter()
    splits = make_splits()
    print(
        f"data: train {len(splits.train)}, dev {sum(map(len, splits.dev.values()))}"
        f" ({time.perf_counter() - t0:.0f} s)"
    )

    model = load_sentiment_model(SentimentSettings())
    t0 = time.perf_counter()
    ours = {s.dataset: s for s in evaluate(model, splits.dev)}
    print(f"{model.name}: scored dev in {time.perf_counter() - t0:.0f} s")
    t0 = time.perf_counter()
    baseline = TfidfBaselineSentimentModel().fit(
        [e.text for e in splits.train], [e.label for e in splits.train]
    )
    base = {s.dataset: s for s in evaluate(baseline, splits.dev)}
    print(f"{baseline.name}: trained + scored in {time.perf_counter() - t0:.0f} s")

    print(
        f"\n{'dev set':14s} {'n':>5s} | {'model acc':>9s} {'macro-F1':>8s} |"
        f" {'tfidf acc':>9s} {'macro-F1':>8s}"
    )
    for name, s in ours.items():
        b = base[name]
        goal = (
            f"  (goal >= {GOALS[name]:.2f}: {'met' if s.macro_f1 >= GOALS[name] else 'NOT met'})"
            if name in GOALS
            else ""
        )
        print(
            f"{name:14s} {s.n:5d} | {s.accuracy:9.3f} {s.macro_f1:8.3f} |"
            f" {b.accuracy:9.3f} {b.macro_f1:8.3f}{goal}"
        )
    mean = {k: sum(getattr(s, k) for s in ours.values()) / len(ours) for k in ("accuracy", "macro_f1")}
    bmean = {k: sum(getattr(s, k) for s in base.values()) / len(base) for k in ("accuracy", "macro_f1")}
    print(
        f"{'MEAN':14s} {'':5s} | {mean['accuracy']:9.3f} {mean['macro_f1']:8.3f} | "
        f"{bmean['accuracy']:9.3f} {bmean['macro_f1']:8.3f}"
    )
    verdict = "beats" if mean["macro_f1"] > bmean["macro_f1"] else "does NOT beat"
    print(f"model {verdict} the baseline on mean macro-F1 ({mean['macro_f1'] - bmean['macro_f1']:+.3f})")

    texts = [e.text for exs in splits.dev.values() for e in exs]
    random.Random(0).shuffle(texts)
    texts = texts[:1024]
    print(f"\nthroughput (batch 64, {os.cpu_count()} CPU cores shared with other work; pessimistic):")
    for label, settings in (
        ("onnx int8 (default)", SentimentSettings()),
        ("transformers torch fp32", SentimentSettings(backend="torch")),
    ):
        m = model if settings.backend == "auto" else load_sentiment_model(settings)
        rate = throughput(m, texts, batch=64, min_seconds=8.0)
        target = (
            f"  (goal >= {MIN_THROUGHPUT:.0f}: {'met' if rate >= MIN_THROUGHPUT else 'NOT met'})"
            if m is model
            else ""
        )
        print(f"  {label:26s} {rate:8.1f} mentions/s{target}")
    rate = throughput(baseline, texts, batch=64, min_seconds=4.0)
    print(f"  {'tfidf baseline':26s} {rate:8.1f} mentions/s")


if __name__ == "__main__":
    main()
