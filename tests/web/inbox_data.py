"""An inbox with known contents: a critical incident with its explanation, an urgent mention whose
text is hostile (script tag, bidi override, a megabyte), and a plain urgent mention."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from storage.models import Incident, UrgentAlert
from storage.repository import MentionStore
from tests.archive.corpus import _m, save_corpus

NOW = datetime.now(UTC).replace(microsecond=0)
HOSTILE = (
    "<script>document.title='pwned'</script><img src=x onerror=alert(1)> سبزینو \u202eارسال\u202c "
    "@sabzino_support https://sabzino.ir/o?a=1&b=2 " + "ب" * 1_000_000
)


def mention_rows() -> list[dict]:
    start = NOW - timedelta(hours=3)
    rows = [
        _m(
            f"n{i}",
            f"سبزینو سفارشم دیر رسید {i}",
            start + timedelta(minutes=5 * i),
            ["sabzino"],
            "negative",
            aspects=("delivery",),
            author=f"user{i}",
        )
        for i in range(30)
    ]
    rows.append(
        _m(
            "hostile",
            HOSTILE,
            NOW - timedelta(minutes=20),
            ["sabzino"],
            "negative",
            source="instagram",
            author="attacker",
            urgency=0.95,
        )
    )
    rows.append(
        _m(
            "q1",
            "نوبانک کارتم مسدود شده چرا جواب نمی‌دید؟",
            NOW - timedelta(minutes=50),
            ["nobank"],
            "negative",
            aspects=("support",),
            author="reza",
            urgency=0.9,
        )
    )
    return rows


def fill_inbox(engine: Engine, store: MentionStore) -> dict[str, int]:
    """Returns names → ids: ``incident``, ``hostile`` and ``question`` (urgent alert ids)."""
    ids = save_corpus(store, mention_rows())
    explanation = {
        "count": 30,
        "expected": 4.5,
        "ratio": 6.67,
        "terms": [{"term": "دیر", "z": 4.2}, {"term": "<b>bold</b>", "z": 2.0}],
        "touchpoints": [{"touchpoint": "delivery", "now": 30, "now_share": 1.0, "baseline_share": 0.2}],
        "negative_share": {"now": 0.8, "usual": 0.3},
        "mentions": [
            {
                "id": ids["n1"],
                "source": "x",
                "text": "سبزینو سفارشم دیر رسید 1",
                "url": "https://example.com/n1",
                "author": "user1",
                "followers": 100,
                "created_at": (NOW - timedelta(hours=2)).isoformat(),
                "aspects": ["delivery"],
            },
            {
                "id": ids["n2"],
                "source": "x",
                "text": "javascript link",
                "url": "javascript:alert(1)",
                "author": "user2",
                "followers": 5,
                "created_at": (NOW - timedelta(hours=2)).isoformat(),
                "aspects": [],
            },
        ],
    }
    with Session(engine) as session, session.begin():
        incident = Incident(
            brand="sabzino",
            touchpoint="delivery",
            severity="critical",
            status="open",
            opened_at=NOW - timedelta(hours=2),
            updated_at=NOW - timedelta(hours=1),
            peak_count=12,
            current_count=10,
            baseline=4.5,
            details={
                "touchpoints": ["delivery"],
                "explanation": explanation,
                "created_wall": (NOW - timedelta(hours=2)).isoformat(),
                "peak_at": (NOW - timedelta(hours=1)).isoformat(),
            },
        )
        hostile = UrgentAlert(
            mention_id=ids["hostile"],
            brand="sabzino",
            conversation_key="instagram:hostile",
            status="open",
            urgency=0.95,
            details={"reasons": ["urgency"], "created_wall": (NOW - timedelta(minutes=20)).isoformat()},
            created_at=NOW - timedelta(minutes=20),
            updated_at=NOW - timedelta(minutes=20),
        )
        question = UrgentAlert(
            mention_id=ids["q1"],
            brand="nobank",
            conversation_key="x:q1",
            status="open",
            urgency=0.9,
            details={
                "reasons": ["urgency", "crisis_words"],
                "created_wall": (NOW - timedelta(minutes=50)).isoformat(),
            },
            created_at=NOW - timedelta(minutes=50),
            updated_at=NOW - timedelta(minutes=50),
        )
        session.add_all([incident, hostile, question])
        session.flush()
        return {"incident": incident.id, "hostile": hostile.id, "question": question.id}


def add_incident(engine: Engine, brand: str = "nobank", severity: str = "high") -> int:
    """A new open incident, as ``shenava run`` would write it (for live-update tests)."""
    now = datetime.now(UTC)
    with Session(engine) as session, session.begin():
        row = Incident(
            brand=brand,
            touchpoint="app",
            severity=severity,
            status="open",
            opened_at=now,
            updated_at=now,
            peak_count=7,
            current_count=7,
            baseline=1.0,
            details={
                "touchpoints": ["app"],
                "created_wall": now.isoformat(),
                "explanation": {
                    "count": 7,
                    "expected": 1.0,
                    "ratio": 7.0,
                    "terms": [],
                    "touchpoints": [],
                    "mentions": [],
                },
            },
        )
        session.add(row)
        session.flush()
        return row.id
