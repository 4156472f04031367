"""A replayed burst names the touchpoint whose excess over its own usual count explains it, and
never lists a brand's (or a competitor's) names among the rising terms."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from alerts.attribution import named_touchpoints, rank_touchpoints
from alerts.brand_terms import brand_words, names_a_brand
from alerts.engine import AlertEngine
from alerts.events import INCIDENT_OPENED, AlertEvent
from config.settings import Settings
from storage.models import Incident
from storage.repository import MentionStore
from tests.alerts.builders import T0, mention

BURST_START = T0 + timedelta(days=3, hours=16)  # 19:30 in Tehran: dinner
QUALITY = ["کیفیت غذا خوب نبود", "پیتزا کیفیتش افتضاح بود", "مزه غذا بد بود"]
COLD_AND_LATE = [
    "غذا سرد و دیر رسید @sabzino",
    "سبزینو سفارشم یک ساعت دیر رسید",
    "پیک خیلی دیر آورد غذا یخ کرده بود #سبزینو",
    "غذا سرد رسید سبزینو دیگه سفارش نمیدم تازه‌مارکت بهتره",
]


def _scenario(store: MentionStore) -> None:
    """Four days: «quality» complaints are the usual ones (about 6 per 15 minutes), delivery
    complaints rare; then two hours of late and cold food (about 15 more per 15 minutes), a third
    of it also tagged quality (cold food)."""
    rng = random.Random(11)
    items: list[Any] = []
    n = 0
    for bucket in range(4 * 288 + 72):
        at = T0 + timedelta(minutes=5 * bucket)
        for k in range(rng.choice([1, 2, 2, 3])):
            items.append(
                mention(n, at + timedelta(seconds=10 + 50 * k), QUALITY[n % 3], aspects=("quality",))
            )
            n += 1
        if rng.random() < 0.08:
            items.append(mention(n, at + timedelta(seconds=200), "پیک دیر کرد", aspects=("delivery",)))
            n += 1
        items.append(mention(n, at + timedelta(seconds=120), "سبزینو خوبه", label="positive"))
        n += 1
        if BURST_START <= at < BURST_START + timedelta(hours=2):
            for k in range(5):
                cold = k % 3 == 0
                aspects = ("delivery", "quality") if cold else ("delivery",)
                text = COLD_AND_LATE[(n + k) % 4]
                items.append(mention(n, at + timedelta(seconds=30 + 50 * k), text, aspects=aspects))
                n += 1
    for start in range(0, len(items), 2000):
        store.save_batch(items[start : start + 2000], None)


def test_delivery_burst_names_delivery_first_and_no_brand_terms(
    sqlite_engine: Engine, settings: Settings
) -> None:
    _scenario(MentionStore(sqlite_engine))
    events: list[AlertEvent] = []
    watermark = BURST_START - timedelta(hours=1)
    while watermark < BURST_START + timedelta(hours=6):  # replayed: one pass per 15 minutes
        watermark += timedelta(minutes=15)
        events += AlertEngine(settings, sqlite_engine).detect(watermark)
    opened = [e for e in events if e.kind == INCIDENT_OPENED]
    assert len(opened) == 1
    event = opened[0]
    assert event.touchpoints[0] == "delivery"  # type: ignore[attr-defined]
    ranked = event.explanation["touchpoints"]  # type: ignore[attr-defined]
    first, quality = ranked[0], next(t for t in ranked if t["touchpoint"] == "quality")
    assert first["touchpoint"] == "delivery"
    # quality is the more frequent complaint even now; its excess over its own usual count is not
    assert quality["observed"] > first["observed"] - 5 and quality["excess"] < first["excess"]
    assert first["observed"] > 3 * first["expected"] and first["excess"] >= 5
    assert event.explanation["named_touchpoints"][0] == "delivery"  # type: ignore[attr-defined]
    words = brand_words(settings.brands)
    terms = [t["term"] for t in event.explanation["terms"]]  # type: ignore[attr-defined]
    assert terms and not [t for t in terms if names_a_brand(t, words)]
    assert not {"سبزینو", "sabzino", "تازه‌مارکت"} & {w for t in terms for w in t.split()}
    with Session(sqlite_engine) as session:
        incident = session.scalars(select(Incident)).one()
        assert incident.touchpoint == "delivery" and incident.details["touchpoints"][0] == "delivery"


def test_ranking_is_by_excess_not_by_count_or_share() -> None:
    ranked = rank_touchpoints(
        {"quality": 14, "delivery": 12, "price": 2},
        {"quality": 8.0, "delivery": 0.3, "price": 1.5},
        total_now=20,
    )
    assert [t["touchpoint"] for t in ranked] == ["delivery", "quality", "price"]
    assert named_touchpoints(ranked) == ["delivery", "quality"]
    alone = rank_touchpoints({"app": 9, "quality": 4}, {"app": 0.2, "quality": 4.1}, total_now=12)
    assert named_touchpoints(alone) == ["app"]


def test_brand_words_cover_names_aliases_handles_and_hashtags(settings: Settings) -> None:
    from domain.brands import BrandSettings

    words = brand_words(
        [
            *settings.brands,
            BrandSettings(
                name="digikala", aliases_fa=["دیجی کالا"], aliases_latin=["Digi Kala"], hashtags=["دیجی_کالا"]
            ),
        ]
    )
    for term in ("sabzino", "sabzino_support", "سبزینو", "تازه‌مارکت", "دیجی کالا", "دیجیکالا", "digikala"):
        assert names_a_brand(term, words), term
    for term in ("دیر رسید", "غذا سرد", "پیک"):
        assert not names_a_brand(term, words), term
