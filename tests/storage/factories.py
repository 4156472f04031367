"""Builders of analysed mentions for storage tests (other suites may import them too)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from domain.analysis import MentionAnalysis, SentimentResult
from domain.mention import RawMention

T0 = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)


def raw_mention(n: int = 0, **overrides: Any) -> RawMention:
    values: dict[str, Any] = {
        "source": "x",
        "external_id": f"tweet-{n}",
        "text": f"سفارشم از سبزینو {n} ساعته نرسیده!",
        "created_at": T0 + timedelta(minutes=n),
        "url": f"https://x.com/user{n}/status/{n}",
        "author_id": f"u{n}",
        "author_handle": f"user{n}",
        "author_name": f"کاربر {n}",
        "author_followers": 100 + n,
        "conversation_id": f"conv-{n}",
        "metrics": {"like_count": n, "reply_count": 1, "retweet_count": 2},
        "raw": {"id": f"tweet-{n}", "lang": "fa"},
    }
    values.update(overrides)
    return RawMention(**values)


def analysis(text: str = "سفارشم از سبزینو ساعته نرسیده", **overrides: Any) -> MentionAnalysis:
    values: dict[str, Any] = {
        "normalized_text": text,
        "lang": "fa",
        "brands": ["sabzino"],
        "sentiment": SentimentResult(
            label="negative", score=-0.8, probs={"negative": 0.85, "neutral": 0.1, "positive": 0.05}
        ),
        "aspects": ["delivery"],
        "urgency": 0.7,
        "signals": {"emojis": [], "stretched": False},
    }
    values.update(overrides)
    return MentionAnalysis(**values)


def item(n: int = 0, **raw_overrides: Any) -> tuple[RawMention, MentionAnalysis]:
    raw = raw_mention(n, **raw_overrides)
    return raw, analysis(raw.text)
