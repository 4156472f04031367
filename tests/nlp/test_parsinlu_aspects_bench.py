"""benchmarks.parsinlu_aspects: ParsiNLU's aspect labels mapped to touchpoints, a stable split, and a
clear error for a broken file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.parsinlu_aspects import HALVES, half, load


def test_aspects_map_to_touchpoints_and_the_rest_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "reviews.jsonl"
    records = [
        {"review": "طعمش خوب بود", "aspects": {"طعم": "1", "بسته بندی": "1"}},
        {"review": "ارزش خرید نداره", "aspects": {"ارزش خرید": "-2", "کیفیت": "-1"}},
        {"review": "معمولی", "aspects": {}},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n\n", encoding="utf-8")
    assert load(path) == [
        ("طعمش خوب بود", frozenset({"quality"})),
        ("ارزش خرید نداره", frozenset({"price", "quality"})),
        ("معمولی", frozenset()),
    ]


def test_a_broken_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "reviews.jsonl"
    path.write_text('{"review": "خوب", "aspects": {}}\n{"review": "بد"\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"reviews\.jsonl:2"):
        load(path)


def test_halves_are_fixed_by_the_text_and_both_used() -> None:
    texts = [f"نظر شماره {i}" for i in range(200)]
    assert [half(t) for t in texts] == [half(t) for t in texts]
    counts = {name: sum(half(t) == name for t in texts) for name in HALVES}
    assert all(60 <= n <= 140 for n in counts.values()), counts
