"""PostgreSQL's full-text index also holds each mention's UTC day and brands (issue 13 item 6).

``ix_mentions_search_vector`` becomes one GIN index over ``((created_at AT TIME ZONE 'UTC')::date),
brands, search_vector``: a keyword query for one brand over a month then intersects the word's,
the brand's and each day's posting lists inside the index (one short scan per day) instead of
reading the word's posting list for the whole archive and ANDing it with the month's 80,000
entries of the date index (``storage.filters.index_narrowing`` adds the day and brand conditions;
the exact ``created_at`` range and the ``mention_brands`` test stay; ``mentions.brands`` is
written from the same list as those rows). A query on the words alone reads the same posting
lists as before, so the single-column index is dropped.

The day column needs the ``btree_gin`` extension (in contrib, trusted since PostgreSQL 13: a role
that may create in the database may install it). Where it cannot be installed the index holds
``brands, search_vector`` only, a warning says so, and queries go on without the day keys (the
query side reads the index definition). SQLite: nothing changes (FTS5 bounds rowids by date).
In place at a million mentions the upgrade took about 10 s (load 3.7 on 2 CPUs; writers wait
for all of it, readers for the swap and ANALYZE at the end, about a second). Downgrade restores
the single-column index and leaves the extension installed (other objects may use it).
Self-contained: later changes to ``storage.fts`` do not change what this revision does.

Revision ID: 0011_search_vector_day_brand
Revises: 0010_rollup_authors
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision = "0011_search_vector_day_brand"
down_revision = "0010_rollup_authors"
branch_labels = None
depends_on = None

INDEX = "ix_mentions_search_vector"
BUILDING = "ix_mentions_search_vector_0011"
DAY = "((created_at AT TIME ZONE 'UTC')::date)"

log = logging.getLogger(__name__)


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    day = _btree_gin(conn)
    if not day:
        log.warning(
            "btree_gin is not available on this PostgreSQL server: %s holds brands and words but not "
            "the day, so a keyword query over a date range still reads the word's whole posting list "
            "(install postgresql-contrib and run the migration again to add it)",
            INDEX,
        )
    replace_index(conn, day=day)


def _btree_gin(conn: sa.Connection) -> bool:
    """Install btree_gin if it can be; whether it is there. A refusal (not available, no right to
    create) must not abort the migration's transaction, hence the savepoint."""
    available = conn.execute(
        sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'btree_gin'")
    ).first()
    if available is None:
        return False
    savepoint = conn.begin_nested()
    try:
        conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS btree_gin"))
    except sa.exc.DBAPIError as exc:
        savepoint.rollback()
        log.warning("CREATE EXTENSION btree_gin refused: %s", exc.orig)
        return False
    savepoint.commit()
    return True


def replace_index(conn: sa.Connection, *, day: bool) -> None:
    """Build the new index beside the old one, then swap names (the old one serves queries while
    the new one is built); statistics on the day expression at once, for the planner."""
    columns = f"{DAY}, brands, search_vector" if day else "brands, search_vector"
    conn.execute(sa.text(f"DROP INDEX IF EXISTS {BUILDING}"))
    conn.execute(sa.text(f"CREATE INDEX {BUILDING} ON mentions USING gin ({columns})"))
    conn.execute(sa.text(f"DROP INDEX IF EXISTS {INDEX}"))
    conn.execute(sa.text(f"ALTER INDEX {BUILDING} RENAME TO {INDEX}"))
    conn.execute(sa.text("ANALYZE mentions"))


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    conn.execute(sa.text(f"DROP INDEX IF EXISTS {INDEX}"))
    conn.execute(sa.text(f"CREATE INDEX {INDEX} ON mentions USING gin (search_vector)"))
