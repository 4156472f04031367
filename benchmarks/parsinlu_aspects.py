"""Touchpoint tagging against someone else's labels: ParsiNLU's food reviews (Digikala grocery comments,
``../shared/data/sentiment/parsinlu_sentiment/food_reviews_without_test.jsonl``, never the test split),
whose annotators marked the aspects each review talks about.

Two of their aspects are ours: taste and quality (طعم، کیفیت) are the quality touchpoint, value for
money (ارزش خرید) is price. Their delivery aspect (ارسال) is marked on only 58 of 1,725 reviews, while 163
speak of packaging (135) or of the order reaching them («به دستم رسید»), so delivery is not scored here.

The reviews are split in two by a hash of their text. Round 27 (issue 10) read the development half's
misses to add terms; the reporting half was scored once, after the terms were chosen. `make bench` prints
both (``benchmarks.bench_touchpoints``).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from nlp.sentiment.training.data import DATA_DIR

REVIEWS = DATA_DIR / "parsinlu_sentiment" / "food_reviews_without_test.jsonl"
OURS = {"طعم": "quality", "کیفیت": "quality", "ارزش خرید": "price"}
SCORED = ("quality", "price")
HALVES = ("development", "reporting")


def half(text: str) -> str:
    """The half a review belongs to, fixed by its text (stable across runs and machines)."""
    return HALVES[int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16) % 2]


def load(path: Path = REVIEWS) -> list[tuple[str, frozenset[str]]]:
    """(review, our touchpoints among its annotated aspects) for every review."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            text, aspects = str(record["review"]), record["aspects"]
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: not a ParsiNLU review record ({exc})") from exc
        rows.append((text, frozenset(OURS[a] for a in aspects if a in OURS)))
    return rows
