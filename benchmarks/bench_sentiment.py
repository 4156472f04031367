"""Sentiment quality and speed: the bundled model vs a TF-IDF + logistic-regression baseline.

    .venv/bin/python -m benchmarks sentiment
    SHENAVA_SENTIMENT_MODEL=/path/to/model/dir .venv/bin/python -m benchmarks sentiment   # another model
    SHENAVA_SENTIMENT_COMPARE=/path/to/model/dir .venv/bin/python -m benchmarks sentiment # bundled vs it
    SHENAVA_SENTIMENT_THROUGHPUT_ONLY=1 .venv/bin/python -m benchmarks sentiment  # only the speed step

Prints, for the model and the baseline side by side:
- dev splits (``nlp/sentiment/training/data.py``: per dataset, stratified 15%, seed 13, deduplicated, never
  trained on or tuned on): accuracy and macro-F1 per set (over the classes present; binary sets
  negative/positive) and the mean; expected calibration error (ECE, 15 bins) over all dev texts;
- the everyday set (``nlp/eval/everyday.jsonl``, hand-written, evaluation only) scored through the whole
  analyzer: per-class precision/recall, three-class macro-F1, ECE, the sarcasm and Finglish slices, and
  the Finglish/Persian-script pairs;
- emotion: macro-F1 over anger/sadness/fear/joy/surprise on the emotion head's held-out split
  (``training/emotion_head.py``) and on the everyday set's emotion labels;
- throughput on this CPU in one run: the whole analysis (normalise, language, brands, sentiment, touchpoints,
  urgency), the model alone, and the baseline; wall-clock and per CPU-second (the cores are shared).
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

GOALS = {"snappfood": 0.85, "insta": 0.80}
MIN_THROUGHPUT = 300.0


def _probs(results) -> np.ndarray:
    from domain.analysis import LABELS

    return np.array([[r.probs[k] for k in LABELS] for r in results])


def _ece(results, gold: Sequence[str]) -> float:
    from domain.analysis import LABELS
    from nlp.sentiment.evaluation import expected_calibration_error

    return expected_calibration_error(_probs(results), np.array([LABELS.index(g) for g in gold]))


def _per_class(gold: Sequence[str], pred: Sequence[str]) -> str:
    parts = []
    for c in ("negative", "neutral", "positive"):
        tp = sum(g == c and p == c for g, p in zip(gold, pred, strict=True))
        n_pred, n_gold = sum(p == c for p in pred), sum(g == c for g in gold)
        parts.append(f"{c} P {tp / n_pred if n_pred else 0:.3f} R {tp / n_gold if n_gold else 0:.3f}")
    return " | ".join(parts)


def dev_report(model, baseline, splits) -> None:
    from nlp.sentiment.evaluation import score_labels

    rows = {}
    for who, m in (("model", model), ("tfidf", baseline)):
        t0 = time.perf_counter()
        results = {name: m.predict([e.text for e in exs]) for name, exs in splits.dev.items()}
        scores = score_labels(splits.dev, {n: [r.label for r in rs] for n, rs in results.items()})
        all_results = [r for rs in results.values() for r in rs]
        gold = [e.label for exs in splits.dev.values() for e in exs]
        rows[who] = ({s.dataset: s for s in scores}, _ece(all_results, gold))
        print(f"{getattr(m, 'name', who)}: scored dev in {time.perf_counter() - t0:.0f} s")
    ours, ece = rows["model"]
    base, bece = rows["tfidf"]
    print(
        f"\n{'dev set':14s} {'n':>5s} | {'model acc':>9s} {'macro-F1':>8s} |"
        f" {'tfidf acc':>9s} {'macro-F1':>8s}"
    )
    for name, s in ours.items():
        b = base[name]
        goal = ""
        if name in GOALS:
            goal = f"  (goal >= {GOALS[name]:.2f}: {'met' if s.macro_f1 >= GOALS[name] else 'NOT met'})"
        print(
            f"{name:14s} {s.n:5d} | {s.accuracy:9.3f} {s.macro_f1:8.3f} |"
            f" {b.accuracy:9.3f} {b.macro_f1:8.3f}{goal}"
        )
    mean = {k: np.mean([getattr(s, k) for s in ours.values()]) for k in ("accuracy", "macro_f1")}
    bmean = {k: np.mean([getattr(s, k) for s in base.values()]) for k in ("accuracy", "macro_f1")}
    print(
        f"{'MEAN':14s} {'':5s} | {mean['accuracy']:9.3f} {mean['macro_f1']:8.3f} | "
        f"{bmean['accuracy']:9.3f} {bmean['macro_f1']:8.3f}"
    )
    print(
        f"dev ECE (all {sum(s.n for s in ours.values())} texts, 15 bins): model {ece:.4f}, tfidf {bece:.4f}"
    )


def everyday_report(model, baseline) -> None:
    from nlp.analyzer import Analyzer
    from nlp.eval.everyday import everyday_set, slices
    from nlp.sentiment.evaluation import accuracy, macro_f1

    items = everyday_set()
    texts = [i.text for i in items]
    gold = [i.label for i in items]
    print(f"\neveryday set ({len(items)} hand-written mentions; evaluation only):")
    analyses = Analyzer(model).analyze_texts(texts)
    ours = [a.sentiment for a in analyses]
    theirs = baseline.predict(texts)
    for who, results in (("model (analyzer)", ours), ("tfidf", theirs)):
        pred = [r.label for r in results]
        print(
            f"  {who:17s} macro-F1 {macro_f1(gold, pred):.3f} acc {accuracy(gold, pred):.3f}"
            f" ECE {_ece(results, gold):.3f} | {_per_class(gold, pred)}"
        )
    pred = {i.id: r.label for i, r in zip(items, ours, strict=True)}
    base = {i.id: r.label for i, r in zip(items, theirs, strict=True)}
    print(f"  {'slice':22s} {'n':>4s} | {'model acc':>9s} {'macro-F1':>8s} | {'tfidf acc':>9s}")
    for name, subset in slices(items).items():
        if name in ("all",) or not subset:
            continue
        g = [i.label for i in subset]
        p = [pred[i.id] for i in subset]
        b = [base[i.id] for i in subset]
        print(
            f"  {name:22s} {len(subset):4d} | {accuracy(g, p):9.3f} {macro_f1(g, p):8.3f} |"
            f" {accuracy(g, b):9.3f}"
        )
    finglish = [i for i in items if i.pair_id and i.finglish]
    if finglish and hasattr(model, "finglish_to_script"):
        model.finglish_to_script = False
        raw = model.predict([i.text for i in finglish])
        model.finglish_to_script = True
        g = [i.label for i in finglish]
        print(
            f"  {'pairs_finglish, no transliteration':34s} acc {accuracy(g, [r.label for r in raw]):.3f}"
            f" macro-F1 {macro_f1(g, [r.label for r in raw]):.3f} (model alone)"
        )
    neutral_recall = sum(p == "neutral" == g for g, p in zip(gold, [r.label for r in ours], strict=True))
    print(f"  neutral recall {neutral_recall / max(1, gold.count('neutral')):.3f} (goal >= 0.70)")
    emo = [(i.emotion, a.sentiment.emotion) for i, a in zip(items, analyses, strict=True) if i.emotion]
    if emo and emo[0][1] is not None:
        from nlp.sentiment.emotion import EMOTIONS
        from nlp.sentiment.training.emotion_head import macro_f1 as emotion_f1

        g, p = [e[0] for e in emo], [e[1] or "none" for e in emo]
        print(
            f"  emotion on the everyday set ({len(emo)} labelled): macro-F1 (5 emotions) "
            f"{emotion_f1(g, p, EMOTIONS[:5]):.3f}, with none {emotion_f1(g, p, EMOTIONS):.3f}"
        )


def emotion_report(model) -> None:
    from nlp.sentiment.emotion import EMOTIONS
    from nlp.sentiment.training.emotion_head import emotion_splits, macro_f1

    _, held = emotion_splits()
    results = model.predict([t for t, _ in held])
    if results and results[0].emotion is None:
        print("\nemotion: the model has no emotion head")
        return
    gold = [e for _, e in held]
    pred = [r.emotion or "none" for r in results]
    print(
        f"\nemotion head, held-out ArmanEmo split ({len(held)} texts): macro-F1 (5 emotions) "
        f"{macro_f1(gold, pred, EMOTIONS[:5]):.3f}, 6 classes with none {macro_f1(gold, pred, EMOTIONS):.3f}"
    )


def _cpu_seconds() -> float:
    """CPU time of this process, all its threads (the model's batch threads, ONNX Runtime's)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def throughput_report(model, baseline, texts: list[str]) -> None:
    from alerts.settings import UrgencySettings
    from nlp.analyzer import Analyzer
    from nlp.eval.datasets import eval_brands

    # the default crisis words (a whole Settings needs brands, which a benchmark has none of)
    analyzer = Analyzer(model, brands=eval_brands(), crisis_words=UrgencySettings().crisis_words)
    # the same analysis on one thread: no pipelining, one model batch at a time (as before issue 11)
    one_thread = Analyzer(
        model, brands=eval_brands(), crisis_words=UrgencySettings().crisis_words, pipeline=False
    )
    parallel = getattr(model, "parallel_batches", 1)

    def sequential(batch: list[str]):
        if hasattr(model, "parallel_batches"):
            model.parallel_batches = 1
        try:
            return one_thread.analyze_texts(batch)
        finally:
            if hasattr(model, "parallel_batches"):
                model.parallel_batches = parallel

    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\nthroughput ({len(texts)} mentions, {np.mean([len(t) for t in texts]):.0f} characters on average,"
        f" calls of 256; {os.cpu_count()} CPU cores shared with other work, load average {load}; CPU-seconds"
        " count every thread of this process, cores busy = CPU-seconds / wall seconds):"
    )
    runs = (
        ("whole analysis (Analyzer)", lambda batch: analyzer.analyze_texts(batch)),
        ("whole analysis, one thread", sequential),
        ("sentiment model alone", model.predict),
        ("tfidf baseline (predict)", baseline.predict),
    )
    for _, fn in runs:
        fn(texts[:64])  # warm-up
    for label, fn in runs:
        start, cpu = time.perf_counter(), _cpu_seconds()
        for i in range(0, len(texts), 256):
            fn(texts[i : i + 256])
        wall, cpu_s = time.perf_counter() - start, max(_cpu_seconds() - cpu, 1e-9)
        goal = ""
        if label == "whole analysis (Analyzer)":
            met = "met" if len(texts) / wall >= MIN_THROUGHPUT else "NOT met"
            goal = f"  (goal >= {MIN_THROUGHPUT:.0f}/s wall: {met})"
        print(
            f"  {label:27s} {len(texts) / wall:7.1f} mentions/s wall, {len(texts) / cpu_s:7.1f} per"
            f" CPU-second ({1000 * cpu_s / len(texts):.2f} ms), cores busy {cpu_s / wall:.2f}{goal}"
        )
    print(f"  load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


def compare(directory: str) -> None:
    """The bundled model and another model directory on the same dev splits and everyday set (no
    baseline, no throughput), with a paired bootstrap of the dev mean's difference: the check before
    replacing the bundled model."""
    from nlp.eval.everyday import everyday_set
    from nlp.sentiment import load_sentiment_model
    from nlp.sentiment.evaluation import macro_f1, score_labels
    from nlp.sentiment.paired_bootstrap import paired_bootstrap
    from nlp.sentiment.training.data import make_splits
    from nlp.settings import SentimentSettings

    splits = make_splits()
    items = everyday_set()
    gold = [i.label for i in items]
    dev_labels: list[dict[str, list[str]]] = []
    for settings in (SentimentSettings(), SentimentSettings(model=str(Path(directory).resolve()))):
        model = load_sentiment_model(settings)
        results = {name: model.predict([e.text for e in exs]) for name, exs in splits.dev.items()}
        dev_labels.append({name: [r.label for r in rs] for name, rs in results.items()})
        scores = score_labels(splits.dev, dev_labels[-1])
        dev_gold = [e.label for exs in splits.dev.values() for e in exs]
        dev_ece = _ece([r for rs in results.values() for r in rs], dev_gold)
        ev = model.predict([i.text for i in items])
        pred = [r.label for r in ev]
        neutral = [g == "neutral" for g in gold]
        neutral_dev = [
            (e.label, r.label)
            for exs, rs in zip(splits.dev.values(), results.values(), strict=True)
            for e, r in zip(exs, rs, strict=True)
            if e.label == "neutral"
        ]
        print(f"\n{model.name}")
        print(
            "  dev macro-F1: "
            + " ".join(f"{s.dataset} {s.macro_f1:.3f}" for s in scores)
            + f" | mean {np.mean([s.macro_f1 for s in scores]):.4f}; dev ECE {dev_ece:.4f}"
        )
        print(
            f"  dev neutral recall {np.mean([p == 'neutral' for _, p in neutral_dev]):.3f}"
            f" (n {len(neutral_dev)})"
        )
        print(
            f"  everyday (model alone): macro-F1 {macro_f1(gold, pred):.3f}, neutral recall "
            f"{np.mean([p == 'neutral' for p, n in zip(pred, neutral, strict=True) if n]):.3f}, "
            f"ECE {_ece(ev, gold):.4f} | {_per_class(gold, pred)}"
        )
    diff = paired_bootstrap({n: [e.label for e in exs] for n, exs in splits.dev.items()}, *dev_labels)
    print(
        f"\ndev mean macro-F1, {Path(directory).name} minus the bundled model: {diff.difference:+.4f}, "
        f"95% interval [{diff.low:+.4f}, {diff.high:+.4f}] (paired bootstrap, {diff.resamples} resamples "
        f"of every dev set; lower in {diff.share_below_zero:.0%} of them)"
    )


def main() -> None:
    from nlp.sentiment import load_sentiment_model
    from nlp.sentiment.baseline import TfidfBaselineSentimentModel
    from nlp.sentiment.training.data import DATA_DIR, make_splits
    from nlp.settings import SentimentSettings

    if not DATA_DIR.is_dir():
        print(f"skipped: labelled data not found at {DATA_DIR}")
        return
    if os.environ.get("SHENAVA_SENTIMENT_COMPARE"):
        compare(os.environ["SHENAVA_SENTIMENT_COMPARE"])
        return
    t0 = time.perf_counter()
    splits = make_splits()
    print(
        f"data: train {len(splits.train)}, dev {sum(map(len, splits.dev.values()))}"
        f" ({time.perf_counter() - t0:.0f} s)"
    )
    other = os.environ.get("SHENAVA_SENTIMENT_MODEL")
    model = load_sentiment_model(
        SentimentSettings(model=str(Path(other).resolve())) if other else SentimentSettings()
    )
    print(f"model: {model.name}")
    t0 = time.perf_counter()
    baseline = TfidfBaselineSentimentModel().fit(
        [e.text for e in splits.train], [e.label for e in splits.train]
    )
    print(f"{baseline.name}: trained in {time.perf_counter() - t0:.0f} s")

    if not os.environ.get("SHENAVA_SENTIMENT_THROUGHPUT_ONLY"):
        dev_report(model, baseline, splits)
        everyday_report(model, baseline)
        emotion_report(model)

    # Realistic mentions: the everyday set and dev texts of social-media length, shuffled.
    from nlp.eval.everyday import everyday_set

    texts = [i.text for i in everyday_set()] + [
        e.text for exs in splits.dev.values() for e in exs if 20 <= len(e.text) <= 400
    ]
    random.Random(0).shuffle(texts)
    throughput_report(model, baseline, texts[:1500])


if __name__ == "__main__":
    main()
