"""Full-text search of the archive: one page of mentions (plus the total), or all of them streamed.

The same functions answer a ``MentionQuery`` on SQLite (FTS5, bm25 relevance) and PostgreSQL
(tsvector + GIN, ts_rank_cd relevance), and ``tests/archive/`` checks that the answers match.
The filters are ``storage.filters``; the search language is ``storage.boolean_query``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import BigInteger, Select, and_, bindparam, func, literal, literal_column, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from storage import rollup_query
from storage.boolean_query import plan_query
from storage.boolean_query.compile import fts5, tsquery
from storage.filters import FTS5_ROWS, PG_VECTOR, conditions, dialect, narrowed_by_day
from storage.fts import SQLITE_FTS_TABLE
from storage.models import Mention
from storage.query import MentionHit, MentionQuery, SearchPage


def _order_by(session: Session, query: MentionQuery) -> list[Any]:
    newest = [Mention.created_at.desc(), Mention.id.desc()]
    if query.sort == "oldest":
        return [Mention.created_at.asc(), Mention.id.asc()]
    if query.sort == "reach":  # coalesce: NULLs sort differently on the two backends
        return [func.coalesce(Mention.author_followers, -1).desc(), *newest]
    if query.sort == "urgency":
        return [Mention.urgency.desc(), *newest]
    ranked = plan_query(query.text, query.tz).text if query.sort == "relevance" else None
    if ranked is not None:  # relevance of the full-text part; a query without one: newest first
        if dialect(session) == "postgresql":
            rank = func.ts_rank_cd(PG_VECTOR, tsquery(ranked))
            return [rank.desc(), *newest]
        raise AssertionError("SQLite relevance is ordered by _sorted()")
    return newest


def _sorted(session: Session, query: MentionQuery, stmt: Select[Any]) -> Select[Any]:
    """``stmt`` (a select over mentions) in ``query.sort`` order.

    Relevance on SQLite: bm25() only works while FTS5 itself walks the matches, so the ranks
    come from a materialised CTE over the FTS table, joined by id (as a correlated subquery it
    would rerun the full-text query for every row).
    """
    matched = plan_query(query.text, query.tz).text if query.sort == "relevance" else None
    if matched is not None and dialect(session) != "postgresql":
        # every result matches the plan's full-text part (it is AND-ed), so the join keeps them all
        fts = literal_column(SQLITE_FTS_TABLE)
        match = fts.op("MATCH")(literal(fts5(matched)))
        ranked = (
            select(FTS5_ROWS.c.rowid.label("rid"), func.bm25(fts).label("rank"))
            .where(match)
            .cte("ranked")
            .prefix_with("MATERIALIZED")
        )
        stmt = stmt.join(ranked, ranked.c.rid == Mention.id)
        return stmt.order_by(
            ranked.c.rank.asc(), Mention.created_at.desc(), Mention.id.desc()
        )  # lower is better
    return stmt.order_by(*_order_by(session, query))


def search_mentions(session: Session, query: MentionQuery) -> SearchPage:
    """One page of mentions matching ``query`` plus the total count.

    Ordering is total (ties broken by id) so pages never overlap. Raises ``SearchError`` for
    search text that cannot be searched (e.g. only punctuation).
    """
    where = and_(True, *conditions(session, query))
    counted = rollup_query.search_page(session, query, where)  # total from the rollups when they can
    if counted is not None:
        total, ids = counted
    elif query.text or query.brands or query.aspects or query.author:
        # selective: one pass gives the page and the total (count(*) OVER ()); a separate count
        # would evaluate the full-text and brand conditions a second time
        page = select(Mention.id, func.count().over())
        matched = within_matches(session, query)
        fenced = dialect(session) == "postgresql" and not matched
        # with the index bounded to the range's days (storage.filters) the range is no index
        # condition, so nothing walks it; the fence still stops a walk of the whole created_at
        # index for the ORDER BY (a common word without a brand: 0.7 s unfenced, 0.06 s fenced)
        unindexed = fenced and bool(query.text) and not narrowed_by_day(session, query)
        if matched:  # the full-text matches in the date range by id: the rest probes them by key
            where = and_(where, *matched)
        elif fenced:
            # filter first, order after: with ORDER BY … LIMIT in view PostgreSQL walks the
            # created_at index testing every row of the range against the tsquery (time-ordered
            # rows make that look cheap) instead of ANDing the GIN and date bitmaps, 5-7x faster
            # at a million mentions; a materialised CTE and no plain index scans for this one
            # statement keep the two steps apart
            hits = select(Mention.id).where(where).cte("hits").prefix_with("MATERIALIZED")
            where = Mention.id.in_(select(hits.c.id))
        with _no_plain_index_scans(session, unindexed):
            rows = session.execute(
                _sorted(session, query, page.where(where)).limit(query.limit).offset(query.offset)
            ).all()
        ids = [r[0] for r in rows]
        # no row: either nothing matches, or the offset is past the end (then count)
        total = rows[0][1] if rows else (_count(session, where) if query.offset else 0)
    else:
        # broad: count(*) is cheap and the page comes straight off the created_at index
        total = _count(session, where)
        ids = list(
            session.scalars(
                _sorted(session, query, select(Mention.id).where(where))
                .limit(query.limit)
                .offset(query.offset)
            )
        )
    if not ids:
        return SearchPage(total=total, items=[])
    by_id = {m.id: m for m in session.scalars(select(Mention).where(Mention.id.in_(ids)))}
    return SearchPage(total=total, items=[MentionHit.from_row(by_id[i]) for i in ids])


def _count(session: Session, where: Any) -> int:
    return session.execute(select(func.count()).select_from(Mention).where(where)).scalar_one()


def iter_mentions(
    session: Session, query: MentionQuery, *, limit: int | None = None, chunk: int = 1000
) -> Iterator[MentionHit]:
    """Every matching mention in ``query.sort`` order, streamed (for exports); ignores paging."""
    stmt = _sorted(session, query, select(Mention).where(and_(True, *conditions(session, query))))
    if limit is not None:
        stmt = stmt.limit(limit)
    result = session.execute(stmt.execution_options(yield_per=chunk))
    try:
        for row in result.scalars():
            yield MentionHit.from_row(row)
    finally:  # a reader that stops early (closing the generator) releases the cursor now
        result.close()


def newest_texts(session: Session, query: MentionQuery, limit: int) -> list[str]:
    """The normalised text (as indexed) of the ``limit`` newest matches: what the explore page's
    top terms count, one column read instead of whole mention rows, and no normalising again."""
    where = and_(True, *conditions(session, query))
    matched = within_matches(session, query)
    if matched:
        where = and_(where, *matched)
    elif dialect(session) == "postgresql" and plan_query(query.text, query.tz).text is not None:
        # as in search_mentions: the matches first (GIN and date bitmaps), then the newest of them
        hits = select(Mention.id).where(where).cte("hits").prefix_with("MATERIALIZED")
        where = Mention.id.in_(select(hits.c.id))
    stmt = (
        select(Mention.normalized_text)
        .where(where)
        .order_by(Mention.created_at.desc(), Mention.id.desc())
        .limit(limit)
    )
    return [t or "" for t in session.scalars(stmt)]


#: the full-text matches of the query a page is drawing (``matches_once``): its charts share them
_SHARED: ContextVar[tuple[tuple[Any, ...], list[int]] | None] = ContextVar("fulltext_matches", default=None)


def _match_key(query: MentionQuery) -> tuple[Any, ...]:
    return (query.text, query.tz, query.since, query.until)


def fulltext_matches(session: Session, query: MentionQuery) -> list[int] | None:
    """PostgreSQL, search text and a date range: the ids of the mentions ``query`` matches; None
    otherwise (SQLite bounds FTS5 by id already, ``storage.filters``: reading the matches once
    per page measured no faster there).

    One statement over the full-text index, which holds each mention's UTC day and brands beside
    the words (``storage.filters.index_narrowing``). Where it cannot name the days (a prefix, a
    long range, no btree_gin): no plain index scans, or the planner may walk the date index and
    test every row of the range against the tsquery (it prices the test as cheap, but fetching
    and testing ~80,000 rows a month is not)."""
    if dialect(session) != "postgresql":
        return None
    plan = plan_query(query.text, query.tz)
    since, until = plan.range_within(query.since, query.until)
    if plan.text is None or since is None or until is None:
        return None
    stmt = select(Mention.id).where(*conditions(session, query))
    # with the days named to the index the range is no indexable condition: nothing to walk
    with _no_plain_index_scans(session, not narrowed_by_day(session, query)):
        return list(session.scalars(stmt))


@contextmanager
def _no_plain_index_scans(session: Session, when: bool) -> Iterator[None]:
    """PostgreSQL, ``when``: no plain index scans for the statements inside (bitmaps only), then the
    default again; the planner would otherwise walk an index in order and test each row."""
    if not when:
        yield
        return
    session.execute(text("SET LOCAL enable_indexscan = off"))
    try:
        yield
    finally:
        session.execute(text("SET LOCAL enable_indexscan TO DEFAULT"))


def _among(ids: list[int]) -> Any:
    """``Mention.id`` in ``ids`` as IN (SELECT unnest(…)), not = ANY(…): the planner reads ANY as
    one more filter on a walk of the date index (it multiplies the selectivities); a set of ids
    it joins by primary key."""
    return Mention.id.in_(select(func.unnest(bindparam("matched_ids", ids, type_=ARRAY(BigInteger)))))


def within_matches(session: Session, query: MentionQuery) -> list[Any]:
    """Inside ``matches_once`` for this query: an extra WHERE condition, its full-text matches by
    id, so the statement probes those rows by primary key instead of matching again; else []."""
    shared = _SHARED.get()
    if shared is None or shared[0] != _match_key(query):
        return []
    return [_among(shared[1])]


@contextmanager
def matches_once(session: Session, query: MentionQuery) -> Iterator[None]:
    """Inside: every statement for ``query`` (same text, zone and dates) reuses one reading of its
    full-text matches: the explore page draws nine charts of one query (read once per page, never
    kept past it)."""
    ids = fulltext_matches(session, query)
    token = _SHARED.set((_match_key(query), ids) if ids is not None else None)
    try:
        yield
    finally:
        _SHARED.reset(token)
