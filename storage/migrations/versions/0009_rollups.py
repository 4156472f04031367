"""Rollup tables for the analysts' aggregates (issue 13), filled from the mentions already stored.

``rollup_slots`` (15-minute UTC slots) and ``rollup_days`` (Asia/Tehran days) count mentions by
brand × touchpoint × source × language × sentiment (``""`` = any); see ``storage.rollups``. The
backfill groups the stored rows in SQL into slots, then sums slots into local days through a small
slot → day table computed with ``zoneinfo`` (so past summer time is right). Self-contained: later
changes to ``storage.rollups`` do not change what this revision does.

Revision ID: 0009_rollups
Revises: 0008_saved_searches
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = "0009_rollups"
down_revision = "0008_saved_searches"
branch_labels = None
depends_on = None

SLOT = 900
ZONE = "Asia/Tehran"
DIMS = ("brand", "touchpoint", "source", "lang", "sentiment")


def _columns(time_column: sa.Column) -> list[sa.Column]:
    return [
        sa.Column("brand", sa.String(128), nullable=False),
        sa.Column("touchpoint", sa.String(64), nullable=False),
        time_column,
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("lang", sa.String(16), nullable=False),
        sa.Column("sentiment", sa.String(16), nullable=False),
        sa.Column("mentions", sa.Integer(), nullable=False),
    ]


def upgrade() -> None:
    for name, time_column in (
        ("rollup_slots", sa.Column("slot", sa.Integer(), nullable=False)),
        ("rollup_days", sa.Column("day", sa.Date(), nullable=False)),
    ):
        op.create_table(
            name,
            *_columns(time_column),
            sa.PrimaryKeyConstraint("brand", "touchpoint", time_column.name, "source", "lang", "sentiment",
                                    name=f"pk_{name}"),
            sqlite_with_rowid=False,
        )  # fmt: skip
    # the top-authors charts' covering index (storage.rollups.AUTHORS_BY_DATE)
    op.create_index(
        "ix_mentions_created_at_author", "mentions", ["created_at", "author_handle", "author_followers"]
    )
    _backfill(op.get_bind())


def _slot_expr(conn: sa.Connection, created_at: sa.ColumnElement) -> sa.ColumnElement:
    if conn.dialect.name == "postgresql":
        return sa.cast(sa.func.floor(sa.func.extract("epoch", created_at) / SLOT), sa.Integer)
    return sa.cast(sa.func.strftime("%s", created_at), sa.Integer).op("/")(SLOT)


def _backfill(conn: sa.Connection) -> None:
    m = sa.table("mentions", sa.column("id"), sa.column("created_at"), sa.column("source"),
                 sa.column("lang"), sa.column("sentiment_label"))  # fmt: skip
    mb = sa.table("mention_brands", sa.column("mention_id"), sa.column("brand"))
    ma = sa.table("mention_aspects", sa.column("mention_id"), sa.column("aspect"))
    slot = _slot_expr(conn, m.c.created_at).label("slot")
    rest = (m.c.source, m.c.lang, m.c.sentiment_label)

    def part(brand: sa.ColumnElement, touchpoint: sa.ColumnElement, joined: sa.FromClause) -> sa.Select:
        # each column labelled: two bare "" literals in one select would be folded into one
        return sa.select(brand.label("brand"), touchpoint.label("touchpoint"), slot, *rest).select_from(
            joined
        )

    # every mention once with brand and touchpoint "any", once per brand, per touchpoint, per pair
    with_brand = m.join(mb, mb.c.mention_id == m.c.id)
    parts = [
        part(sa.literal(""), sa.literal(""), m),
        part(mb.c.brand, sa.literal(""), with_brand),
        part(sa.literal(""), ma.c.aspect, m.join(ma, ma.c.mention_id == m.c.id)),
        part(mb.c.brand, ma.c.aspect, with_brand.join(ma, ma.c.mention_id == m.c.id)),
    ]
    names = ("brand", "touchpoint", "slot", "source", "lang", "sentiment")
    every = sa.union_all(*parts).subquery()
    cols = list(every.c)
    grouped = sa.select(*cols, sa.func.count()).group_by(*cols)
    slots = sa.table("rollup_slots", *(sa.column(n) for n in (*names, "mentions")))
    conn.execute(sa.insert(slots).from_select([*names, "mentions"], grouped))

    low, high = conn.execute(sa.select(sa.func.min(slots.c.slot), sa.func.max(slots.c.slot))).one()
    if low is None:
        return
    # each slot's local day, computed here (SQLite has no time zones), joined in SQL
    zone = ZoneInfo(ZONE)
    slot_days = sa.Table(
        "rollup_backfill_slot_days", sa.MetaData(),
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
    days = sa.table("rollup_days", *(sa.column(n) for n in (*DIMS, "day", "mentions")))
    by_day = (
        sa.select(*(slots.c[n] for n in DIMS), slot_days.c.day, sa.func.sum(slots.c.mentions))
        .join(slot_days, slot_days.c.slot == slots.c.slot)
        .group_by(*(slots.c[n] for n in DIMS), slot_days.c.day)
    )
    conn.execute(sa.insert(days).from_select([*DIMS, "day", "mentions"], by_day))
    slot_days.drop(conn)


def downgrade() -> None:
    op.drop_index("ix_mentions_created_at_author", table_name="mentions")
    op.drop_table("rollup_days")
    op.drop_table("rollup_slots")
