"""Rollups: mention counts kept per 15-minute UTC slot and per Asia/Tehran day (migration 0009),
so the analysts' charts read a few thousand counters instead of a million mentions.

Each table counts mentions by brand × touchpoint × source × language × sentiment. ``""`` in
``brand`` (``touchpoint``) means "any": every mention is counted once in the ``""`` row and once
more per brand (touchpoint) it names, so a filter on one brand or none stays exact (``""`` can
never be a real name: empty tags are dropped when stored and when corrected). Slots are
``epoch // 900``; every real time zone offset is a multiple of 15 minutes, so slots add up to
any zone's local hours and days. ``rollup_days`` holds whole local days of ``ROLLUP_TZ`` (from
``zoneinfo``, so Tehran's past summer time is right too): a query in that zone reads its whole
days there and only its ragged ends from the slots.

Upkeep is application code in the writer's own transaction, not triggers: a Tehran day needs
``zoneinfo`` (SQLite has no time zones); each batch's changes are summed first and applied in key
order, so concurrent PostgreSQL writers lock counters in one order (no deadlocks; row triggers
would lock them in mention order); and the writers are few: ``MentionStore.save_batch``,
``correct_mention`` and ``erase`` (retention deletes through it; its own ``retained_counts`` keep
the daily trend of what it deleted). So the rollups always equal the raw rows: a write that
bypassed these three (a bulk load) must run migration 0009's backfill after it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Connection,
    Date,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    and_,
    bindparam,
    delete,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, Mention, MentionAspect, MentionBrand
from storage.search_dates import DEFAULT_TZ

SLOT_SECONDS = 900
ROLLUP_TZ = DEFAULT_TZ
ANY = ""
_CHUNK = 500  # ids per statement: under SQLite's bound-variable limit


KEY = ("brand", "touchpoint", "source", "lang", "sentiment")


def _key(time_column: str) -> tuple[Any, ...]:
    # key order = how it is read: one brand and touchpoint (or "any"), then a time range; SQLite
    # keeps such a table in key order (WITHOUT ROWID), so a range is one contiguous read
    return (PrimaryKeyConstraint(KEY[0], KEY[1], time_column, *KEY[2:]), {"sqlite_with_rowid": False})


class _Dims:
    brand: Mapped[str] = mapped_column(String(128))
    touchpoint: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(64))
    lang: Mapped[str] = mapped_column(String(16))
    sentiment: Mapped[str] = mapped_column(String(16))
    mentions: Mapped[int] = mapped_column(Integer, default=0)


class RollupSlot(_Dims, Base):
    """Mentions per 15-minute UTC slot (``slot`` = epoch seconds // 900)."""

    __tablename__ = "rollup_slots"
    __table_args__ = _key("slot")

    slot: Mapped[int] = mapped_column(Integer)


class RollupDay(_Dims, Base):
    """Mentions per local day of ``ROLLUP_TZ``."""

    __tablename__ = "rollup_days"
    __table_args__ = _key("day")

    day: Mapped[date] = mapped_column(Date)


#: what the top-authors charts read, which no counter can hold (every author's count per period):
#: the date range with its authors and reach in one covering index, so those charts scan index
#: entries, not whole mention rows (migration 0009 creates it too)
AUTHORS_BY_DATE = Index(
    "ix_mentions_created_at_author", Mention.created_at, Mention.author_handle, Mention.author_followers
)


class Dims(NamedTuple):
    """What a mention is counted by."""

    created_at: datetime
    source: str
    lang: str
    sentiment: str
    brands: tuple[str, ...]
    touchpoints: tuple[str, ...]


def slot_of(instant: datetime) -> int:
    return int(instant.timestamp()) // SLOT_SECONDS


@lru_cache(maxsize=4096)
def day_of_slot(slot: int) -> date:
    """The ``ROLLUP_TZ`` local day a slot lies in (slots never straddle local midnight)."""
    return datetime.fromtimestamp(slot * SLOT_SECONDS, UTC).astimezone(ZoneInfo(ROLLUP_TZ)).date()


Delta = tuple[Counter[tuple[Any, ...]], Counter[tuple[Any, ...]]]


def deltas(mentions: Iterable[Dims], sign: int = 1) -> Delta:
    """(slot counts, day counts) keyed by (time, brand, touchpoint, source, lang, sentiment)."""
    slots: Counter[tuple[Any, ...]] = Counter()
    days: Counter[tuple[Any, ...]] = Counter()
    for m in mentions:
        slot = slot_of(m.created_at)
        day = day_of_slot(slot)
        for brand in (ANY, *dict.fromkeys(m.brands)):
            for touchpoint in (ANY, *dict.fromkeys(m.touchpoints)):
                key = (brand, touchpoint, m.source, m.lang, m.sentiment)
                slots[(slot, *key)] += sign
                days[(day, *key)] += sign
    return slots, days


def combine(after: Delta, before: Delta) -> Delta:
    """``after`` − ``before``, keys that cancel out dropped."""
    out: list[Counter[tuple[Any, ...]]] = []
    for new, old in zip(after, before, strict=True):
        diff = Counter(new)
        diff.subtract(old)
        out.append(Counter({k: v for k, v in diff.items() if v}))
    return out[0], out[1]


def apply(conn: Connection, delta: Delta) -> None:
    """Add ``delta`` to the counters in ``conn``'s transaction: upserts in key order (one lock
    order for every writer), then counters that reached zero are removed."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    for model, time_column, counts in ((RollupSlot, "slot", delta[0]), (RollupDay, "day", delta[1])):
        if not counts:
            continue
        table = model.__table__
        names = (time_column, *KEY)
        rows = [{**dict(zip(names, key, strict=True)), "mentions": n} for key, n in sorted(counts.items())]
        stmt = dialect.insert(table)
        stmt = stmt.on_conflict_do_update(
            index_elements=list(names), set_={"mentions": table.c.mentions + stmt.excluded.mentions}
        )
        conn.execute(stmt, rows)
        gone = [row for row in rows if row["mentions"] < 0]
        if gone:
            where = and_(table.c.mentions <= 0, *(table.c[n] == bindparam(f"k_{n}") for n in names))
            conn.execute(delete(table).where(where), [{f"k_{n}": r[n] for n in names} for r in gone])


def row_dims(row: dict[str, Any]) -> Dims:
    """A ``mentions`` row as ``MentionStore`` builds it (its brands and aspects become the tag rows)."""
    return Dims(row["created_at"], row["source"], row["lang"], row["sentiment_label"],
                tuple(row["brands"]), tuple(row["aspects"]))  # fmt: skip


def read_dims(conn: Connection, ids: Sequence[int]) -> list[Dims]:
    """The stored dimensions of these mentions (their tag rows, as the raw aggregates read them)."""
    found: list[Dims] = []
    for start in range(0, len(ids), _CHUNK):
        group = list(ids[start : start + _CHUNK])
        brands: dict[int, list[str]] = {}
        aspects: dict[int, list[str]] = {}
        for mention_id, brand in conn.execute(
            select(MentionBrand.mention_id, MentionBrand.brand).where(MentionBrand.mention_id.in_(group))
        ):
            brands.setdefault(mention_id, []).append(brand)
        for mention_id, aspect in conn.execute(
            select(MentionAspect.mention_id, MentionAspect.aspect).where(MentionAspect.mention_id.in_(group))
        ):
            aspects.setdefault(mention_id, []).append(aspect)
        m = Mention
        for mention_id, created, source, lang, sentiment in conn.execute(
            select(m.id, m.created_at, m.source, m.lang, m.sentiment_label).where(m.id.in_(group))
        ):
            tags = tuple(brands.get(mention_id, ())), tuple(aspects.get(mention_id, ()))
            found.append(Dims(created, source, lang, sentiment, *tags))
    return found


def add_rows(conn: Connection, rows: Iterable[dict[str, Any]]) -> None:
    """Count newly stored mention rows (``MentionStore.save_batch``)."""
    apply(conn, deltas(row_dims(r) for r in rows))


def remove(conn: Connection, ids: Sequence[int]) -> None:
    """Uncount mentions about to be deleted (call before their rows go)."""
    apply(conn, deltas(read_dims(conn, ids), sign=-1))
