"""How well the Finglish transliterator (``nlp/finglish.py``) spells Persian, on a hand-written set.

``finglish_parallel.jsonl``: Finglish sentences with the Persian-script sentence a Persian writer would
type (colloquial spelling), written by hand and never used to tune the rules. Batch 1 (158 pairs) was
written before the transliterator's first rules; its aggregate figures were printed after each change
and five of its misses were shown once by the bench. Batch 2 (60 mention-style pairs) was written
after the first version, before the last round of changes, and no output on it was looked at before
it was reported. Figures:

* **word accuracy**: 1 − (word-level edit distance / reference words), after both sides are normalised
  (Arabic ي/ك → ی/ک, ZWNJ and diacritics removed, punctuation, emoji and digits dropped), so «می‌شه» and
  «میشه» count as one spelling;
* **exact match**: the share of sentences whose normalised words are all equal;
* **speed**: words per second through a fresh transliterator (empty word cache) and again (cached).

    .venv/bin/python -c "from nlp.eval.transliteration import print_report; print_report()"
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from importlib import resources

from nlp.finglish import Transliterator

_NON_WORD = re.compile(r"[^\w\s]|[\d_]")
_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")


@dataclass(frozen=True)
class ParallelPair:
    id: str
    finglish: str
    persian: str
    batch: int


@dataclass(frozen=True)
class TransliterationReport:
    sentences: int
    words: int
    word_accuracy: float
    exact_match: float
    words_per_second_cold: float
    words_per_second_cached: float
    misses: tuple[tuple[str, str, str], ...]  # (finglish, output, reference), first few


def parallel_set() -> list[ParallelPair]:
    raw = resources.files("nlp.eval").joinpath("finglish_parallel.jsonl").read_text(encoding="utf-8")
    return [ParallelPair(**json.loads(line)) for line in raw.splitlines() if line.strip()]


def words(text: str) -> list[str]:
    """Normalised words for comparison (see the module docstring)."""
    text = _MARKS.sub("", text.replace("ي", "ی").replace("ك", "ک").replace("\u200c", ""))
    return _NON_WORD.sub(" ", text).lower().split()


def edit_distance(a: list[str], b: list[str]) -> int:
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (x != y))
    return row[-1]


def evaluate(
    transliterator: Transliterator, pairs: list[ParallelPair] | None = None
) -> TransliterationReport:
    pairs = parallel_set() if pairs is None else pairs
    fresh = Transliterator(transliterator.counts, transliterator.surface, transliterator.prefixes)
    start = time.perf_counter()
    outputs = [fresh.transliterate(p.finglish) for p in pairs]
    cold = time.perf_counter() - start
    start = time.perf_counter()
    for p in pairs:
        fresh.transliterate(p.finglish)
    warm = time.perf_counter() - start
    n_words = errors = exact = 0
    misses = []
    for pair, out in zip(pairs, outputs, strict=True):
        got, ref = words(out), words(pair.persian)
        n_words += len(ref)
        errors += min(len(ref), edit_distance(got, ref))
        exact += got == ref
        if got != ref:
            misses.append((pair.finglish, out, pair.persian))
    latin_words = sum(len(p.finglish.split()) for p in pairs)
    return TransliterationReport(
        sentences=len(pairs),
        words=n_words,
        word_accuracy=1 - errors / max(1, n_words),
        exact_match=exact / max(1, len(pairs)),
        words_per_second_cold=latin_words / max(cold, 1e-9),
        words_per_second_cached=latin_words / max(warm, 1e-9),
        misses=tuple(misses[:8]),
    )


def print_report(transliterator: Transliterator | None = None, show_misses: int = 0) -> TransliterationReport:
    """Print the figures per batch and overall (``benchmarks/bench_nlp.py`` calls this); return the
    overall ones. Misses are not shown unless asked: a set that is read stops being held out."""
    transliterator = transliterator or Transliterator.load()
    pairs = parallel_set()
    report = evaluate(transliterator, pairs)
    for name, subset in [(f"batch {b}", [p for p in pairs if p.batch == b]) for b in (1, 2)] + [
        ("all", pairs)
    ]:
        part = report if name == "all" else evaluate(transliterator, subset)
        print(
            f"Finglish → Persian transliteration [{name}: {part.sentences} hand-written sentence pairs, "
            f"{part.words} words]: word accuracy {part.word_accuracy:.3f}, "
            f"sentence exact match {part.exact_match:.3f}"
        )
    print(
        f"    speed: {report.words_per_second_cold:,.0f} words/s uncached, "
        f"{report.words_per_second_cached:,.0f} words/s cached"
    )
    for finglish, out, ref in report.misses[:show_misses]:
        print(f"    miss: {finglish} → {out} (reference {ref})")
    return report
