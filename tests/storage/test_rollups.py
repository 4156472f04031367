"""The rollups (``storage.rollups``) always say what the raw rows say, on both backends: after random
inserts, corrections, erasures and retention runs (fixed seed), every aggregate read from the
rollups equals the same aggregate counted from the rows; migration 0009's backfill rebuilds the
very counters the writers kept; Tehran days from the rollups are right across past summer time."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, and_, func, select
from sqlalchemy.orm import Session

from domain.analysis import SentimentResult
from storage.aggregates import (
    sentiment_share,
    share_of_voice,
    touchpoint_counts,
    volume_by,
    volume_by_week,
)
from storage.corrections import correct_mention
from storage.db import downgrade_db, init_db, session_factory
from storage.erasure import erase
from storage.facets import facet_counts, top_authors
from storage.filters import conditions
from storage.models import Mention
from storage.query import MentionQuery
from storage.repository import MentionStore
from storage.retention import apply_retention
from storage.rollup_query import scope_of
from storage.rollups import RollupAuthor, RollupDay, RollupIdDay, RollupSlot
from storage.search import search_mentions
from storage.settings import RetentionRule
from tests.storage.factories import analysis, raw_mention

T0 = datetime(2026, 2, 20, 20, 30, tzinfo=UTC)  # 1404-12-02 00:00 Tehran
BRANDS = ["sabzino", "nobank", "tazeh"]
TOUCHPOINTS = ["delivery", "price", "support", "app"]
SOURCES = ["x", "instagram", "telegram"]
LANGS = ["fa", "en", "ar"]
LABELS = ["negative", "neutral", "positive"]
AUTHORS = ["ali", "Ali", "ALI", "sara", "reza_1", "Reza_1", "neda", None]
REACH = [None, 0, 10, 500, 500, 9000, 120_000]


def _random_items(rng: random.Random, n: int) -> list[Any]:
    items = []
    for i in range(n):
        # minutes on and off the 15-minute grid, over three weeks; a few in Tehran's old summer time
        created = T0 + timedelta(minutes=rng.randrange(21 * 24 * 60))
        if i % 25 == 0:
            created = datetime(2021, 6, 1, 19, 30, tzinfo=UTC) + timedelta(minutes=rng.randrange(60))
        label = rng.choice(LABELS)
        # a few authors (one in three cases), reach often tied, sometimes unknown or no handle
        author = {"author_handle": rng.choice(AUTHORS), "author_followers": rng.choice(REACH)}
        raw = raw_mention(i, source=rng.choice(SOURCES), created_at=created, **author)
        result = analysis(
            raw.text,
            lang=rng.choice(LANGS),
            brands=rng.sample(BRANDS, rng.choice((0, 1, 1, 2))),
            aspects=rng.sample(TOUCHPOINTS, rng.choice((0, 1, 1, 2))),
            sentiment=SentimentResult(label=label, score=0.0, probs={label: 1.0}),
        )
        items.append((raw, result))
    return items


def _queries() -> list[MentionQuery]:
    local_days = {"since": "1404-12-03", "until": "1404-12-09"}
    return [
        MentionQuery(),
        MentionQuery(**local_days),
        MentionQuery(brands=["sabzino"], **local_days),
        MentionQuery(brands=["nobank"], sentiments=["negative", "neutral"]),
        MentionQuery(aspects=["delivery"], sources=["x", "telegram"]),
        MentionQuery(langs=["fa"], brands=["tazeh"], aspects=["price"], since="1404-12-05"),
        # ragged ends: a range starting and ending mid-day (on the 15-minute grid)
        MentionQuery(
            since=T0 + timedelta(days=2, hours=5, minutes=45), until=T0 + timedelta(days=9, minutes=15)
        ),
        MentionQuery(tz="UTC", since="2026-02-22", until="2026-03-01"),
        MentionQuery(tz="Asia/Kolkata", brands=["sabzino"]),
        MentionQuery(since="1400-03-10", until="1400-03-13"),  # Tehran at +4:30 then
        MentionQuery(
            text="brand:nobank touchpoint:support sentiment:negative,positive date:1404-12-04..1404-12-12"
        ),
        MentionQuery(text="source:x,instagram source:x lang:fa,en", brands=["sabzino"]),
    ]


def _answers(session: Session, query: MentionQuery, rollups: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "sentiment": sentiment_share(session, query, rollups=rollups),
        "touchpoints": touchpoint_counts(session, query, rollups=rollups),
        "voice": share_of_voice(session, query, rollups=rollups),
        "voice_two": share_of_voice(session, query, ["sabzino", "tazeh"], rollups=rollups),
        "sources": facet_counts(session, query, "source", rollups=rollups),
        "langs": facet_counts(session, query, "lang", 2, rollups=rollups),
        "week": volume_by_week(session, query, rollups=rollups),
        "authors": top_authors(session, query, "volume", 50, rollups=rollups),
        "authors_reach": top_authors(session, query, "reach", 7, rollups=rollups),
    }
    for sort, offset in (("newest", 0), ("oldest", 3)):
        page = query.model_copy(update={"sort": sort, "limit": 7, "offset": offset})
        if rollups:  # the search page: its total from the rollups, its rows off the date index
            found = search_mentions(session, page)
            out[f"search_{sort}"] = (found.total, [hit.id for hit in found.items])
        else:
            where = and_(True, *conditions(session, page))
            order = Mention.created_at.desc() if sort == "newest" else Mention.created_at.asc()
            ids = session.scalars(
                select(Mention.id).where(where).order_by(order, Mention.id.desc() if sort == "newest"
                                                         else Mention.id.asc()).limit(7).offset(offset)
            )  # fmt: skip
            count = session.scalar(select(func.count()).select_from(Mention).where(where))
            out[f"search_{sort}"] = (count, list(ids))
    for fill in (True, False):
        out[f"day{fill}"] = volume_by(session, query, "day", fill=fill, rollups=rollups)
    if query.since or query.text:
        out["hour"] = volume_by(session, query, "hour", rollups=rollups)
    return out


def _check_same(engine: Engine, stage: str) -> None:
    with Session(engine) as session:
        for query in _queries():
            assert scope_of(query) is not None, query  # the rollups do answer these
            from_rollups, from_rows = _answers(session, query, True), _answers(session, query, False)
            for name, expected in from_rows.items():
                assert from_rollups[name] == expected, (stage, name, query)


def _rollup_rows(engine: Engine) -> list[list[tuple[Any, ...]]]:
    with Session(engine) as session:
        return [
            sorted(tuple(r) for r in session.execute(select(t.__table__)))
            for t in (RollupSlot, RollupDay, RollupAuthor)
        ]


def test_rollups_equal_raw_rows_after_random_writes(store: MentionStore, engine: Engine) -> None:
    rng = random.Random(1404)
    items = _random_items(rng, 240)
    for start in range(0, len(items), 40):  # several batches, each with a repeat (a duplicate)
        batch = items[start : start + 40]
        store.save_batch([*batch, batch[0]], None)
    sessions = session_factory(engine)
    with sessions() as session:
        ids = list(session.scalars(select(Mention.id).order_by(Mention.id)))
    assert len(ids) == 240
    _check_same(engine, "inserted")

    for mention_id in rng.sample(ids, 40):  # corrections: sentiment, touchpoints or both
        with sessions() as session, session.begin():
            kind = rng.randrange(3)
            correct_mention(
                session, mention_id, by="analyst",
                sentiment=rng.choice(LABELS) if kind != 1 else None,
                touchpoints=rng.sample(TOUCHPOINTS, rng.randrange(3)) if kind != 0 else None,
            )  # fmt: skip
    _check_same(engine, "corrected")

    gone = rng.sample(ids, 30)
    with sessions() as session, session.begin():
        erase(session, gone)
    _check_same(engine, "erased")

    rules = [RetentionRule(source="telegram", days=10), RetentionRule(brand="nobank", days=15),
             RetentionRule(source="instagram", days=8, action="anonymise")]  # fmt: skip
    outcomes = apply_retention(sessions, rules, now=T0 + timedelta(days=21))
    assert sum(o.mentions for o in outcomes) > 0
    _check_same(engine, "retention")

    # the writers kept exactly what migration 0009's backfill builds from the rows
    kept = _rollup_rows(engine)
    assert kept[0] and kept[1] and kept[2]
    bounds = _id_days(engine)
    downgrade_db(engine, "0008_saved_searches")
    init_db(engine)
    assert _rollup_rows(engine) == kept
    # the id bounds are only widened (erasures leave them wide): the rebuilt ones lie within
    rebuilt = _id_days(engine)
    assert rebuilt.keys() == bounds.keys()
    assert all(bounds[d][0] <= low <= high <= bounds[d][1] for d, (low, high) in rebuilt.items())


def _id_days(engine: Engine) -> dict[Any, tuple[int, int]]:
    with Session(engine) as session:
        return {d: (lo, hi) for d, lo, hi in session.execute(select(RollupIdDay.__table__))}


def test_tehran_days_across_old_summer_time(store: MentionStore, engine: Engine) -> None:
    # 19:45 UTC on 1 June 2021 was 00:15 on 2 June in Tehran (+4:30 then; +3:30 would say 1 June)
    store.save_batch(
        [(raw_mention(1, created_at=datetime(2021, 6, 1, 19, 45, tzinfo=UTC)), analysis())], None
    )
    query = MentionQuery(since="2021-06-01", until="2021-06-03")
    with Session(engine) as session:
        assert scope_of(query) is not None
        days = volume_by(session, query, "day")
    assert [(p.day.isoformat(), p.total) for p in days] == [
        ("2021-06-01", 0),
        ("2021-06-02", 1),
        ("2021-06-03", 0),
    ]


@pytest.mark.parametrize(
    "make",
    [
        lambda: MentionQuery(text="سبزینو"),
        lambda: MentionQuery(author="user1"),
        lambda: MentionQuery(min_followers=10),
        lambda: MentionQuery(brands=["sabzino", "nobank"]),
        lambda: MentionQuery(text="brand:sabzino", brands=["nobank"]),
        lambda: MentionQuery(text="emotion:joy"),
        lambda: MentionQuery(text="source:x OR lang:fa"),
        lambda: MentionQuery(since=T0 + timedelta(minutes=7)),
    ],
)
def test_what_the_rollups_cannot_answer_goes_to_the_rows(make: Callable[[], MentionQuery]) -> None:
    assert scope_of(make()) is None


def test_an_authors_reach_falls_back_when_its_largest_mention_goes(
    store: MentionStore, engine: Engine
) -> None:
    # reach is a maximum: erasing (or anonymising) the mention that held it reads the next largest
    day = T0 + timedelta(hours=10)
    items = [
        (raw_mention(i, created_at=day + timedelta(minutes=i), author_handle=handle, author_followers=reach),
         analysis(brands=["sabzino"], aspects=["price"]))
        for i, (handle, reach) in enumerate([("Ali", 9000), ("ali", 500), ("ali", 9000), ("sara", 70)])
    ]  # fmt: skip
    store.save_batch(items, None)
    query = MentionQuery(brands=["sabzino"], aspects=["price"], since="1404-12-02", until="1404-12-03")
    sessions = session_factory(engine)
    with sessions() as session:
        ids = list(session.scalars(select(Mention.id).order_by(Mention.id)))
        assert top_authors(session, query, "reach") == [("ali", 3, 9000), ("sara", 1, 70)]
    for gone, expected in ((ids[0], 9000), (ids[2], 500)):
        with sessions() as session, session.begin():
            erase(session, [gone])
        with sessions() as session:
            assert top_authors(session, query, "reach")[0][2] == expected
            assert top_authors(session, query, "reach") == top_authors(session, query, "reach", rollups=False)
