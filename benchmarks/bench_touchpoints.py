"""Touchpoint tagging on the held-out labelled set (nlp/eval/touchpoints_heldout.tsv): per-touchpoint
precision and recall of the bundled lexicon (``AspectTagger`` with default settings).

The set (316 realistic mentions: food delivery, shops, banks, ride-hailing, telecom; colloquial,
Finglish and English, with handles and hashtags, 61 that name no touchpoint) was written apart
from the lexicon's development, so these figures are not tuned on.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks import parsinlu_aspects
from nlp.aspects import TOUCHPOINTS, AspectTagger

HELD_OUT = Path(__file__).resolve().parents[1] / "nlp" / "eval" / "touchpoints_heldout.tsv"


def load(path: Path = HELD_OUT) -> list[tuple[str, frozenset[str]]]:
    """(text, gold touchpoints) rows; ``-`` is none."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, text = line.split("\t", 1)
        gold = frozenset() if label.strip() == "-" else frozenset(label.strip().split(","))
        rows.append((text.strip(), gold))
    return rows


def scores(rows: list[tuple[str, frozenset[str]]], tagger: AspectTagger) -> dict[str, tuple[int, int, int]]:
    """Per touchpoint: (true positives, false positives, false negatives)."""
    counts = {tp: [0, 0, 0] for tp in TOUCHPOINTS}
    for text, gold in rows:
        got = set(tagger.tag(text))
        for tp in got | gold:
            c = counts.setdefault(tp, [0, 0, 0])
            c[0 if tp in got and tp in gold else 1 if tp in got else 2] += 1
    return {tp: (c[0], c[1], c[2]) for tp, c in counts.items()}


def precision_recall(hits: int, wrong: int, missed: int) -> tuple[float, float]:
    """NaN where nothing was tagged (precision) or nothing is labelled (recall)."""
    precision = hits / (hits + wrong) if hits + wrong else float("nan")
    recall = hits / (hits + missed) if hits + missed else float("nan")
    return precision, recall


def micro(per: dict[str, tuple[int, int, int]]) -> tuple[int, int, int]:
    """Counts summed over touchpoints, for micro-averaged precision and recall."""
    hits, wrong, missed = (sum(c[i] for c in per.values()) for i in range(3))
    return hits, wrong, missed


def main() -> None:
    rows = load()
    tagger = AspectTagger.from_settings()
    per = scores(rows, tagger)
    none = sum(not gold for _, gold in rows)
    print(f"touchpoint tagging, held-out set: {len(rows)} mentions ({none} with no touchpoint)")
    print("  touchpoint  labelled  precision  recall")
    for tp, (t, f, n) in per.items():
        precision, recall = precision_recall(t, f, n)
        print(f"  {tp:<10} {t + n:9d}  {precision:9.3f}  {recall:6.3f}")
    t, f, n = micro(per)
    precision, recall = precision_recall(t, f, n)
    print(f"  micro      {t + n:9d}  {precision:9.3f}  {recall:6.3f}")
    late_or_cold_report(tagger)
    parsinlu_report(tagger)


def late_or_cold_report(tagger: AspectTagger) -> None:
    """How many of the replayed scenarios' burst reviews (real SnappFood reviews about late or cold
    food, from the sentiment dev split) the lexicon calls delivery: the burst's touchpoint is only as
    right as this share. Not held out: the lexicon's late/cold terms were added from these reviews
    (issue 10, round 26), and the pool's word rule overlaps them."""
    from benchmarks.delivery_scenarios import review_pool

    try:
        pool = review_pool().late_or_cold
    except FileNotFoundError as exc:  # ../shared is absent: nothing to read
        print(f"late-or-cold SnappFood reviews: skipped ({exc})")
        return
    tagged = sum("delivery" in tagger.tag(text) for text in pool)
    print(f"late-or-cold SnappFood dev reviews tagged delivery: {tagged} of {len(pool)} (in-sample)")


def parsinlu_report(tagger: AspectTagger) -> None:
    """The same scores against ParsiNLU's own aspect labels, per half (``benchmarks.parsinlu_aspects``)."""
    try:
        rows = parsinlu_aspects.load()
    except FileNotFoundError as exc:  # ../shared is absent: nothing to read
        print(f"ParsiNLU food-review aspects: skipped ({exc})")
        return
    print(
        f"touchpoint tagging, ParsiNLU food reviews' aspect labels ({len(rows)} reviews, halved by text hash)"
    )
    print("  half         touchpoint  labelled  precision  recall")
    halves: dict[str, list[tuple[str, frozenset[str]]]] = {name: [] for name in parsinlu_aspects.HALVES}
    for text, gold in rows:
        halves[parsinlu_aspects.half(text)].append((text, gold))
    for name, part in halves.items():
        per = scores(part, tagger)
        note = " (in-sample)" if name == "development" else ""
        for tp in parsinlu_aspects.SCORED:
            t, f, n = per[tp]
            precision, recall = precision_recall(t, f, n)
            print(f"  {name:<12} {tp:<10} {t + n:9d}  {precision:9.3f}  {recall:6.3f}{note}")


if __name__ == "__main__":
    main()
