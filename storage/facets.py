"""Counts of the mentions a ``MentionQuery`` matches by one column (source, language) and the
loudest authors (by mentions or by reach): the explore page's side charts, on both backends."""

from __future__ import annotations

from datetime import date
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from storage import rollup_query
from storage.filters import conditions
from storage.models import Mention
from storage.query import MentionQuery
from storage.rollups import ROLLUP_TZ, RollupAuthor
from storage.search import within_matches

_COLUMNS = {"source": Mention.source, "lang": Mention.lang, "emotion": Mention.emotion}


def facet_counts(
    session: Session, query: MentionQuery, name: str, limit: int = 10, *, rollups: bool = True
) -> list[tuple[str, int]]:
    """(value, mentions) for ``name`` in source / lang / emotion, most first (ties by value)."""
    col = _COLUMNS[name]
    scope = rollup_query.scope_of(query) if rollups and name in ("source", "lang") else None
    if scope is not None:  # source and language are rollup dimensions (emotion is not)
        found = rollup_query.counts(session, scope, (name,))
        ranked = sorted(((str(v), n) for (v,), n in found.items()), key=lambda item: (-item[1], item[0]))
        return ranked[:limit]
    stmt = (
        select(col, func.count())
        .where(and_(True, col.is_not(None), *conditions(session, query), *within_matches(session, query)))
        .group_by(col)
        .order_by(func.count().desc(), col)
        .limit(limit)
    )
    return [(str(v), int(n)) for v, n in session.execute(stmt)]


def top_authors(
    session: Session,
    query: MentionQuery,
    by: Literal["volume", "reach"] = "volume",
    limit: int = 10,
    *,
    rollups: bool = True,
) -> list[tuple[str, int, int]]:
    """(handle, mentions, followers) of the loudest authors: most mentions, or largest reach.

    A brand/touchpoint query over whole Tehran days reads ``rollup_authors`` (an author's count
    and reach per day); anything else (search text, another filter, a ragged range) the rows."""
    days = _whole_days(query) if rollups else None
    if days is not None:
        return _authors_from_rollups(session, days, by, limit)
    handle = func.lower(Mention.author_handle)
    followers = func.max(func.coalesce(Mention.author_followers, 0))
    count = func.count()
    order = [count.desc(), followers.desc()] if by == "volume" else [followers.desc(), count.desc()]
    where = [Mention.author_handle.is_not(None), *conditions(session, query), *within_matches(session, query)]
    stmt = (
        select(handle, count, followers)
        .where(and_(True, *where))
        .group_by(handle)
        .order_by(*order, handle)
        .limit(limit)
    )
    return [(str(h), int(n), int(f)) for h, n, f in session.execute(stmt)]


def _whole_days(query: MentionQuery) -> tuple[rollup_query.Scope, date | None, date | None] | None:
    """The scope and its ``ROLLUP_TZ`` days [first, last) when ``rollup_authors`` can answer."""
    scope = rollup_query.scope_of(query)
    if scope is None or any(s is not None for s in (scope.sources, scope.sentiments, scope.langs)):
        return None
    zone = ZoneInfo(ROLLUP_TZ)
    bounds: list[date | None] = []
    for moment in (scope.since, scope.until):
        if moment is None:
            bounds.append(None)
            continue
        local = moment.astimezone(zone)
        if (local.hour, local.minute, local.second, local.microsecond) != (0, 0, 0, 0):
            return None  # not a local midnight: a ragged end only the rows can count
        bounds.append(local.date())
    return scope, bounds[0], bounds[1]


def _authors_from_rollups(
    session: Session,
    days: tuple[rollup_query.Scope, date | None, date | None],
    by: Literal["volume", "reach"],
    limit: int,
) -> list[tuple[str, int, int]]:
    scope, first, last = days
    table = RollupAuthor
    handle = func.lower(table.author)
    count, reach = func.sum(table.mentions), func.max(table.reach)
    order = [count.desc(), reach.desc()] if by == "volume" else [reach.desc(), count.desc()]
    stmt = select(handle, count, reach).where(
        table.brand == scope.brand, table.touchpoint == scope.touchpoint
    )
    if first is not None:
        stmt = stmt.where(table.day >= first)
    if last is not None:
        stmt = stmt.where(table.day < last)
    stmt = stmt.group_by(handle).order_by(*order, handle).limit(limit)
    return [(str(h), int(n), int(f)) for h, n, f in session.execute(stmt)]
