"""A ``MentionQuery``'s filters as SQL: the WHERE conditions on ``mentions`` that search and the
aggregates share, on SQLite (FTS5) and PostgreSQL (tsvector + GIN) alike.

Sort and paging are not filters: ``storage.search`` applies them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import (
    Date,
    Engine,
    Select,
    Text,
    and_,
    any_,
    bindparam,
    column,
    exists,
    func,
    intersect,
    literal,
    literal_column,
    select,
    table,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from storage.boolean_query import Plan, plan_query
from storage.boolean_query.compile import condition, fts5, tsquery
from storage.boolean_query.nodes import And, Field, Near, Node, Not, Or, Term
from storage.fts import (
    POSTGRES_DAY_EXPRESSION,
    POSTGRES_VECTOR_COLUMN,
    POSTGRES_VECTOR_INDEX,
    SQLITE_FTS_TABLE,
)
from storage.models import Mention, MentionAspect, MentionBrand
from storage.query import MentionQuery
from storage.rollup_query import id_bounds

#: the SQLite FTS5 table as a selectable (its rowid is ``mentions.id``)
FTS5_ROWS = table(SQLITE_FTS_TABLE, column("rowid"))
#: the PostgreSQL search vector (a generated column the ORM does not map)
PG_VECTOR = literal_column(f"mentions.{POSTGRES_VECTOR_COLUMN}")
#: the UTC day the full-text index holds beside the words (migration 0011), spelt as the index
#: spells it so that the planner matches the two
PG_DAY = literal_column(POSTGRES_DAY_EXPRESSION.replace("created_at", "mentions.created_at"), Date)
#: the most UTC days a query names to the index one by one (one short index scan each, about
#: 0.1-0.3 ms at a million mentions); a longer range is left to the date index's bitmap. Measured
#: at a million (one word and brand): day keys 12-29 ms against 31-58 ms for a month, 27-65
#: against 59-111 ms for 91 days, and no clear winner at 182 days
MAX_INDEX_DAYS = 93
#: the fewest UTC days for which the brands are named to the index too (``index_narrowing``)
BRANDS_FROM_DAYS = 7


def dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def conditions(session: Session, query: MentionQuery) -> list[Any]:
    """WHERE conditions on ``Mention`` for every filter of ``query`` (sort/paging aside)."""
    conds: list[Any] = []
    id_sets: list[Select[Any]] = []  # SQLite only: sets of mention ids to intersect
    sqlite = dialect(session) != "postgresql"
    plan = plan_query(query.text, query.tz)  # QueryError is a SearchError, with the column
    query = _with_text_dates(query, plan)
    by_day = False  # PostgreSQL: the index narrows to the range's days (index_narrowing)
    if plan.text is not None:
        if dialect(session) == "postgresql":
            conds.append(PG_VECTOR.op("@@")(tsquery(plan.text)))
            narrowing = index_narrowing(session, query, plan)
            by_day = any(n.by_day for n in narrowing)
            conds += [n.condition for n in narrowing]
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
            # brand and touchpoint tested on each match before its mention row is read: a
            # month's matches of a common word are ~4,000 rows on as many pages, the brand's
            # share of them a third (a cold page cache: ~110 ms of reads for the rows, ~40 ms
            # for the tags' key pages); covering primary-key probes, no date (the rows check it)
            match += [select(child.mention_id).where(child.mention_id == FTS5_ROWS.c.rowid, key.in_(values))
                      .exists() for child, key, values in _tag_filters(query, plan)]  # fmt: skip
            id_sets.append(select(FTS5_ROWS.c.rowid).where(*match))
    for child, key, values in _query_tags(query):
        if not values or (sqlite and plan.text is not None):  # SQLite with text: in the FTS set
            continue
        # the copied created_at lets the (brand|aspect, created_at) index narrow the range too
        where = [key.in_(values)]
        if query.since:
            where.append(child.created_at >= query.since)
        if query.until:
            where.append(child.created_at < query.until)
        if sqlite and (query.since or query.until):
            # without search text the brand/touchpoint rows in the date range drive the query
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
    dates = ([Mention.created_at >= query.since] if query.since else []) + (
        [Mention.created_at < query.until] if query.until else []
    )
    if by_day:
        # the exact range as a filter only (IS TRUE: no index answers it): the day keys already
        # bound the index scan to the range's days; left indexable, the planner ANDs the bitmap
        # of the date index's whole range (a month: 80,000 entries, 5-10 ms) to trim two ragged
        # days, or reads the words for every day of the archive and keeps that bitmap instead
        conds.append(and_(*dates).is_(true()))
    else:
        conds += dates
    if query.min_followers is not None:
        conds.append(Mention.author_followers >= query.min_followers)
    moved = sqlite and plan.text is not None  # SQLite: the tag fields went into the FTS set
    conds += [condition(node, not sqlite) for node in plan.rest if not (moved and _tag_field(node))]
    return conds


_TAGS = {"brand": (MentionBrand, MentionBrand.brand), "touchpoint": (MentionAspect, MentionAspect.aspect)}


def _tag_field(node: Node) -> bool:
    return isinstance(node, Field) and node.name in _TAGS


def _query_tags(query: MentionQuery) -> list[tuple[Any, Any, list[str]]]:
    """(tag table, its name column, any of these names) for the query's brand and touchpoint lists."""
    return [(*_TAGS["brand"], list(query.brands)), (*_TAGS["touchpoint"], list(query.aspects))]


def _tag_filters(query: MentionQuery, plan: Plan) -> list[tuple[Any, Any, list[str]]]:
    """(tag table, its name column, any of these names) for every brand and touchpoint filter
    ANDed at the top: the query's lists and the text's ``brand:``/``touchpoint:`` fields."""
    found = [tag for tag in _query_tags(query) if tag[2]]
    found += [(*_TAGS[node.name], list(node.values)) for node in plan.rest if _tag_field(node)]
    return found


def _with_text_dates(query: MentionQuery, plan: Plan) -> MentionQuery:
    """``query`` with the text's own date ranges ANDed into since/until."""
    if not (plan.since or plan.until):
        return query
    since, until = plan.range_within(query.since, query.until)
    return query.model_copy(update={"since": since, "until": until})


def narrowed_by_day(session: Session, query: MentionQuery) -> bool:
    """Whether ``conditions`` bound the full-text index scan to the range's UTC days (PostgreSQL):
    the date range is then no indexable condition, so no plan walks the date index."""
    if dialect(session) != "postgresql":
        return False
    plan = plan_query(query.text, query.tz)
    if plan.text is None:
        return False
    return any(n.by_day for n in index_narrowing(session, _with_text_dates(query, plan), plan))


@dataclass(frozen=True)
class Narrowing:
    condition: Any
    #: the condition names the range's UTC days
    by_day: bool = False


def index_narrowing(session: Session, query: MentionQuery, plan: Plan) -> list[Narrowing]:
    """PostgreSQL, search text: the query's UTC days and brands as conditions the full-text index
    answers together with the words (migration 0011), so that a keyword + brand + month query
    reads a few hundred index entries instead of the word's posting list for the whole archive
    ANDed with the month's date index. Both are implied by conditions that stay (the exact
    ``created_at`` range; the ``mention_brands`` rows, written from the same list as
    ``mentions.brands`` and never changed apart from it): they narrow, they decide nothing.
    No day where the index lacks it (btree_gin missing), the range is open or too long, or a
    word is a prefix (GIN would gather the prefix's entries once per day). ``query`` has the
    text's own dates already merged into since/until."""
    keys = vector_index_keys(session)
    conds: list[Narrowing] = []
    days = None
    if "day" in keys and query.since is not None and query.until is not None and not _prefixed(plan.text):
        days = utc_days(query.since, query.until)
        if days is not None:
            day = PG_DAY
            conds.append(Narrowing(day == any_(bindparam(None, days, type_=ARRAY(Date))), by_day=True))
    # brands beside a few days: no. A few days' entries are few already, and a statement run ten
    # times in one transaction (the saved searches' hourly counts) gets a generic plan, which
    # cannot price a brand it does not know: it then drops the day keys for the brand and reads
    # the word's posting list for the whole archive (190 ms instead of 0.4 ms at a million)
    if "brands" in keys and (days is None or len(days) >= BRANDS_FROM_DAYS):
        wanted = [list(query.brands)] if query.brands else []
        wanted += [list(n.values) for n in plan.rest if isinstance(n, Field) and n.name == "brand"]
        for names in wanted:  # ?| : the JSON array holds any of these strings
            brands = bindparam(None, sorted(set(names)), type_=ARRAY(Text))
            conds.append(Narrowing(Mention.brands.op("?|", is_comparison=True)(brands)))
    return conds


def _prefixed(node: Node | None) -> bool:
    """Whether a full-text node has a prefix term (``word*``) anywhere in it."""
    if isinstance(node, Term):
        return node.clause.prefix
    if isinstance(node, Near):
        return _prefixed(node.left) or _prefixed(node.right)
    if isinstance(node, And | Or):
        return any(_prefixed(c) for c in node.children)
    if isinstance(node, Not):
        return _prefixed(node.child)
    return False


def utc_days(since: datetime, until: datetime) -> list[date] | None:
    """The UTC dates of every instant in [since, until); None when more than ``MAX_INDEX_DAYS``."""
    if until <= since:
        return []
    first = since.astimezone(UTC).date()
    last = (until - timedelta(microseconds=1)).astimezone(UTC).date()
    if (last - first).days >= MAX_INDEX_DAYS:
        return None
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


#: what each database's full-text index holds besides the words (read once per engine: a
#: migration changes it, and a process migrates before it serves)
_INDEX_KEYS: WeakKeyDictionary[Engine, frozenset[str]] = WeakKeyDictionary()


def vector_index_keys(session: Session) -> frozenset[str]:
    """{"day", "brands"}, either or neither: the columns ``ix_mentions_search_vector`` holds
    beside the search vector (PostgreSQL only)."""
    engine = session.get_bind().engine
    known = _INDEX_KEYS.get(engine)
    if known is None:
        definition = session.execute(
            text("SELECT pg_get_indexdef(to_regclass(:name))"), {"name": POSTGRES_VECTOR_INDEX}
        ).scalar()
        found = set()
        if definition and "AT TIME ZONE" in definition:
            found.add("day")
        if definition and "brands" in definition:
            found.add("brands")
        known = _INDEX_KEYS[engine] = frozenset(found)
    return known


def forget_index_keys(engine: Engine) -> None:
    """Read the index's columns again on next use (after migrating a database in place)."""
    _INDEX_KEYS.pop(engine, None)
