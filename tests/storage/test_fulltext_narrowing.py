"""The full-text index's day and brand keys (migration 0011, ``storage.filters.index_narrowing``):
on PostgreSQL a keyword query names the range's UTC days and its brands to the index; the answers
must be exactly those of the rows, on both backends, for ragged ranges, other time zones, several
brands, prefixes and exclusions, with the day keys or without them (no btree_gin), and for an
archive upgraded in place."""

from __future__ import annotations

import importlib.util
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session

from domain.analysis import SentimentResult
from storage.aggregates import sentiment_share, volume_by
from storage.db import downgrade_db, init_db, upgrade_db
from storage.filters import (
    MAX_INDEX_DAYS,
    conditions,
    forget_index_keys,
    narrowed_by_day,
    utc_days,
    vector_index_keys,
)
from storage.fts import POSTGRES_VECTOR_INDEX
from storage.migrations import versions
from storage.query import MentionQuery
from storage.repository import MentionStore
from storage.search import search_mentions
from storage.search_dates import parse_instant
from tests.storage.factories import T0, analysis, raw_mention

WORDS = ["تاخیر", "قیمت", "پشتیبانی", "عالی", "کیفیت"]
FILLER = ["من", "از", "این", "امروز", "ولی"]
BRANDS = ["sabzino", "nobank", "tazeh"]
FIRST_DAY = T0.date()


@dataclass(frozen=True)
class Row:
    words: frozenset[str]
    brands: frozenset[str]
    created_at: datetime
    touchpoints: frozenset[str] = frozenset()


def _items(n: int = 160) -> tuple[list[tuple[object, object]], list[Row]]:
    """Mentions over 12 days, many near UTC and Tehran midnights (where the UTC day and the local
    day part)."""
    rng = random.Random(11)
    items, rows = [], []
    for i in range(n):
        words = rng.sample(WORDS, rng.choice((1, 2))) + rng.sample(FILLER, 2)
        brands = rng.sample(BRANDS, rng.choice((1, 1, 2)))
        touchpoints = rng.sample(["delivery", "price"], rng.choice((0, 1, 1, 2)))
        base = datetime.combine(FIRST_DAY + timedelta(days=rng.randrange(12)), T0.timetz())
        # Tehran, UTC and New York midnights (before and after its summer time), and noon
        edge = rng.choice((timedelta(hours=-3, minutes=-30), timedelta(0), timedelta(hours=4),
                           timedelta(hours=5), timedelta(hours=12)))  # fmt: skip
        when = base.replace(hour=0, minute=0) + edge + timedelta(minutes=rng.randrange(-40, 40))
        label = rng.choice(["negative", "neutral", "positive"])
        body = " ".join(words)
        raw = raw_mention(i, text=body, created_at=when)
        result = analysis(body, brands=brands, aspects=touchpoints,
                          sentiment=SentimentResult(label=label, score=0.0, probs={label: 1.0}))  # fmt: skip
        items.append((raw, result))
        rows.append(Row(frozenset(body.split()), frozenset(brands), when, frozenset(touchpoints)))
    return items, rows


@dataclass(frozen=True)
class Case:
    query: MentionQuery
    words: tuple[str, ...]
    brands: tuple[frozenset[str], ...]
    since: datetime
    until: datetime
    prefix: str = ""
    without: str = ""
    touchpoints: tuple[frozenset[str], ...] = ()

    def matches(self, row: Row) -> bool:
        return (
            all(w in row.words for w in self.words)
            and all(row.brands & b for b in self.brands)
            and all(row.touchpoints & t for t in self.touchpoints)
            and self.since <= row.created_at < self.until
            and (not self.prefix or any(w.startswith(self.prefix) for w in row.words))
            and (not self.without or self.without not in row.words)
        )


def _days(first: int, last: int, tz: str = "Asia/Tehran") -> tuple[str, datetime, datetime]:
    a, b = FIRST_DAY + timedelta(days=first), FIRST_DAY + timedelta(days=last)
    return (f"date:{a.isoformat()}..{b.isoformat()}", parse_instant(a.isoformat(), tz),
            parse_instant(b.isoformat(), tz, end_of_day=True))  # fmt: skip


def _cases() -> list[Case]:
    cases = []
    for first, last, tz in (
        (2, 6, "Asia/Tehran"),
        (0, 11, "Asia/Tehran"),
        (3, 3, "UTC"),
        (1, 8, "America/New_York"),
        (-50, 60, "Asia/Tehran"),  # longer than MAX_INDEX_DAYS
    ):
        dates, since, until = _days(first, last, tz)
        for word in ("تاخیر", "قیمت"):
            q = MentionQuery(text=f"{word} brand:sabzino {dates}", tz=tz, limit=500)
            cases.append(Case(q, (word,), (frozenset({"sabzino"}),), since, until))
        q = MentionQuery(text=f"عالی brand:nobank,tazeh {dates}", tz=tz, limit=500)
        cases.append(Case(q, ("عالی",), (frozenset({"nobank", "tazeh"}),), since, until))
        q = MentionQuery(text=f"کیفیت {dates}", brands=["tazeh"], tz=tz, limit=500)
        cases.append(Case(q, ("کیفیت",), (frozenset({"tazeh"}),), since, until))
        q = MentionQuery(text=f"کیفیت brand:sabzino {dates}", brands=["nobank"], tz=tz, limit=500)
        cases.append(Case(q, ("کیفیت",), (frozenset({"sabzino"}), frozenset({"nobank"})), since, until))
        q = MentionQuery(text=f"تاخیر touchpoint:price brand:sabzino,tazeh {dates}", tz=tz, limit=500)
        cases.append(Case(q, ("تاخیر",), (frozenset({"sabzino", "tazeh"}),), since, until,
                          touchpoints=(frozenset({"price"}),)))  # fmt: skip
        q = MentionQuery(text=f"عالی {dates}", aspects=["delivery", "price"], tz=tz, limit=500)
        cases.append(Case(q, ("عالی",), (), since, until, touchpoints=(frozenset({"delivery", "price"}),)))
        q = MentionQuery(text=f"قیمت -تاخیر {dates}", tz=tz, limit=500)
        cases.append(Case(q, ("قیمت",), (), since, until, without="تاخیر"))
        q = MentionQuery(text=f"پشت* brand:tazeh {dates}", tz=tz, limit=500)
        cases.append(Case(q, (), (frozenset({"tazeh"}),), since, until, prefix="پشت"))
    # ragged instants (not midnights anywhere), as since/until
    since, until = T0 + timedelta(days=2, minutes=17), T0 + timedelta(days=5, hours=3)
    q = MentionQuery(text="تاخیر", brands=["sabzino"], since=since, until=until, limit=500)
    cases.append(Case(q, ("تاخیر",), (frozenset({"sabzino"}),), since, until))
    return cases


def _answers(session: Session, query: MentionQuery) -> tuple[set[int], int, int, int]:
    found = search_mentions(session, query)
    ids = {h.id for h in found.items}
    volume = sum(p.total for p in volume_by(session, query, "day", fill=False))
    return ids, found.total, sentiment_share(session, query).total, volume


@pytest.fixture
def stored(store: MentionStore) -> dict[int, Row]:
    """The rows by their ids (ids follow the stored key's order, not the items')."""
    items, rows = _items()
    result = store.save_batch(items, None)  # type: ignore[arg-type]
    assert result.inserted == len(rows)
    return dict(zip(result.inserted_ids, rows, strict=True))


def test_keyword_queries_answer_as_the_rows(stored: dict[int, Row], engine: Engine) -> None:
    ids_of = stored
    postgres = engine.dialect.name == "postgresql"
    found_some = 0
    with Session(engine) as session:
        for case in _cases():
            expected = {i for i, row in ids_of.items() if case.matches(row)}
            found_some += bool(expected)
            ids, total, share, volume = _answers(session, case.query)
            assert (ids, total, share, volume) == (expected, len(expected), len(expected), len(expected)), (
                case.query
            )
            # PostgreSQL names the days to the index, except for a prefix (once per day would
            # gather the prefix's entries each time) and a range longer than MAX_INDEX_DAYS
            short = case.until - case.since <= timedelta(days=MAX_INDEX_DAYS - 1)
            assert narrowed_by_day(session, case.query) == (postgres and not case.prefix and short)
    assert found_some >= len(_cases()) * 3 // 4  # the cases are not vacuous


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)  # the index is PostgreSQL's
def test_the_index_answers_keyword_brand_and_days_on_postgresql(
    stored: dict[int, Row], engine: Engine
) -> None:
    sent: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        sent.append((statement, parameters))

    with Session(engine) as session:
        assert vector_index_keys(session) == {"day", "brands"}
        dates, _, _ = _days(0, 11)
        event.listen(engine, "before_cursor_execute", capture)
        try:
            sentiment_share(session, MentionQuery(text=f"تاخیر brand:sabzino {dates}"))
        finally:
            event.remove(engine, "before_cursor_execute", capture)
        statement, params = next((s, p) for s, p in sent if "@@" in s)
        # a tiny table: a full scan is cheapest unless ruled out (a million rows rule it out)
        for setting in ("seqscan", "indexscan", "indexonlyscan", "nestloop"):
            session.execute(text(f"SET LOCAL enable_{setting} = off"))
        plan = "\n".join(r[0] for r in session.connection().exec_driver_sql("EXPLAIN " + statement, params))
    assert POSTGRES_VECTOR_INDEX in plan
    # the condition under the full-text index's own scan (other scans, e.g. of mention_brands, may come first)
    lines = plan.splitlines()
    scan = next(i for i, line in enumerate(lines) if POSTGRES_VECTOR_INDEX in line)
    index_cond = next(line for line in lines[scan:] if "Index Cond" in line)
    assert "AT TIME ZONE" in index_cond and "?|" in index_cond and "@@" in index_cond, plan
    assert "ix_mentions_created_at" not in plan  # the range is a filter, not a second bitmap


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)  # the index is PostgreSQL's
def test_brands_go_to_the_index_beside_a_week_or_more_or_no_days(engine: Engine) -> None:
    """A few days' entries are few already; a generic plan (a statement repeated in one
    transaction) would trade the day keys for an unknown brand, so short ranges name no brand."""
    with Session(engine) as session:
        for text_, by_day, by_brand in (
            (f"تاخیر brand:sabzino {_days(2, 2)[0]}", True, False),
            (f"تاخیر brand:sabzino {_days(0, 11)[0]}", True, True),
            ("تاخیر brand:sabzino", False, True),  # no range: brand and word only
            (f"تاخیر* brand:sabzino {_days(2, 2)[0]}", False, True),  # a prefix: no day keys
        ):
            sql = " ".join(
                str(c.compile(dialect=engine.dialect)) for c in conditions(session, MentionQuery(text=text_))
            )
            assert ("AT TIME ZONE" in sql, "?|" in sql) == (by_day, by_brand), text_


def test_utc_days_cover_the_range() -> None:
    since = parse_instant("2026-03-02")  # Tehran midnight: 20:30 UTC the day before
    until = parse_instant("2026-03-04", end_of_day=True)
    assert utc_days(since, until) == [FIRST_DAY + timedelta(days=d) for d in range(4)]
    assert utc_days(T0, T0) == []
    assert utc_days(T0, T0 + timedelta(days=MAX_INDEX_DAYS)) is None  # too many scans: date index
    assert len(utc_days(T0, T0 + timedelta(days=MAX_INDEX_DAYS - 1)) or []) == MAX_INDEX_DAYS


def _migration() -> ModuleType:
    path = Path(next(iter(versions.__path__))) / "0011_search_vector_day_brand.py"
    spec = importlib.util.spec_from_file_location("migration_0011", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_an_archive_upgraded_in_place_answers_the_same(blank_engine: Engine, blank_db_url: str) -> None:
    upgrade_db(blank_engine, "0010_rollup_authors")
    items, _ = _items()
    MentionStore(blank_engine).save_batch(items, None)  # type: ignore[arg-type]
    with Session(blank_engine) as session:
        before = [_answers(session, c.query) for c in _cases()]
    forget_index_keys(blank_engine)
    init_db(blank_db_url)
    with Session(blank_engine) as session:
        if blank_engine.dialect.name == "postgresql":
            assert vector_index_keys(session) == {"day", "brands"}
        assert [_answers(session, c.query) for c in _cases()] == before
    downgrade_db(blank_db_url, "0010_rollup_authors")
    if blank_engine.dialect.name == "postgresql":
        with blank_engine.connect() as conn:
            definition = conn.execute(
                text(f"SELECT pg_get_indexdef('{POSTGRES_VECTOR_INDEX}'::regclass)")
            ).scalar()
        assert definition is not None and definition.endswith("gin (search_vector)")


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)  # the index is PostgreSQL's
def test_without_btree_gin_the_index_holds_brands_and_words(blank_engine: Engine, blank_db_url: str) -> None:
    init_db(blank_db_url)
    items, _ = _items()
    MentionStore(blank_engine).save_batch(items, None)  # type: ignore[arg-type]
    with Session(blank_engine) as session:
        full = [_answers(session, c.query) for c in _cases()]
    with blank_engine.begin() as conn:
        _migration().replace_index(conn, day=False)  # what the migration builds without btree_gin
    forget_index_keys(blank_engine)
    with Session(blank_engine) as session:
        assert vector_index_keys(session) == {"brands"}
        assert not any(narrowed_by_day(session, c.query) for c in _cases())
        assert [_answers(session, c.query) for c in _cases()] == full
