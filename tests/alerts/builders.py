"""Stored mention series for alert tests: a quiet background and a burst of complaints."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from alerts.settings import UrgencySettings
from domain.analysis import MentionAnalysis, SentimentResult
from domain.mention import RawMention
from nlp.urgency import alert_terms, find_alert_terms
from storage.models import Incident
from storage.repository import MentionStore

T0 = datetime(2026, 3, 1, 0, 0, tzinfo=UTC)
BACKGROUND = ["قیمت‌ها کمی بالاست", "اپ کند شده", "کیفیت میوه خوب نبود", "پشتیبانی دیر جواب داد"]
BURST = "سفارشم از سبزینو سه ساعته نرسیده پیک کجاست"
_PROBS = {
    "negative": {"negative": 0.85, "neutral": 0.1, "positive": 0.05},
    "neutral": {"negative": 0.1, "neutral": 0.8, "positive": 0.1},
    "positive": {"negative": 0.05, "neutral": 0.1, "positive": 0.85},
}
#: the default alert crisis words, as the analyzer looks for them
_CRISIS = alert_terms(UrgencySettings().crisis_words)


def mention(
    n: int,
    at: datetime,
    text: str,
    *,
    brand: str = "sabzino",
    label: str = "negative",
    aspects: tuple[str, ...] = (),
    urgency: float = 0.1,
    followers: int = 120,
    handle: str | None = None,
    conversation: str | None = None,
    source: str = "x",
) -> tuple[RawMention, MentionAnalysis]:
    raw = RawMention(
        source=source,
        external_id=f"m{n}",
        text=text,
        created_at=at,
        url=f"https://x.com/u{n}/status/{n}",
        author_id=f"u{n}",
        author_handle=handle or f"user{n}",
        author_name=f"کاربر {n}",
        author_followers=followers,
        conversation_id=conversation,
        metrics={"like_count": n % 7},
    )
    probs = _PROBS[label]
    crisis_terms = find_alert_terms(text, _CRISIS)  # what the analyzer records for alerts
    analysis = MentionAnalysis(
        normalized_text=text,
        lang="fa",
        brands=[brand],
        sentiment=SentimentResult(label=label, score=probs["positive"] - probs["negative"], probs=probs),  # type: ignore[arg-type]
        aspects=list(aspects),
        urgency=urgency,
        signals={"crisis_terms": crisis_terms} if crisis_terms else {},
    )
    return raw, analysis


def seed_background(
    store: MentionStore,
    *,
    days: float = 2.0,
    start: datetime = T0,
    seed: int = 7,
    first_id: int = 0,
    brand: str = "sabzino",
) -> int:
    """About one negative mention per 5 minutes and one other per 10; returns the next free id."""
    rng = random.Random(seed)
    items: list[Any] = []
    n = first_id
    for bucket in range(int(days * 288)):
        at = start + timedelta(minutes=5 * bucket)
        for k in range(rng.choice([0, 1, 1, 2])):
            items.append(
                mention(
                    n,
                    at + timedelta(seconds=20 + 40 * k),
                    BACKGROUND[n % 4],
                    brand=brand,
                    aspects=(("price", "app", "quality", "support")[n % 4],),
                )
            )
            n += 1
        if bucket % 2 == 0:
            label = rng.choice(["neutral", "positive"])
            items.append(mention(n, at + timedelta(seconds=100), "سبزینو خوبه", brand=brand, label=label))
            n += 1
    store.save_batch(items, None)
    return n


def seed_burst(
    store: MentionStore,
    start: datetime,
    *,
    buckets: int = 6,
    per_bucket: int = 30,
    first_id: int = 100_000,
    brand: str = "sabzino",
    text: str = BURST,
    handle: str | None = None,
) -> int:
    """``per_bucket`` negative delivery mentions in each of ``buckets`` 5-minute buckets, each by its
    own author unless ``handle`` posts them all."""
    items = []
    n = first_id
    for bucket in range(buckets):
        for k in range(per_bucket):
            at = start + timedelta(minutes=5 * bucket, seconds=5 + k * 290 / per_bucket)
            items.append(
                mention(n, at, f"{text} {k}", brand=brand, aspects=("delivery", "support"), handle=handle)
            )
            n += 1
    store.save_batch(items, None)
    return n


def stored_incident(
    session: Session, *, raised: datetime, brand: str = "sabzino", status: str = "open"
) -> Incident:
    """An incident row as the engine leaves it, raised (seen by support) at ``raised``."""
    incident = Incident(
        brand=brand,
        kind="spike",
        status=status,
        severity="high",
        opened_at=raised,
        updated_at=raised,
        details={"created_wall": raised.isoformat()},
    )
    session.add(incident)
    session.flush()
    return incident
