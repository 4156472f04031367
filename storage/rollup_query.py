"""Reading the rollups (``storage.rollups``) for a ``MentionQuery`` the counters can answer exactly.

A query is answered from the rollups when every filter is a rollup dimension: at most one brand
and one touchpoint (a mention naming two of them would be counted twice), any sources, sentiments
and languages, and a date range on 15-minute boundaries (local days and hours always are). Search
text, authors, reach, emotions and other boolean shapes (OR, NOT across fields) return None from
``scope_of``: the caller then counts raw rows, bounded by ``storage.limits``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import Date, Integer, cast, func, null, select, text, union_all
from sqlalchemy.orm import Session

from storage.boolean_query import plan_query
from storage.boolean_query.nodes import Field
from storage.models import Mention
from storage.query import MentionQuery
from storage.rollups import (
    ANY,
    ROLLUP_TZ,
    SLOT_SECONDS,
    RollupDay,
    RollupIdDay,
    RollupSlot,
    day_of_slot,
    slot_of,
)

_SETS = {"source": "sources", "sentiment": "sentiments", "lang": "langs"}


@dataclass(frozen=True)
class Scope:
    """A query in rollup terms: ``brand``/``touchpoint`` one name or ``ANY``; sets None = any."""

    brand: str
    touchpoint: str
    sources: frozenset[str] | None
    sentiments: frozenset[str] | None
    langs: frozenset[str] | None
    since: datetime | None
    until: datetime | None
    tz: str


def _one(sets: list[set[str]]) -> str | None:
    """The single name every constraint asks for; ANY without constraints; None otherwise."""
    if not sets:
        return ANY
    first = sets[0]
    return next(iter(first)) if len(first) == 1 and all(s == first for s in sets) else None


def _aligned(moment: datetime | None) -> bool:
    return moment is None or (moment.timestamp() % SLOT_SECONDS == 0)


def scope_of(query: MentionQuery) -> Scope | None:
    """``query`` as rollup filters, or None when only the raw rows can answer it.

    Raises the query's own ``QueryError`` (as ``storage.filters`` would) for a bad query."""
    if query.author or query.min_followers is not None:
        return None
    plan = plan_query(query.text, query.tz)
    if plan.text is not None:
        return None
    tags: dict[str, list[set[str]]] = {"brand": [], "touchpoint": []}
    if query.brands:
        tags["brand"].append(set(query.brands))
    if query.aspects:
        tags["touchpoint"].append(set(query.aspects))
    sets: dict[str, set[str] | None] = {
        name: set(getattr(query, attr)) or None for name, attr in _SETS.items()
    }
    for node in plan.rest:
        if not isinstance(node, Field):
            return None
        if node.name in tags:
            tags[node.name].append(set(node.values))
        elif node.name in sets:
            known = sets[node.name]
            sets[node.name] = set(node.values) if known is None else known & set(node.values)
        else:  # author, emotion, reach: not rollup dimensions
            return None
    brand, touchpoint = _one(tags["brand"]), _one(tags["touchpoint"])
    if brand is None or touchpoint is None:
        return None
    since, until = plan.range_within(query.since, query.until)
    if not (_aligned(since) and _aligned(until)):
        return None
    frozen = {name: frozenset(v) if v is not None else None for name, v in sets.items()}
    return Scope(brand, touchpoint, frozen["source"], frozen["sentiment"], frozen["lang"], since, until,
                 query.tz)  # fmt: skip


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone)


def _pieces(scope: Scope, whole_days: bool) -> list[tuple[Any, Any, Any]]:
    """(table, low, high) ranges covering [since, until): whole ``ROLLUP_TZ`` days from
    ``rollup_days`` (when allowed), the ragged ends from ``rollup_slots``; None = unbounded."""
    low = slot_of(scope.since) if scope.since else None
    high = slot_of(scope.until) if scope.until else None
    if not whole_days:
        return [(RollupSlot, low, high)]
    zone = ZoneInfo(ROLLUP_TZ)
    first = last = None
    if scope.since:
        local = scope.since.astimezone(zone)
        first = local.date() if _midnight(local.date(), zone) == local else local.date() + timedelta(days=1)
    if scope.until:
        last = scope.until.astimezone(zone).date()  # days before it are whole
    if first is not None and last is not None and first >= last:
        return [(RollupSlot, low, high)]
    pieces: list[tuple[Any, Any, Any]] = [(RollupDay, first, last)]
    if first is not None and low is not None and slot_of(_midnight(first, zone)) > low:
        pieces.append((RollupSlot, low, slot_of(_midnight(first, zone))))
    if last is not None and high is not None and slot_of(_midnight(last, zone)) < high:
        pieces.append((RollupSlot, slot_of(_midnight(last, zone)), high))
    return pieces


def counts(
    session: Session,
    scope: Scope,
    by: Sequence[str],
    time: Literal["slot", "day"] | None = None,
    *,
    brands: Sequence[str] | None = None,
    touchpoints: Sequence[str] | None = None,
) -> Counter[tuple[Any, ...]]:
    """Mentions per (time?, *by): ``time`` "slot" gives slots; "day" gives the slot a row starts
    at (a whole local day's rows: its midnight), fine for any bucket of a day or more.

    ``brands``/``touchpoints`` replace the scope's one name by a set (share of voice and the
    touchpoint chart group by them, each mention counted once per name it carries). One statement
    whatever the pieces (a UNION ALL): each round trip counts on a busy server."""
    # Tehran days serve any range, but as buckets only a Tehran query's (another zone's days differ)
    whole_days = time is None or (time == "day" and scope.tz == ROLLUP_TZ)
    parts = []
    for table, low, high in _pieces(scope, whole_days):
        slot_col, day_col = (table.slot, None) if table is RollupSlot else (None, table.day)
        time_col = slot_col if slot_col is not None else day_col
        # slot and day side by side (the other NULL): PostgreSQL unions only columns of one type
        times = [slot_col if slot_col is not None else cast(null(), Integer),
                 day_col if day_col is not None else cast(null(), Date)] if time else []  # fmt: skip
        groups = [c for c in (slot_col, day_col) if c is not None and time]
        dims = [getattr(table, name) for name in by]
        stmt = select(*times, *dims, func.sum(table.mentions)).group_by(*groups, *dims)
        tag, point = table.brand, table.touchpoint
        stmt = stmt.where(tag.in_(brands) if brands is not None else tag == scope.brand)
        stmt = stmt.where(point.in_(touchpoints) if touchpoints is not None else point == scope.touchpoint)
        for column, allowed in ((table.source, scope.sources), (table.sentiment, scope.sentiments),
                                (table.lang, scope.langs)):  # fmt: skip
            if allowed is not None:
                stmt = stmt.where(column.in_(sorted(allowed)))
        if low is not None:
            stmt = stmt.where(time_col >= low)
        if high is not None:
            stmt = stmt.where(time_col < high)
        parts.append(stmt)
    out: Counter[tuple[Any, ...]] = Counter()
    zone = ZoneInfo(ROLLUP_TZ)
    for row in session.execute(parts[0] if len(parts) == 1 else union_all(*parts)):
        if time:
            slot, day = row[0], row[1]
            key = (slot if slot is not None else slot_of(_midnight(day, zone)), *row[2:-1])
        else:
            key = tuple(row[:-1])
        out[key] += int(row[-1] or 0)  # no group: one row, its sum NULL when nothing matched
    return out


#: a loose index scan: the next name after the last one found, one index seek each (the names lead
#: the key, so a plain DISTINCT would read every day of every name)
_NAMES = {
    "brand": "SELECT brand FROM rollup_days WHERE brand > {last} ORDER BY brand LIMIT 1",
    "touchpoint": "SELECT touchpoint FROM rollup_days WHERE brand = :brand AND touchpoint > {last} "
    "ORDER BY touchpoint LIMIT 1",
}


def names(session: Session, column: Literal["brand", "touchpoint"], brand: str = ANY) -> list[str]:
    """Every brand (or touchpoint of ``brand``) the rollups hold, in one statement."""
    first, then = _NAMES[column].format(last="''"), _NAMES[column].format(last="seen.name")
    stmt = text(
        f"WITH RECURSIVE seen(name) AS (SELECT ({first}) "
        f"UNION ALL SELECT ({then}) FROM seen WHERE seen.name IS NOT NULL) "
        "SELECT name FROM seen WHERE name IS NOT NULL"
    )
    return list(session.scalars(stmt, {"brand": brand} if column == "touchpoint" else {}))


def total(session: Session, scope: Scope) -> int:
    """How many mentions the scope holds."""
    return sum(counts(session, scope, ()).values())


def search_page(session: Session, query: MentionQuery, where: Any) -> tuple[int, list[int]] | None:
    """(total, ids of one page) for a search the rollups count, newest or oldest first; None for any
    other. The total comes from the counters, so the page is read straight off the created_at index
    and stops after ``limit`` rows, instead of counting every match of a month first."""
    scope = scope_of(query) if query.sort in ("newest", "oldest") else None
    if scope is None:
        return None
    found = total(session, scope)
    if found <= query.offset:
        return found, []
    order = [Mention.created_at.desc(), Mention.id.desc()]
    if query.sort == "oldest":
        order = [Mention.created_at.asc(), Mention.id.asc()]
    stmt = select(Mention.id).where(where).order_by(*order).limit(query.limit).offset(query.offset)
    return found, list(session.scalars(stmt))


def id_bounds(session: Session, since: datetime | None, until: datetime | None) -> tuple[int, int]:
    """(low, high) such that every mention created in [since, until) has low <= id <= high (the
    local days it touches, from ``rollup_id_days``); (1, 0) when none can be there."""
    stmt = select(func.min(RollupIdDay.low), func.max(RollupIdDay.high))
    if since is not None:
        stmt = stmt.where(RollupIdDay.day >= day_of_slot(slot_of(since)))
    if until is not None:  # the day holding the range's last instant (until itself is excluded)
        stmt = stmt.where(RollupIdDay.day <= day_of_slot(slot_of(until - timedelta(microseconds=1))))
    low, high = session.execute(stmt).one()
    return (low, high) if low is not None else (1, 0)
