"""Urgent single mentions: why, once per conversation, and unanswered questions."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from alerts.engine import AlertEngine
from alerts.events import URGENT_MENTION, UrgentMention
from config.settings import Settings
from storage.models import Delivery, Incident, UrgentAlert
from storage.repository import MentionStore
from tests.alerts.builders import T0, mention, stored_incident
from tests.alerts.conftest import make_settings


def _store(store: MentionStore, *items: tuple) -> list[int]:  # type: ignore[type-arg]
    return store.save_batch(list(items), None).inserted_ids


def test_large_account_alerts_once_per_conversation(
    store: MentionStore, engine: Engine, settings: Settings
) -> None:
    alerts = AlertEngine(settings, engine)
    first = _store(
        store,
        mention(
            1, T0, "سبزینو سفارشم رو گم کرد", followers=250_000, conversation="c1", aspects=("delivery",)
        ),
    )
    (event,) = alerts.on_stored(first)
    assert isinstance(event, UrgentMention) and event.reasons == ["large_account"]
    assert event.followers == 250_000 and event.url and event.author == "user1"
    reply = _store(
        store,
        mention(
            2,
            T0 + timedelta(minutes=3),
            "هنوز هیچ خبری نیست",
            followers=250_000,
            conversation="c1",
            aspects=("delivery",),
        ),
    )
    assert alerts.on_stored(reply) == []
    with Session(engine) as session:
        (row,) = session.scalars(select(UrgentAlert)).all()
        assert row.mention_count == 2 and row.conversation_key == "x:c1" and row.status == "open"
        assert [d.dedup_key for d in session.scalars(select(Delivery))] == [f"urgent:{row.id}->file"]


def test_crisis_words_urgency_and_ordinary_complaints(sqlite_engine: Engine, settings: Settings) -> None:
    store = MentionStore(sqlite_engine)
    ids = _store(
        store,
        mention(1, T0, "این کلاهبرداری سبزینو رو ببینید", label="neutral"),
        mention(2, T0, "اپ سبزینو کنده", urgency=0.95),
        mention(3, T0, "سفارشم دیر رسید"),
        mention(4, T0, "کلاهبرداری تازه‌مارکت", brand="tazeh"),  # a competitor: not our support's
        mention(5, T0, "سفارش شما در راه است؛ کلاهبرداری‌ها را گزارش کنید", handle="sabzino_support"),
        # a big outlet's news, misread as negative: no touchpoint, no tag, so no "complaint"
        mention(6, T0, "سبزینو از جذب سرمایه جدید خبر داد https://news.example/1", followers=400_000),
    )
    events = AlertEngine(settings, sqlite_engine).on_stored(ids)
    assert sorted((e.mention_id, tuple(e.reasons)) for e in events) == [  # type: ignore[attr-defined]
        (ids[0], ("crisis_words",)),
        (ids[1], ("urgency",)),
    ]


def test_unanswered_question_alerts_after_the_limit(sqlite_engine: Engine, tmp_path: Path) -> None:
    settings = make_settings(tmp_path, alerts={"urgent": {"unanswered_question_minutes": 30}})
    store = MentionStore(sqlite_engine)
    _store(
        store,
        mention(1, T0, "@sabzino_support سفارش ۱۲۳ کجاست؟", label="neutral", conversation="q1"),
        mention(
            2,
            T0 + timedelta(minutes=1),
            "@sabzino_support پول برگشت داده میشه؟",
            label="neutral",
            conversation="q2",
        ),
        mention(
            3,
            T0 + timedelta(minutes=9),
            "@user2 بله تا ۷۲ ساعت برگشت داده می‌شود",
            label="neutral",
            handle="sabzino_support",
            conversation="q2",
        ),
        mention(
            4, T0 + timedelta(minutes=2), "سبزینو عالیه؟", label="neutral", conversation="q3"
        ),  # not to the brand
    )
    alerts = AlertEngine(settings, sqlite_engine)
    assert [e for e in alerts.detect(T0 + timedelta(minutes=20)) if e.kind == URGENT_MENTION] == []
    events = [e for e in alerts.detect(T0 + timedelta(minutes=45)) if e.kind == URGENT_MENTION]
    assert [(e.reasons, e.text) for e in events] == [
        (["unanswered_question"], "@sabzino_support سفارش ۱۲۳ کجاست؟")
    ]
    assert [e for e in alerts.detect(T0 + timedelta(hours=3)) if e.kind == URGENT_MENTION] == []


def test_open_incident_absorbs_unanswered_questions_but_not_large_accounts(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    # No bucket is judged yet (lateness), so the hand-made incident stays open for the check.
    settings = make_settings(
        tmp_path, alerts={"allowed_lateness_minutes": 1440, "urgent": {"unanswered_question_minutes": 30}}
    )
    with Session(sqlite_engine) as session, session.begin():
        incident_id = stored_incident(session, raised=T0, status="acknowledged").id
    store = MentionStore(sqlite_engine)
    ids = _store(
        store,
        mention(1, T0, "@sabzino چرا سفارشم نمیرسه؟", label="negative", conversation="q1"),
        mention(2, T0, "@sabzino سفارشم رو گم کرد", followers=300_000, conversation="c2"),
    )
    alerts = AlertEngine(settings, sqlite_engine)
    assert [e.reasons for e in alerts.on_stored(ids)] == [["large_account"]]  # type: ignore[attr-defined]
    assert [e for e in alerts.detect(T0 + timedelta(hours=1)) if e.kind == URGENT_MENTION] == []
    with Session(sqlite_engine) as session:
        rows = {r.mention_id: r for r in session.scalars(select(UrgentAlert))}
        assert rows[ids[0]].details["reasons"] == ["unanswered_question"]
        assert rows[ids[0]].details["folded_into_incident"] == incident_id
        assert session.get(Incident, incident_id).details["folded_urgent"] == 1  # type: ignore[union-attr]
        assert len(list(session.scalars(select(Delivery)))) == 1


def test_brand_reply_in_the_thread_acknowledges_the_urgent_alert(
    sqlite_engine: Engine, settings: Settings
) -> None:
    store = MentionStore(sqlite_engine)
    alerts = AlertEngine(settings, sqlite_engine)
    alerts.on_stored(
        _store(
            store,
            mention(
                1, T0, "سبزینو پولم رو برنگردوند", followers=90_000, conversation="c9", aspects=("payment",)
            ),
        )
    )
    reply = mention(
        2,
        T0 + timedelta(minutes=7),
        "@user1 سلام، پیگیری شد",
        label="neutral",
        handle="sabzino_support",
        conversation="c9",
    )
    assert alerts.on_stored(_store(store, reply)) == []
    with Session(sqlite_engine) as session:
        (row,) = session.scalars(select(UrgentAlert)).all()
        assert (row.status, row.acknowledged_by) == ("acknowledged", "@sabzino_support")
        assert row.details["history"][0]["action"] == "acknowledge"
        # answered at the source: first response recorded, a reply in the history (issue 12)
        assert row.details["first_response_at"] == row.acknowledged_at.isoformat()
        assert [h["action"] for h in row.details["history"]] == ["acknowledge", "reply"]


def test_a_big_import_batch_is_checked_in_chunks(sqlite_engine: Engine, settings: Settings) -> None:
    store = MentionStore(sqlite_engine)
    items = [mention(n, T0 + timedelta(seconds=n), f"سبزینو {n}", conversation=f"c{n}") for n in range(1200)]
    items.append(mention(5000, T0, "کلاهبرداری سبزینو", conversation="big"))
    ids = store.save_batch(items, None).inserted_ids
    events = AlertEngine(settings, sqlite_engine).on_stored(ids)
    assert [e.reasons for e in events] == [["crisis_words"]]  # type: ignore[attr-defined]
