"""The top-authors rollup and the author drill-down's index (issue 13 item 6).

``rollup_authors`` counts each author's mentions and largest reach per brand × touchpoint ×
Asia/Tehran day (``""`` = any; see ``storage.rollups.RollupAuthor``), filled from the stored rows
in SQL (slots → local days through a small table computed with ``zoneinfo``, as 0009 does).
``ix_mentions_author_lower`` indexes ``lower(author_handle), created_at`` for ``author:``.
``rollup_id_days`` keeps the lowest and highest mention id per local day (``RollupIdDay``: the
id bounds of a date range, for SQLite's full-text search).
Self-contained: later changes to ``storage.rollups`` do not change what this revision does.

Revision ID: 0010_rollup_authors
Revises: 0009_rollups
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = "0010_rollup_authors"
down_revision = "0009_rollups"
branch_labels = None
depends_on = None

SLOT = 900
ZONE = "Asia/Tehran"
KEY = ("brand", "touchpoint", "day", "author")


def upgrade() -> None:
    op.create_table(
        "rollup_authors",
        sa.Column("brand", sa.String(128), nullable=False),
        sa.Column("touchpoint", sa.String(64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("author", sa.Text(), nullable=False),
        sa.Column("mentions", sa.Integer(), nullable=False),
        sa.Column("reach", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*KEY, name="pk_rollup_authors"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "rollup_id_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("low", sa.Integer(), nullable=False),
        sa.Column("high", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", name="pk_rollup_id_days"),
    )
    op.create_index("ix_mentions_author_lower", "mentions", [sa.text("lower(author_handle)"), "created_at"])
    _backfill(op.get_bind())


def _slot_expr(conn: sa.Connection, created_at: sa.ColumnElement) -> sa.ColumnElement:
    if conn.dialect.name == "postgresql":
        return sa.cast(sa.func.floor(sa.func.extract("epoch", created_at) / SLOT), sa.Integer)
    return sa.cast(sa.func.strftime("%s", created_at), sa.Integer).op("/")(SLOT)


def _backfill(conn: sa.Connection) -> None:
    m = sa.table("mentions", sa.column("id"), sa.column("created_at"), sa.column("author_handle"),
                 sa.column("author_followers"))  # fmt: skip
    mb = sa.table("mention_brands", sa.column("mention_id"), sa.column("brand"))
    ma = sa.table("mention_aspects", sa.column("mention_id"), sa.column("aspect"))
    low, high = conn.execute(
        sa.select(
            sa.func.min(_slot_expr(conn, m.c.created_at)), sa.func.max(_slot_expr(conn, m.c.created_at))
        )
    ).one()
    if low is None:
        return
    zone = ZoneInfo(ZONE)
    slot_days = sa.Table(
        "rollup_backfill_author_days", sa.MetaData(),
        sa.Column("slot", sa.Integer, primary_key=True), sa.Column("day", sa.Date, nullable=False),
        prefixes=["TEMPORARY"],
    )  # fmt: skip
    slot_days.create(conn)
    start = datetime.fromtimestamp(low * SLOT, UTC)
    rows = [
        {"slot": low + i, "day": (start + timedelta(seconds=i * SLOT)).astimezone(zone).date()}
        for i in range(high - low + 1)
    ]
    for i in range(0, len(rows), 10_000):
        conn.execute(sa.insert(slot_days), rows[i : i + 10_000])
    # each mention's day once (joined by slot), then one row per brand × touchpoint it counts for
    day = (
        sa.select(m.c.id, m.c.author_handle.label("author"),
                  sa.func.coalesce(m.c.author_followers, 0).label("followers"), slot_days.c.day)
        .join(slot_days, slot_days.c.slot == _slot_expr(conn, m.c.created_at))
        .where(m.c.author_handle.is_not(None))
        .cte("authored")
    )  # fmt: skip

    def part(brand: sa.ColumnElement, touchpoint: sa.ColumnElement, joined: sa.FromClause) -> sa.Select:
        # each column labelled: two bare "" literals in one select would be folded into one
        return sa.select(brand.label("brand"), touchpoint.label("touchpoint"), day.c.day, day.c.author,
                         day.c.followers).select_from(joined)  # fmt: skip

    with_brand = day.join(mb, mb.c.mention_id == day.c.id)
    every = sa.union_all(
        part(sa.literal(""), sa.literal(""), day),
        part(mb.c.brand, sa.literal(""), with_brand),
        part(sa.literal(""), ma.c.aspect, day.join(ma, ma.c.mention_id == day.c.id)),
        part(mb.c.brand, ma.c.aspect, with_brand.join(ma, ma.c.mention_id == day.c.id)),
    ).subquery()
    keys = [every.c[n] for n in KEY]
    # in key order: PostgreSQL's heap then holds one brand's days side by side (the charts read a
    # month of them; in hash order each row would cost a page of its own)
    grouped = (
        sa.select(*keys, sa.func.count(), sa.func.max(every.c.followers)).group_by(*keys).order_by(*keys)
    )
    target = sa.table("rollup_authors", *(sa.column(n) for n in (*KEY, "mentions", "reach")))
    conn.execute(sa.insert(target).from_select([*KEY, "mentions", "reach"], grouped))
    bounds = (
        sa.select(slot_days.c.day, sa.func.min(m.c.id), sa.func.max(m.c.id))
        .join(slot_days, slot_days.c.slot == _slot_expr(conn, m.c.created_at))
        .group_by(slot_days.c.day)
    )
    id_days = sa.table("rollup_id_days", sa.column("day"), sa.column("low"), sa.column("high"))
    conn.execute(sa.insert(id_days).from_select(["day", "low", "high"], bounds))
    slot_days.drop(conn)
    if conn.dialect.name == "postgresql":  # statistics now, not when autovacuum gets to it
        conn.execute(sa.text("ANALYZE rollup_authors"))
        conn.execute(sa.text("ANALYZE rollup_id_days"))


def downgrade() -> None:
    op.drop_index("ix_mentions_author_lower", table_name="mentions")
    op.drop_table("rollup_id_days")
    op.drop_table("rollup_authors")
