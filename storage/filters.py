"""A ``MentionQuery``'s filters as SQL: the WHERE conditions on ``mentions`` that search and the
aggregates share, on SQLite (FTS5) and PostgreSQL (tsvector + GIN) alike.

Sort and paging are not filters: ``storage.search`` applies them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, column, exists, func, intersect, literal, literal_column, select, table
from sqlalchemy.orm import Session

from storage.boolean_query import plan_query
from storage.boolean_query.compile import condition, fts5, tsquery
from storage.fts import POSTGRES_VECTOR_COLUMN, SQLITE_FTS_TABLE
from storage.models import Mention, MentionAspect, MentionBrand
from storage.query import MentionQuery
from storage.rollup_query import id_bounds

#: the SQLite FTS5 table as a selectable (its rowid is ``mentions.id``)
FTS5_ROWS = table(SQLITE_FTS_TABLE, column("rowid"))
#: the PostgreSQL search vector (a generated column the ORM does not map)
PG_VECTOR = literal_column(f"mentions.{POSTGRES_VECTOR_COLUMN}")


def dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def conditions(session: Session, query: MentionQuery) -> list[Any]:
    """WHERE conditions on ``Mention`` for every filter of ``query`` (sort/paging aside)."""
    conds: list[Any] = []
    id_sets: list[Select[Any]] = []  # SQLite only: sets of mention ids to intersect
    sqlite = dialect(session) != "postgresql"
    plan = plan_query(query.text, query.tz)  # QueryError is a SearchError, with the column
    if plan.since or plan.until:  # date: ranges in the text narrow since/until (AND)
        since = max(d for d in (query.since, plan.since) if d) if query.since or plan.since else None
        until = min(d for d in (query.until, plan.until) if d) if query.until or plan.until else None
        query = query.model_copy(update={"since": since, "until": until})
    if plan.text is not None:
        if dialect(session) == "postgresql":
            conds.append(PG_VECTOR.op("@@")(tsquery(plan.text)))
        else:
            match = [literal_column(SQLITE_FTS_TABLE).op("MATCH")(literal(fts5(plan.text)))]
            if query.since or query.until:
                # ids grow with collection time, so the date range bounds the ids; FTS5 uses
                # rowid bounds to skip the rest of each term's list instead of reading it all.
                # The bounds are kept per day on write (rollup_query.id_bounds): min/max(id) over
                # the range would read every index entry of it (a month: ~80k, 40-80 ms).
                low, high = id_bounds(session, query.since, query.until)
                rowid = FTS5_ROWS.c.rowid
                match += [rowid >= low, rowid <= high]
            id_sets.append(select(FTS5_ROWS.c.rowid).where(*match))
    for child, key, values in (
        (MentionBrand, MentionBrand.brand, query.brands),
        (MentionAspect, MentionAspect.aspect, query.aspects),
    ):
        if not values:
            continue
        # the copied created_at lets the (brand|aspect, created_at) index narrow the range too
        where = [key.in_(values)]
        if query.since:
            where.append(child.created_at >= query.since)
        if query.until:
            where.append(child.created_at < query.until)
        if sqlite and plan.text is None and (query.since or query.until):
            # without search text the brand/touchpoint rows in the date range drive the query;
            # with it the (date-bounded) FTS matches are fewer and each is probed by primary key
            id_sets.append(select(child.mention_id).where(*where))
        else:
            conds.append(exists().where(child.mention_id == Mention.id, *where))
    if len(id_sets) == 1:
        conds.append(Mention.id.in_(id_sets[0].scalar_subquery()))
    elif id_sets:
        # SQLite, brand and touchpoint in a date range: intersect their id sets before
        # touching mentions
        conds.append(Mention.id.in_(intersect(*id_sets).scalar_subquery()))
    if query.sources:
        conds.append(Mention.source.in_(query.sources))
    if query.sentiments:
        conds.append(Mention.sentiment_label.in_(query.sentiments))
    if query.langs:
        conds.append(Mention.lang.in_(query.langs))
    if query.author:
        conds.append(func.lower(Mention.author_handle) == query.author.lower())
    if query.since:
        conds.append(Mention.created_at >= query.since)
    if query.until:
        conds.append(Mention.created_at < query.until)
    if query.min_followers is not None:
        conds.append(Mention.author_followers >= query.min_followers)
    conds += [condition(node, not sqlite) for node in plan.rest]
    return conds
