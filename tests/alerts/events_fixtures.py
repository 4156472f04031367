"""Events with hostile mention text, as the engine would store them in the outbox."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from alerts.events import IncidentOpened, UrgentMention

HOSTILE = "<script>alert(1)</script> & <b>bold</b> \u202eesrever\u202c zero\u200bwidth " + "خیلی " * 400
AT = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)


def incident_event(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "brand": "sabzino",
        "severity": "high",
        "at": AT,
        "incident_id": 7,
        "touchpoints": ["delivery"],
        "count": 32,
        "expected": 0.8,
        "peak_count": 32,
        "explanation": {
            "count": 34,
            "expected": 2.3,
            "ratio": 14.8,
            "terms": [{"term": "نرسیده", "z": 4.2}, {"term": "<i>پیک</i>", "z": 3.1}],
            "touchpoints": [{"touchpoint": "delivery", "now": 30, "now_share": 0.88, "baseline_share": 0.02}],
            "negative_share": {"now": 0.85, "usual": 0.31},
            "mentions": [
                {
                    "id": 1,
                    "text": HOSTILE,
                    "url": "https://x.com/u1/status/1",
                    "author": "ali_<b>",
                    "followers": 10,
                },
                {
                    "id": 2,
                    "text": "سفارشم از سبزینو سه ساعته نرسیده",
                    "url": "javascript:alert(1)",
                    "author": "sara",
                    "followers": 90_000,
                },
                {
                    "id": 3,
                    "text": "پیک کجاست؟ @sabzino_support",
                    "url": "https://x.com/u3/status/3",
                    "author": "reza",
                    "followers": 12,
                },
            ],
        },
    }
    values.update(overrides)
    return IncidentOpened(**values).to_json()


def urgent_event(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "brand": "sabzino",
        "severity": "high",
        "at": AT,
        "urgent_id": 3,
        "mention_id": 9,
        "reasons": ["large_account"],
        "text": HOSTILE,
        "url": "https://x.com/big/status/9",
        "author": "big",
        "followers": 250_000,
        "source": "x",
        "urgency": 0.9,
    }
    values.update(overrides)
    return UrgentMention(**values).to_json()
