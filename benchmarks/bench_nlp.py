"""Text-side NLP figures: language-id accuracy, brand-matching precision/recall, touchpoint
examples, complaint keyphrases, and normalise/analyse throughput on this CPU.

Run alone with ``.venv/bin/python -m benchmarks bench_nlp``. Reads ``../shared/data`` when it
is there (real Persian text for the fa check, keyphrases and throughput) and says so when not.
"""

from __future__ import annotations

import csv
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from benchmarks.bench_touchpoints import micro, precision_recall, scores
from nlp.aspects import AspectTagger
from nlp.brands import BrandMatcher
from nlp.eval.datasets import (
    LangItem,
    aspect_set,
    brand_set,
    eval_brands,
    heldout_language_set,
    language_set,
)
from nlp.keyphrases import log_odds_terms
from nlp.language import LANGS, detect_language
from nlp.normalize import normalize

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
SOCIAL_FILES = (
    "parstwiner_tweets.txt",
    "tweets_shortpersianemo.txt",
    "instagram_parsoffensive.txt",
    "digikala_comments_ca3.txt",
    "taaghche_comments.txt",
    "colloquial_shekasteh.txt",
)


def shared_social_lines(n: int, seed: int = 7) -> list[str]:
    """``n`` lines sampled evenly from the shared informal Persian corpora (read, never copied)."""
    rng = random.Random(seed)
    lines: list[str] = []
    per_file = max(1, n // len(SOCIAL_FILES))
    for name in SOCIAL_FILES:
        path = SHARED / "unlabelled" / name
        if path.is_file():
            text = path.read_text(encoding="utf-8").splitlines()
            lines += rng.sample(text, min(per_file, len(text)))
    return lines


def language_report(name: str, items: Sequence[LangItem]) -> None:
    if not items:
        print(f"language id [{name}]: no items")
        return
    predicted = [detect_language(i.text) for i in items]
    correct = sum(p == i.lang for p, i in zip(predicted, items, strict=True))
    print(f"language id [{name}]: accuracy {correct / len(items):.3f} ({correct}/{len(items)})")
    for lang in LANGS:
        gold = sum(i.lang == lang for i in items)
        pred = sum(p == lang for p in predicted)
        tp = sum(p == lang == i.lang for p, i in zip(predicted, items, strict=True))
        if gold or pred:
            prec = tp / pred if pred else 0.0
            rec = tp / gold if gold else 0.0
            print(f"    {lang:9s} n={gold:4d}  precision {prec:.3f}  recall {rec:.3f}")
    errors = Counter((i.lang, p) for p, i in zip(predicted, items, strict=True) if p != i.lang)
    if errors:
        pairs = ", ".join(f"{g}→{p} ×{c}" for (g, p), c in errors.most_common(6))
        print(f"    confusions (gold→predicted): {pairs}")


def sample_report() -> None:
    """B's bundled sample (data/sample, generated from B's own templates and labels): a second,
    independently written check. Its labels are template-level, so aspect agreement is rough."""
    from config.loader import load_settings
    from listeners.line_records import open_records

    path = ROOT / "data" / "sample" / "mentions.jsonl"
    if not path.is_file():
        print("bundled sample: data/sample/mentions.jsonl not found, skipped")
        return
    rows = [row for _, row in open_records(path) if isinstance(row, dict)]
    settings = load_settings(ROOT / "config" / "shenava.yaml")
    matcher, tagger = BrandMatcher(settings.brands), AspectTagger.from_settings(settings.nlp)
    lang_ok = brand_hit = brand_n = extra = aspect_hit = aspect_n = 0
    for row in rows:
        norm = normalize(row["text"])
        lang_ok += detect_language(row["text"]) == row.get("lang")
        gold = (row.get("sample") or {}).get("brand")
        if gold:
            got = matcher.match_normalized(norm, row.get("author"))
            brand_n, brand_hit, extra = brand_n + 1, brand_hit + (gold in got), extra + len(set(got) - {gold})
        aspect = (row.get("sample") or {}).get("aspect")
        if aspect:
            aspect_n, aspect_hit = aspect_n + 1, aspect_hit + (aspect in tagger.tag_normalized(norm.text))
    print(
        f"bundled sample ({len(rows)} mentions): language accuracy {lang_ok / len(rows):.3f}; "
        f"labelled brand found {brand_hit / brand_n:.3f} ({brand_n - brand_hit} missed, "
        f"{extra} other brands also named); labelled touchpoint found {aspect_hit / max(1, aspect_n):.3f}"
    )


def brand_report() -> None:
    matcher = BrandMatcher(eval_brands())
    items = brand_set()
    for origin in ("written", "generated", "all"):
        subset = [i for i in items if origin in ("all", i.origin)]
        tp = fp = fn = 0
        for item in subset:
            got, gold = set(matcher.match(item.text)), set(item.brands)
            tp, fp, fn = tp + len(got & gold), fp + len(got - gold), fn + len(gold - got)
        negatives = sum(not i.brands for i in subset)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        print(
            f"brand matching [{origin}]: {len(subset)} items ({negatives} hard negatives): "
            f"precision {prec:.3f}  recall {rec:.3f}  (tp {tp}, fp {fp}, fn {fn})"
        )
    misses = [i for i in items if set(matcher.match(i.text)) != set(i.brands)]
    for item in misses[:5]:
        print(f"    miss: gold {list(item.brands)} got {matcher.match(item.text)}: {item.text}")


ASPECT_EXAMPLES = (
    "پیک سه ساعت دیر اومد و غذا یخ کرده بود",
    "پشتیبانی هیچ جوابی نمیده، پولم هم برنگشته",
    "قیمتاتون نسبت به تازه‌مارکت خیلی گرون‌تره",
    "اپلیکیشن بعد از آپدیت باز نمیشه",
    "راننده‌تون خیلی بی‌ادب بود",
    "میوه‌ها پلاسیده و خراب بودن",
    "مبلغ دوبار از کارتم کسر شد",
    "خیلی ممنون، همه چی عالی بود",
)


def aspect_report() -> None:
    tagger = AspectTagger.from_settings()
    items = aspect_set()
    per = scores([(item.text, frozenset(item.aspects)) for item in items], tagger)
    precision, recall = precision_recall(*micro(per))
    print(
        f"touchpoint tagging: {len(items)} written items ({sum(not i.aspects for i in items)} with none): "
        f"micro precision {precision:.3f}  recall {recall:.3f}"
    )
    for name, (t, f, n) in sorted(per.items()):
        prec, rec = t / (t + f) if t + f else 0.0, t / (t + n) if t + n else 0.0
        print(f"    {name:9s} precision {prec:.3f}  recall {rec:.3f}")
    print("touchpoint tagging examples:")
    for text in ASPECT_EXAMPLES:
        print(f"    {tagger.tag(text)!s:28s} {text}")


def finglish_report() -> None:
    """Finglish → Persian transliteration on the hand-written parallel set (nlp/eval/transliteration.py)."""
    from nlp.eval.transliteration import print_report

    print_report()


URGENCY_EXAMPLES = (
    ("ممنون، همه چی عالی بود", 0.02, 300, {}),
    ("سفارشم هنوز نرسیده", 0.70, 300, {}),
    ("سفارش 4589231 از دیروز هنوز نرسیده، چرا جواب نمیدید؟", 0.92, 300, {}),
    ("سفارش 4589231 از دیروز هنوز نرسیده، چرا جواب نمیدید؟", 0.92, 250_000, {"likes": 900, "retweets": 300}),
    ("بعد از غذای دیشب همه مسمومیت گرفتیم، شکایت می‌کنیم", 0.95, 2_000, {"likes": 40}),
    ("کلاهبرداری کردن، پولم کسر شد و برنگشت!!!", 0.97, 80_000, {"retweets": 150}),
)


def urgency_examples() -> None:
    from nlp.normalize import normalize
    from nlp.urgency import UrgencyScorer

    scorer = UrgencyScorer.build()
    print("urgency examples (p_neg given; followers; engagement):")
    for text, p_neg, followers, metrics in URGENCY_EXAMPLES:
        norm = normalize(text)
        value = scorer.score(
            norm.text,
            p_negative=p_neg,
            followers=followers,
            metrics=metrics,
            repeated_punct=len(norm.repeated_punct),
        )
        print(f"    {value:.2f}  p_neg={p_neg:.2f} followers={followers:>7,}  {text}")


def keyphrase_example() -> None:
    path = SHARED / "sentiment" / "snappfood" / "dev.csv"
    if not path.is_file():
        print("keyphrases: ../shared/data/sentiment/snappfood/dev.csv not found, skipped")
        return
    sad, happy = [], []
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            (sad if row.get("label") == "SAD" else happy).append(row.get("comment") or "")
    start = time.perf_counter()
    top = log_odds_terms(sad, happy, top=12, min_count=5)
    took = time.perf_counter() - start
    print(f"keyphrases: SnappFood SAD ({len(sad)}) vs HAPPY ({len(happy)}) reviews, z ({took:.1f} s):")
    print("    " + "، ".join(f"{t} ({z:.1f})" for t, z in top))


def throughput(name: str, fn: Callable[[str], object], texts: Sequence[str]) -> None:
    # CPU time as well as wall time: the 2 cores are shared, so wall-clock rates swing with load.
    start, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        fn(text)
    took, cpu_took = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"throughput {name}: {len(texts) / took:,.0f} texts/s wall, "
        f"{len(texts) / max(cpu_took, 1e-9):,.0f} per CPU-second ({len(texts)} texts)"
    )


def main() -> None:
    written = language_set(augmented=False)
    everything = language_set()
    language_report("written", written)
    language_report("written+augmented", everything)
    language_report("held-out", heldout_language_set())
    real = [LangItem(t, "fa", "shared") for t in shared_social_lines(600)]
    if real:
        language_report("shared Persian social corpora, 600 lines, all labelled fa", real)
    else:
        print("language id [shared]: ../shared/data/unlabelled not found, skipped")

    brand_report()
    sample_report()
    aspect_report()
    finglish_report()
    urgency_examples()
    keyphrase_example()

    texts = shared_social_lines(2000, seed=11) or [i.text for i in everything]
    normalize(texts[0])  # warm-up: hazm's Normalizer builds its word lists once
    throughput("normalize", normalize, texts)
    throughput("detect_language", detect_language, texts)
    matcher = BrandMatcher(eval_brands())
    throughput("brand match (5 brands)", matcher.match, texts)
    tagger = AspectTagger.from_settings()
    tagger.tag(texts[0])
    throughput("aspect tag", tagger.tag, texts)
    analyze_throughput(texts[:1000])


def analyze_throughput(texts: Sequence[str]) -> None:
    from config.settings import Settings
    from nlp.analyzer import Analyzer

    analyzer = Analyzer.from_settings(Settings(brands=eval_brands()))
    analyzer.analyze_texts(texts[:32])  # warm-up
    start, cpu = time.perf_counter(), time.process_time()
    for i in range(0, len(texts), 256):
        analyzer.analyze_texts(texts[i : i + 256])
    took, cpu_took = time.perf_counter() - start, time.process_time() - cpu
    model = getattr(analyzer.sentiment_model, "name", "?")
    print(
        f"throughput Analyzer.analyze (model {model}): {len(texts) / took:,.0f} mentions/s wall, "
        f"{len(texts) / max(cpu_took, 1e-9):,.0f} per CPU-second (all threads) ({len(texts)} texts)"
    )
    text_side = Analyzer(_NoModel(), brands=eval_brands())
    text_side.analyze_texts(texts[:32])
    start, cpu = time.perf_counter(), time.process_time()
    text_side.analyze_texts(texts)
    took, cpu_took = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"throughput Analyzer text side only (no model): {len(texts) / took:,.0f} mentions/s wall, "
        f"{len(texts) / max(cpu_took, 1e-9):,.0f} per CPU-second"
    )


class _NoModel:
    """Scores nothing: isolates the analyzer's own (text-side) cost."""

    name = "none"

    def predict(self, texts: Sequence[str]) -> list:
        from nlp.analyzer import EMPTY_SENTIMENT

        return [EMPTY_SENTIMENT] * len(texts)


if __name__ == "__main__":
    main()
