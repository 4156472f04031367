"""Rollups: mention counts kept per 15-minute UTC slot and per Asia/Tehran day (migration 0009),
so the analysts' charts read a few thousand counters instead of a million mentions.

Each table counts mentions by brand × touchpoint × source × language × sentiment. ``""`` in
``brand`` (``touchpoint``) means "any": every mention is counted once in the ``""`` row and once
more per brand (touchpoint) it names, so a filter on one brand or none stays exact (``""`` can
never be a real name: empty tags are dropped when stored and when corrected). Slots are
``epoch // 900``; every real time zone offset is a multiple of 15 minutes, so slots add up to
any zone's local hours and days. ``rollup_days`` holds whole local days of ``ROLLUP_TZ`` (from
``zoneinfo``, so Tehran's past summer time is right too): a query in that zone reads its whole
days there and only its ragged ends from the slots. ``rollup_authors`` (migration 0010) keeps, per
brand × touchpoint × local day × author handle, the author's mentions and largest reach (the
top-authors charts); a maximum cannot be decremented, so when a mention that may have held it
goes (erased, anonymised, corrected off a touchpoint), that one counter's maximum is read again
from the remaining rows (one indexed lookup by handle and day).

Upkeep is application code in the writer's own transaction, not triggers: a Tehran day needs
``zoneinfo`` (SQLite has no time zones); each batch's changes are summed first and applied in key
order, so concurrent PostgreSQL writers lock counters in one order (no deadlocks; row triggers
would lock them in mention order); and the writers are few: ``MentionStore.save_batch``,
``correct_mention`` and ``erase`` (retention deletes through it; its own ``retained_counts`` keep
the daily trend of what it deleted), plus ``anonymise`` for the author counters. So the rollups
always equal the raw rows: a write that bypassed these (a bulk load) must run migrations 0009's
and 0010's backfills after it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
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
    Text,
    and_,
    bindparam,
    case,
    delete,
    exists,
    func,
    select,
    tuple_,
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


class RollupAuthor(Base):
    """An author's mentions and largest reach (followers, NULL as 0) per brand × touchpoint ×
    ``ROLLUP_TZ`` local day (``""`` = any, as above); ``author`` is the stored handle as written
    (the charts group by ``lower(author)``, as the raw rows are grouped)."""

    __tablename__ = "rollup_authors"
    __table_args__ = (
        PrimaryKeyConstraint("brand", "touchpoint", "day", "author"),
        {"sqlite_with_rowid": False},
    )

    brand: Mapped[str] = mapped_column(String(128))
    touchpoint: Mapped[str] = mapped_column(String(64))
    day: Mapped[date] = mapped_column(Date)
    author: Mapped[str] = mapped_column(Text)
    mentions: Mapped[int] = mapped_column(Integer, default=0)
    reach: Mapped[int] = mapped_column(Integer, default=0)


class RollupIdDay(Base):
    """The lowest and highest mention id stored per ``ROLLUP_TZ`` local day: bounds on the ids a
    date range can hold, which SQLite hands to FTS5 (``storage.filters``) instead of reading every
    row of the range for min(id)/max(id). Only ever widened: an erased mention leaves them a little
    wide, still true bounds."""

    __tablename__ = "rollup_id_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    low: Mapped[int] = mapped_column(Integer)
    high: Mapped[int] = mapped_column(Integer)


#: the author drill-down (``author:`` compares ``lower(author_handle)``): one index seek per author
#: and date range instead of every mention of the range (migration 0010 creates it)
AUTHOR_LOWER = Index("ix_mentions_author_lower", func.lower(Mention.author_handle), Mention.created_at)

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
    author: str | None = None
    followers: int | None = None


def slot_of(instant: datetime) -> int:
    return int(instant.timestamp()) // SLOT_SECONDS


@lru_cache(maxsize=4096)
def day_of_slot(slot: int) -> date:
    """The ``ROLLUP_TZ`` local day a slot lies in (slots never straddle local midnight)."""
    return datetime.fromtimestamp(slot * SLOT_SECONDS, UTC).astimezone(ZoneInfo(ROLLUP_TZ)).date()


#: (slot counts, day counts, author counts): see ``deltas``
Delta = tuple[Counter[tuple[Any, ...]], Counter[tuple[Any, ...]], Counter[tuple[Any, ...]]]


def deltas(mentions: Iterable[Dims], sign: int = 1, *, counts: bool = True) -> Delta:
    """(slot counts, day counts) keyed by (time, brand, touchpoint, source, lang, sentiment), and
    author counts keyed by (brand, touchpoint, day, author, followers); ``counts=False``: only
    the authors (anonymising forgets who wrote a mention, not that it was written)."""
    slots: Counter[tuple[Any, ...]] = Counter()
    days: Counter[tuple[Any, ...]] = Counter()
    authors: Counter[tuple[Any, ...]] = Counter()
    for m in mentions:
        slot = slot_of(m.created_at)
        day = day_of_slot(slot)
        for brand in (ANY, *dict.fromkeys(m.brands)):
            for touchpoint in (ANY, *dict.fromkeys(m.touchpoints)):
                if counts:
                    key = (brand, touchpoint, m.source, m.lang, m.sentiment)
                    slots[(slot, *key)] += sign
                    days[(day, *key)] += sign
                if m.author is not None:
                    authors[(brand, touchpoint, day, m.author, m.followers or 0)] += sign
    return slots, days, authors


def combine(after: Delta, before: Delta) -> Delta:
    """``after`` − ``before``, keys that cancel out dropped."""
    out: list[Counter[tuple[Any, ...]]] = []
    for new, old in zip(after, before, strict=True):
        diff = Counter(new)
        diff.subtract(old)
        out.append(Counter({k: v for k, v in diff.items() if v}))
    return out[0], out[1], out[2]


def apply(conn: Connection, delta: Delta, gone: Sequence[int] = ()) -> None:
    """Add ``delta`` to the counters in ``conn``'s transaction: upserts in key order (one lock
    order for every writer), then counters that reached zero are removed. ``gone``: mentions about
    to be deleted (or anonymised), left out when an author's largest reach is read again."""
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
        gone_rows = [row for row in rows if row["mentions"] < 0]
        if gone_rows:
            where = and_(table.c.mentions <= 0, *(table.c[n] == bindparam(f"k_{n}") for n in names))
            conn.execute(delete(table).where(where), [{f"k_{n}": r[n] for n in names} for r in gone_rows])
    if delta[2]:
        _apply_authors(conn, dialect, delta[2], gone)


_AUTHOR_KEY = ("brand", "touchpoint", "day", "author")


def _apply_authors(
    conn: Connection, dialect: Any, counts: Counter[tuple[Any, ...]], gone: Sequence[int]
) -> None:
    """Author counters: mentions added up, reach raised by what came; where a mention that may have
    held the largest reach went, that maximum is read again from the rows that stay."""
    merged: dict[tuple[Any, ...], list[int]] = {}  # key → [mentions, largest added, largest removed]
    for (*key, followers), n in counts.items():
        entry = merged.setdefault(tuple(key), [0, 0, -1])
        entry[0] += n
        index = 1 if n > 0 else 2
        entry[index] = max(entry[index], followers)
    table = RollupAuthor.__table__
    rows = [dict(zip(_AUTHOR_KEY, key, strict=True)) | {"mentions": n, "reach": added}
            for key, (n, added, _) in sorted(merged.items())]  # fmt: skip
    stmt = dialect.insert(table)
    reach = case((table.c.reach >= stmt.excluded.reach, table.c.reach), else_=stmt.excluded.reach)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(_AUTHOR_KEY),
        set_={"mentions": table.c.mentions + stmt.excluded.mentions, "reach": reach},
    )
    conn.execute(stmt, rows)
    shrunk = [row for row in rows if row["mentions"] < 0]
    if shrunk:
        where = and_(table.c.mentions <= 0, *(table.c[n] == bindparam(f"k_{n}") for n in _AUTHOR_KEY))
        conn.execute(delete(table).where(where), [{f"k_{n}": r[n] for n in _AUTHOR_KEY} for r in shrunk])
    # a counter whose stored maximum equals a removed reach may have lost its maximum
    removed = {key: entry[2] for key, entry in merged.items() if entry[2] >= 0}
    keys = sorted(removed)
    for start in range(0, len(keys), _CHUNK // 5):
        group = keys[start : start + _CHUNK // 5]
        found = conn.execute(
            select(*(table.c[n] for n in _AUTHOR_KEY), table.c.reach).where(
                tuple_(*(table.c[n] for n in _AUTHOR_KEY)).in_(group)
            )
        ).all()
        for *key, stored in found:
            if stored <= removed[tuple(key)]:
                _reread_reach(conn, tuple(key), gone)


def _reread_reach(conn: Connection, key: tuple[Any, ...], gone: Sequence[int]) -> None:
    """Set one author counter's reach to the largest of the mentions it still counts."""
    brand, touchpoint, day, author = key
    zone = ZoneInfo(ROLLUP_TZ)
    start = datetime(day.year, day.month, day.day, tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0), zone)
    m = Mention
    stmt = select(func.max(func.coalesce(m.author_followers, 0))).where(
        m.author_handle == author, m.created_at >= start, m.created_at < end
    )
    if gone:
        stmt = stmt.where(m.id.not_in(list(gone)))
    if brand != ANY:
        stmt = stmt.where(exists().where(MentionBrand.mention_id == m.id, MentionBrand.brand == brand))
    if touchpoint != ANY:
        stmt = stmt.where(
            exists().where(MentionAspect.mention_id == m.id, MentionAspect.aspect == touchpoint)
        )
    table = RollupAuthor.__table__
    where = [table.c[n] == v for n, v in zip(_AUTHOR_KEY, key, strict=True)]
    conn.execute(table.update().where(*where).values(reach=func.coalesce(stmt.scalar_subquery(), 0)))


def row_dims(row: dict[str, Any]) -> Dims:
    """A ``mentions`` row as ``MentionStore`` builds it (its brands and aspects become the tag rows)."""
    return Dims(row["created_at"], row["source"], row["lang"], row["sentiment_label"],
                tuple(row["brands"]), tuple(row["aspects"]), row["author_handle"],
                row["author_followers"])  # fmt: skip


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
        for mention_id, created, source, lang, sentiment, author, followers in conn.execute(
            select(m.id, m.created_at, m.source, m.lang, m.sentiment_label, m.author_handle,
                   m.author_followers).where(m.id.in_(group))
        ):  # fmt: skip
            tags = tuple(brands.get(mention_id, ())), tuple(aspects.get(mention_id, ()))
            found.append(Dims(created, source, lang, sentiment, *tags, author, followers))
    return found


def add_rows(conn: Connection, rows: Iterable[dict[str, Any]]) -> None:
    """Count newly stored mention rows (``MentionStore.save_batch``; each row with its new ``id``)."""
    rows = list(rows)
    apply(conn, deltas(row_dims(r) for r in rows))
    widen_id_days(conn, [(r["id"], r["created_at"]) for r in rows])


def widen_id_days(conn: Connection, stored: Iterable[tuple[int, datetime]]) -> None:
    """Widen the stored days' id bounds (``RollupIdDay``) to these (id, created_at) pairs."""
    bounds: dict[date, tuple[int, int]] = {}
    for mention_id, created in stored:
        day = day_of_slot(slot_of(created))
        low, high = bounds.get(day, (mention_id, mention_id))
        bounds[day] = (min(low, mention_id), max(high, mention_id))
    if not bounds:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    table = RollupIdDay.__table__
    stmt = dialect.insert(table)
    stmt = stmt.on_conflict_do_update(
        index_elements=["day"],
        set_={
            "low": case((table.c.low <= stmt.excluded.low, table.c.low), else_=stmt.excluded.low),
            "high": case((table.c.high >= stmt.excluded.high, table.c.high), else_=stmt.excluded.high),
        },
    )
    conn.execute(stmt, [{"day": d, "low": lo, "high": hi} for d, (lo, hi) in sorted(bounds.items())])


def remove(conn: Connection, ids: Sequence[int]) -> None:
    """Uncount mentions about to be deleted (call before their rows go)."""
    apply(conn, deltas(read_dims(conn, ids), sign=-1), gone=ids)


def forget_authors(conn: Connection, ids: Sequence[int]) -> None:
    """Uncount the authors of mentions about to be anonymised (call before their handles go)."""
    apply(conn, deltas(read_dims(conn, ids), sign=-1, counts=False), gone=ids)
