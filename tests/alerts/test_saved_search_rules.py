"""Saved searches that alert (issue 13 item 4): rules judged on mentions as the pipeline stores
them, on both backends — the hourly threshold, the large-account rule, one alert per hour of
mention time (also after a restart and a redelivered batch), the inbox row and the Persian message."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, selectinload

from alerts.engine import AlertEngine
from alerts.outbox import stored_payload
from alerts.rules import saved_search as rules
from alerts.rules.event import SavedSearchAlert
from config.settings import Settings
from domain.mention import RawMention
from nlp.analyzer import Analyzer
from nlp.sentiment import LexiconFallbackSentimentModel
from shenava.service.pipeline import Pipeline
from storage import saved_searches
from storage.models import Delivery, UrgentAlert
from storage.repository import MentionStore
from storage.saved_searches import Fields, SavedSearch, SavedSearchFiring
from tests.alerts.conftest import make_settings

#: 14:00 Tehran time (UTC+03:30) on 1 Azar 1405
HOUR0 = datetime(2026, 11, 22, 10, 30, tzinfo=UTC)
WALL = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def mention(
    n: int, minute: float, *, text: str = "سفارشم از سبزینو دیر رسید", followers: int = 50
) -> RawMention:
    return RawMention(
        source="x",
        external_id=f"m{n}",
        text=f"{text} {n}",
        created_at=HOUR0 + timedelta(minutes=minute),
        url=f"https://x.com/u{n}/status/{n}",
        author_handle=f"user{n}",
        author_followers=followers,
    )


class Service:
    """The pipeline with its alert engine over ``engine``, as ``shenava run`` wires them."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        analyzer = Analyzer(LexiconFallbackSentimentModel(), brands=settings.brands)
        self.alerts = AlertEngine(settings, engine, clock=lambda: WALL)
        self.pipeline = Pipeline(MentionStore(engine), analyzer, self.alerts)
        self.engine = engine

    def store(self, mentions: Sequence[RawMention]) -> list[int]:
        return self.pipeline.process("replay:test", list(mentions), None).inserted_ids


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path, web={"public_url": "https://shenava.example"})


def save(
    engine: Engine, name: str = "دیرکرد سبزینو", query: str = "brand:sabzino دیر", **rule: object
) -> int:
    with Session(engine) as session, session.begin():
        fields = Fields(name=name, query=query, sharing="everyone", rule_enabled=True, **rule)  # type: ignore[arg-type]
        return saved_searches.add(session, "ali", fields).id


def firings(engine: Engine) -> list[tuple[str, datetime, int]]:
    with Session(engine) as session:
        rows = session.scalars(select(SavedSearchFiring).order_by(SavedSearchFiring.id))
        return [(r.rule, r.window_start, r.count) for r in rows]


def inbox_rows(engine: Engine) -> list[UrgentAlert]:
    """The inbox rows saved searches raised (the urgent check may raise its own beside them)."""
    with Session(engine, expire_on_commit=False) as session:
        query = (
            select(UrgentAlert)
            .where(UrgentAlert.conversation_key.startswith("saved-search:"))
            .options(selectinload(UrgentAlert.mention))
            .order_by(UrgentAlert.id)
        )
        return list(session.scalars(query))


def deliveries(engine: Engine) -> list[Delivery]:
    with Session(engine) as session:
        return list(session.scalars(select(Delivery).where(Delivery.event_kind == "saved_search_alert")))


def test_hours_are_local_clock_hours_of_mention_time() -> None:
    tz = "Asia/Tehran"
    assert rules.hour_start(HOUR0 - timedelta(minutes=1), tz) == HOUR0 - timedelta(hours=1)
    assert rules.hour_start(HOUR0, tz) == HOUR0
    assert rules.hour_start(HOUR0 + timedelta(minutes=59, seconds=59), tz) == HOUR0
    assert rules.hour_start(HOUR0, "UTC") == HOUR0 - timedelta(minutes=30)


def test_an_hourly_threshold_fires_once_per_hour(engine: Engine, settings: Settings) -> None:
    search_id = save(engine, rule_per_hour=3)
    service = Service(engine, settings)
    service.store([mention(1, 1), mention(2, 5)])
    service.store([mention(3, 10, text="سبزینو عالی بود")])  # not a match: no «دیر»
    assert firings(engine) == []
    third = service.store([mention(4, 20)])
    assert firings(engine) == [("per_hour", HOUR0, 3)]
    service.store([mention(5, 30), mention(6, 59)])  # the same hour: no second alert
    service.store([mention(7, 61), mention(8, 62)])  # the next hour has 2 of 3
    assert firings(engine) == [("per_hour", HOUR0, 3)]
    service.store([mention(9, 70)])
    assert firings(engine) == [("per_hour", HOUR0, 3), ("per_hour", HOUR0 + timedelta(hours=1), 3)]

    first, _ = inbox_rows(engine)
    assert first.mention_id == third[0] and first.status == "open" and first.brand == "sabzino"
    assert first.details["reasons"] == ["saved_search"] and first.mention_count == 3
    assert first.details["saved_search"]["id"] == search_id
    sent = deliveries(engine)
    assert len(sent) == 2 and {d.channel for d in sent} == {"file"}
    message = sent[0].payload["message"]
    assert "جستجوی ذخیره‌شدهٔ «دیرکرد سبزینو» هشدار داد" in message
    assert "۳ اشارهٔ منطبق" in message and "آذر ۱۴۰۵" in message and "۱۴:۰۰" in message
    assert f"https://shenava.example/inbox/urgent/{first.id}" in message


def test_the_hour_is_judged_on_mention_time_not_arrival(engine: Engine, settings: Settings) -> None:
    save(engine, rule_per_hour=2)
    service = Service(engine, settings)
    service.store([mention(1, 50)])  # 14:50 local
    service.store([mention(2, 70)])  # 15:10: another hour, nothing yet
    assert firings(engine) == []
    service.store([mention(3, -5)])  # a late one for 13:55: still alone in its hour
    assert firings(engine) == []
    service.store([mention(4, 10)])  # late, for 14:10: 14:00's hour now has two
    assert firings(engine) == [("per_hour", HOUR0, 2)]
    (row,) = inbox_rows(engine)
    assert row.mention.external_id == "m1"  # the 2nd of the hour by mention time (14:10, 14:50)


def test_a_large_account_fires_once_per_hour(engine: Engine, settings: Settings) -> None:
    save(engine, rule_min_followers=10_000)
    service = Service(engine, settings)
    service.store([mention(1, 1, followers=9_999), mention(2, 2, text="سبزینو عالی بود", followers=90_000)])
    assert firings(engine) == []  # the big account did not match; the match is not big
    service.store([mention(3, 3, followers=10_000), mention(4, 4, followers=80_000)])
    assert firings(engine) == [("followers", HOUR0, 3)]  # m1, m3 and m4 match; m3 is the first big one
    (row,) = inbox_rows(engine)
    assert row.mention.external_id == "m3"
    service.store([mention(5, 65, followers=20_000)])
    assert [f[:2] for f in firings(engine)] == [
        ("followers", HOUR0),
        ("followers", HOUR0 + timedelta(hours=1)),
    ]
    message = deliveries(engine)[0].payload["message"]
    assert "نویسنده‌ای با ۱۰٬۰۰۰ دنبال‌کننده (آستانه: ۱۰٬۰۰۰)" in message


def test_no_second_alert_after_a_restart_or_a_redelivered_batch(engine: Engine, settings: Settings) -> None:
    save(engine, rule_per_hour=2, rule_min_followers=1000)
    batch = [mention(1, 1), mention(2, 2, followers=5000)]
    ids = Service(engine, settings).store(batch)
    assert sorted(firings(engine)) == [("followers", HOUR0, 2), ("per_hour", HOUR0, 2)]
    before = (len(inbox_rows(engine)), len(deliveries(engine)))
    assert before == (2, 2)

    restarted = Service(engine, settings)  # a new process: nothing held in memory
    assert restarted.store(batch) == []  # the replay's duplicates are skipped
    assert rules.on_stored(restarted.alerts, ids) == []  # a redelivered urgent check (Celery)
    assert restarted.store([mention(3, 3, followers=7000)]) != []
    assert (len(inbox_rows(engine)), len(deliveries(engine))) == before
    assert len(firings(engine)) == 2


def test_rules_off_or_no_engine_fire_nothing(engine: Engine, settings: Settings) -> None:
    search_id = save(engine, rule_per_hour=1)
    with Session(engine) as session, session.begin():
        row = session.get(SavedSearch, search_id)
        assert row is not None
        saved_searches.update(session, row, Fields(name=row.name, query=row.query, rule_per_hour=1))
    service = Service(engine, settings)
    service.store([mention(1, 1)])
    assert rules.on_stored(None, [1]) == []
    assert firings(engine) == []


def test_a_broken_search_is_skipped_and_the_others_fire(
    engine: Engine, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    with Session(engine) as session, session.begin():  # stored before a grammar change, say
        now = datetime.now(UTC)
        session.add(SavedSearch(name="bad", query="(دیر", owner="ali", sharing="private", rule_enabled=True,
                                rule_per_hour=1, created_at=now, updated_at=now))  # fmt: skip
    save(engine, rule_per_hour=1)
    with caplog.at_level(logging.ERROR, logger="alerts.rules.saved_search"):
        Service(engine, settings).store([mention(1, 1)])
    assert firings(engine) == [("per_hour", HOUR0, 1)]
    assert "could not be judged" in caplog.text


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_message_reads_in_persian_and_in_english(settings: Settings, engine: Engine) -> None:
    save(engine, rule_per_hour=1)
    service = Service(engine, settings)
    service.store([mention(1, 1)])
    with Session(engine) as session:
        mid = session.scalar(select(func.min(UrgentAlert.id)))
    event = SavedSearchAlert(brand="sabzino", severity="high", at=HOUR0, search_id=1, search_name="دیرکرد",
                             rule="per_hour", window_start=HOUR0, count=12, threshold=10, urgent_id=mid or 0,
                             mention_id=1, text="دیر رسید", source="x",
                             explanation={"mentions": [{"text": "دیر رسید", "author": "user1"}]})  # fmt: skip
    fa = stored_payload(event, service.alerts.messages)
    assert fa["title"] == "جستجوی ذخیره‌شدهٔ «دیرکرد» هشدار داد"
    assert "۱۲ اشارهٔ منطبق" in fa["message"] and "@user1: دیر رسید" in fa["message"]
    english = service.alerts.messages.__class__(language="en", public_url="https://shenava.example")
    en = stored_payload(event, english)
    assert en["title"] == "Saved search “دیرکرد” alerted"
    assert (
        "12 matching mentions in the hour from" in en["message"] and "threshold: 10 per hour" in en["message"]
    )


def test_a_catch_up_records_old_hours_without_paging(engine: Engine, settings: Settings) -> None:
    save(engine, rule_per_hour=1)
    service = Service(engine, settings)
    service.alerts.backfill_guard = True  # a live service catching up: WALL is 1½ hours after HOUR0
    service.store([mention(1, 1)])
    assert firings(engine) == [("per_hour", HOUR0, 1)] and deliveries(engine) == []
    (row,) = inbox_rows(engine)
    assert row.details["backfilled"] is True and service.alerts.backfilled == 1
    service.store([mention(2, 75)])  # 15:15, within the page age limit of WALL
    assert len(deliveries(engine)) == 1
