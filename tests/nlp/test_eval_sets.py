"""The labelled evaluation sets are well-formed, and the detectors keep their measured quality."""

from __future__ import annotations

from collections import Counter

import pytest

from nlp.aspects import AspectTagger
from nlp.brands import BrandMatcher
from nlp.eval.datasets import aspect_set, brand_set, eval_brands, heldout_language_set, language_set
from nlp.language import LANGS, detect_language


def test_language_set_is_several_hundred_labelled_items() -> None:
    items = language_set()
    counts = Counter(i.lang for i in items)
    assert len(items) >= 500
    assert set(counts) == set(LANGS) and min(counts.values()) >= 50
    assert Counter(i.origin for i in items) == {"written": len(items) // 2, "augmented": len(items) // 2}
    assert language_set() == items  # deterministic


@pytest.mark.parametrize(
    ("name", "items", "floor"),
    [("written+augmented", language_set(), 0.95), ("held-out", heldout_language_set(), 0.90)],
)
def test_language_accuracy_floor(name: str, items: list, floor: float) -> None:
    correct = sum(detect_language(i.text) == i.lang for i in items)
    assert correct / len(items) >= floor, name


def test_brand_set_has_positives_and_hard_negatives() -> None:
    items = brand_set()
    names = {b.name for b in eval_brands()}
    assert len(items) >= 200
    assert sum(not i.brands for i in items) >= 60
    assert all(set(i.brands) <= names for i in items)
    assert {n for i in items for n in i.brands} == names


def test_brand_precision_and_recall_floor() -> None:
    matcher = BrandMatcher(eval_brands())
    tp = fp = fn = 0
    for item in brand_set():
        got, gold = set(matcher.match(item.text)), set(item.brands)
        tp, fp, fn = tp + len(got & gold), fp + len(got - gold), fn + len(gold - got)
    assert tp / (tp + fp) >= 0.97
    assert tp / (tp + fn) >= 0.95


def test_aspect_precision_and_recall_floor() -> None:
    tagger = AspectTagger.from_settings()
    tp = fp = fn = 0
    items = aspect_set()
    assert len(items) >= 80 and sum(not i.aspects for i in items) >= 15
    for item in items:
        got, gold = set(tagger.tag(item.text)), set(item.aspects)
        tp, fp, fn = tp + len(got & gold), fp + len(got - gold), fn + len(gold - got)
    assert tp / (tp + fp) >= 0.9
    assert tp / (tp + fn) >= 0.9
