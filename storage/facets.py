"""Counts of the mentions a ``MentionQuery`` matches by one column (source, language) and the
loudest authors (by mentions or by reach): the explore page's side charts, on both backends."""

from __future__ import annotations

from typing import Literal

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from storage import rollup_query
from storage.filters import conditions
from storage.models import Mention
from storage.query import MentionQuery

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
        .where(and_(True, col.is_not(None), *conditions(session, query)))
        .group_by(col)
        .order_by(func.count().desc(), col)
        .limit(limit)
    )
    return [(str(v), int(n)) for v, n in session.execute(stmt)]


def top_authors(
    session: Session, query: MentionQuery, by: Literal["volume", "reach"] = "volume", limit: int = 10
) -> list[tuple[str, int, int]]:
    """(handle, mentions, followers) of the loudest authors: most mentions, or largest reach."""
    handle = func.lower(Mention.author_handle)
    followers = func.max(func.coalesce(Mention.author_followers, 0))
    count = func.count()
    order = [count.desc(), followers.desc()] if by == "volume" else [followers.desc(), count.desc()]
    stmt = (
        select(handle, count, followers)
        .where(and_(True, Mention.author_handle.is_not(None), *conditions(session, query)))
        .group_by(handle)
        .order_by(*order, handle)
        .limit(limit)
    )
    return [(str(h), int(n), int(f)) for h, n, f in session.execute(stmt)]
