"""Late or cold-on-arrival food is delivery, not quality (issue 10), and the held-out touchpoint set
is well formed."""

from __future__ import annotations

import pytest

from benchmarks.bench_touchpoints import load
from nlp.aspects import TOUCHPOINTS, AspectTagger


@pytest.fixture(scope="module")
def tagger() -> AspectTagger:
    return AspectTagger.from_settings()


@pytest.mark.parametrize(
    "text",
    [
        "غذا دیر رسید",
        "غذا سرد شده بود",
        "غذا یخ زده رسید",
        "پیتزا کاملا سرد بود",
        "پیک یه ساعت دیر کرد",
        "سوپم ولرم رسید",
        "my order arrived cold",
    ],
)
def test_cold_or_late_food_is_delivery(tagger: AspectTagger, text: str) -> None:
    tags = tagger.tag(text)
    assert "delivery" in tags and "quality" not in tags, tags


def test_bad_food_is_still_quality(tagger: AspectTagger) -> None:
    assert tagger.tag("برنج شفته بود و مرغ بو می‌داد") == ["quality"]


def test_held_out_set_is_well_formed() -> None:
    rows = load()
    assert len(rows) >= 300
    assert len({text for text, _ in rows}) == len(rows), "no duplicate mentions"
    assert all(gold <= set(TOUCHPOINTS) for _, gold in rows)
    assert all(any(tp in gold for _, gold in rows) for tp in TOUCHPOINTS)
