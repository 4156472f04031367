"""A small, hand-made archive whose answers are known: the shared fixture of tests/archive,
tests/api and tests/digest. Times sit on both sides of Tehran's midnight (20:30 UTC)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from domain.analysis import MentionAnalysis, SentimentResult
from domain.mention import RawMention
from nlp.normalize import normalize_for_search
from storage.models import Incident
from storage.repository import MentionStore

#: 1403-09-01 (Jalali) = 2024-11-21; Tehran midnight is 20:30 UTC the day before
DAY1 = datetime(2024, 11, 21, tzinfo=UTC)

_SCORES = {"negative": -0.8, "neutral": 0.0, "positive": 0.8}


def _m(
    ext: str,
    text: str,
    at: datetime,
    brands: list[str],
    sentiment: str,
    *,
    aspects: tuple[str, ...] = (),
    lang: str = "fa",
    source: str = "x",
    author: str = "user",
    followers: int | None = 100,
    urgency: float = 0.1,
) -> dict:
    return dict(
        ext=ext,
        text=text,
        at=at,
        brands=brands,
        sentiment=sentiment,
        aspects=list(aspects),
        lang=lang,
        source=source,
        author=author,
        followers=followers,
        urgency=urgency,
    )


def corpus() -> list[dict]:
    d = DAY1
    return [
        # 1403-09-01 local day: from 2024-11-20 20:30 UTC to 2024-11-21 20:30 UTC
        _m(
            "a1",
            "سفارشم از سبزینو سه ساعت دیر رسید، خیلی بد",
            d + timedelta(hours=5),
            ["sabzino"],
            "negative",
            aspects=("delivery",),
            author="mina",
            followers=1200,
            urgency=0.6,
        ),
        _m(
            "a2",
            "پشتیبانی سبزینو جواب نمیده!!! #سبزینو",
            d + timedelta(hours=6),
            ["sabzino"],
            "negative",
            aspects=("support",),
            author="reza",
            followers=50,
            urgency=0.7,
        ),
        _m(
            "a3",
            "سبزینو عالیه، میوه‌ها تازه بودن 😍",
            d + timedelta(hours=7),
            ["sabzino"],
            "positive",
            aspects=("quality",),
            author="sara",
            followers=30000,
            urgency=0.0,
        ),
        _m(
            "a4",
            "اپ نوبانک باز نمیشه، کارت به کارت انجام نشد",
            d + timedelta(hours=8),
            ["nobank"],
            "negative",
            aspects=("app", "payment"),
            source="instagram",
            author="ali",
            followers=None,
            urgency=0.8,
        ),
        _m(
            "a5",
            "تازه‌مارکت ارزون‌تر از سبزینو است",
            d + timedelta(hours=9),
            ["tazeh", "sabzino"],
            "neutral",
            aspects=("price",),
            source="web",
            author="news_site",
            followers=900000,
            urgency=0.0,
        ),
        _m(
            "a6",
            "sabzino delivery was late again",
            d + timedelta(hours=10),
            ["sabzino"],
            "negative",
            aspects=("delivery",),
            lang="en",
            author="John_Doe",
            followers=10,
            urgency=0.3,
        ),
        _m(
            "a7",
            "ارسال سبزینو سریع بود، ممنون",
            d - timedelta(minutes=20),
            ["sabzino"],
            "positive",
            aspects=("delivery",),
            author="mina",
            followers=1200,
            urgency=0.0,
        ),  # 03:10 local, 1403-09-01
        # just before Tehran midnight: 1403-08-30 local (2024-11-20 20:10 UTC = 23:40 local)
        _m(
            "b1",
            "سفارش سبزینو دیر رسید",
            d - timedelta(hours=3, minutes=50),
            ["sabzino"],
            "negative",
            aspects=("delivery",),
            author="reza",
            followers=50,
            urgency=0.4,
        ),
        # 1403-09-02 local
        _m(
            "c1",
            "سبزینو کلاهبرداری کرد، پولم برنگشت",
            d + timedelta(days=1, hours=2),
            ["sabzino"],
            "negative",
            aspects=("payment",),
            author="hamid",
            followers=5000,
            urgency=0.95,
        ),
        _m(
            "c2",
            "نوبانک بهترین بانک دیجیتاله",
            d + timedelta(days=1, hours=3),
            ["nobank"],
            "positive",
            author="sara",
            followers=30000,
            urgency=0.0,
        ),
        _m(
            "c3",
            "قيمت تازه‌مارکت بالا رفته",
            d + timedelta(days=1, hours=4),
            ["tazeh"],
            "negative",
            aspects=("price",),
            source="telegram",
            author="kanal",
            followers=20000,
            urgency=0.2,
        ),
        _m(
            "c4",
            "سبزینو-تازه‌مارکت کدوم بهتره؟ ۱۲۳ تومان",
            d + timedelta(days=1, hours=5),
            ["sabzino", "tazeh"],
            "neutral",
            author="poll",
            followers=700,
            urgency=0.0,
        ),
        _m(
            "c5",
            "<script>alert('x')</script> سبزینو \u202eمعکوس\u202c",
            d + timedelta(days=1, hours=6),
            ["sabzino"],
            "neutral",
            source="web",
            author="weird",
            followers=1,
            urgency=0.0,
        ),
        # a week later (1403-09-08)
        _m(
            "d1",
            "سبزینو این هفته بهتر شده",
            d + timedelta(days=7, hours=1),
            ["sabzino"],
            "positive",
            author="mina",
            followers=1200,
            urgency=0.0,
        ),
    ]


def save_corpus(store: MentionStore, rows: list[dict] | None = None) -> dict[str, int]:
    """Store the corpus; returns external id → mention id."""
    rows = rows if rows is not None else corpus()
    items = []
    for r in rows:
        raw = RawMention(
            source=r["source"],
            external_id=r["ext"],
            text=r["text"],
            created_at=r["at"],
            url=f"https://example.com/{r['ext']}",
            author_id=r["author"],
            author_handle=r["author"],
            author_name=r["author"].title(),
            author_followers=r["followers"],
        )
        score = _SCORES[r["sentiment"]]
        analysis = MentionAnalysis(
            normalized_text=normalize_for_search(r["text"]),
            lang=r["lang"],
            brands=r["brands"],
            sentiment=SentimentResult(r["sentiment"], score, {r["sentiment"]: 0.9}),
            aspects=r["aspects"],
            urgency=r["urgency"],
        )
        items.append((raw, analysis))
    result = store.save_batch(items, None)
    return {r["ext"]: mid for r, mid in zip(rows, result.inserted_ids, strict=True)}


def save_incidents(engine: Engine) -> list[int]:
    """Two sabzino incidents of 1403-09-01: one acknowledged and resolved by people, one open."""
    opened = DAY1 + timedelta(hours=6)
    with Session(engine) as session, session.begin():
        session.add_all(
            [
                Incident(
                    brand="sabzino",
                    touchpoint="delivery",
                    severity="high",
                    status="resolved",
                    opened_at=opened,
                    updated_at=opened,
                    acknowledged_at=opened + timedelta(minutes=12),
                    acknowledged_by="neda",
                    resolved_by="neda",
                    resolved_at=opened + timedelta(hours=2, minutes=5),
                    peak_count=9,
                ),
                Incident(
                    brand="sabzino",
                    touchpoint="support",
                    severity="critical",
                    status="open",
                    opened_at=opened + timedelta(hours=3),
                    updated_at=opened + timedelta(hours=3),
                    peak_count=4,
                    # support's series opened it; its alert names delivery first (as on make run's sample)
                    details={"touchpoints": ["delivery", "support"]},
                ),
            ]
        )
        session.flush()
        return [i.id for i in session.scalars(select(Incident).order_by(Incident.id))]
