"""Saved searches and their alert rules (issue 13).

Revision ID: 0008_saved_searches
Revises: 0007_teams
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import IdType, UTCDateTime

revision = "0008_saved_searches"
down_revision = "0007_teams"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "saved_searches",
        sa.Column("id", IdType, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(128), nullable=False),
        sa.Column("sharing", sa.String(16), nullable=False),
        sa.Column("team", sa.String(64), nullable=True),
        sa.Column("rule_enabled", sa.Boolean(), nullable=False),
        sa.Column("rule_per_hour", sa.Integer(), nullable=True),
        sa.Column("rule_min_followers", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_saved_searches"),
        sa.UniqueConstraint("owner", "name", name="uq_saved_searches_owner_name"),
    )
    op.create_index("ix_saved_searches_rule_enabled", "saved_searches", ["rule_enabled"])
    op.create_table(
        "saved_search_firings",
        sa.Column("id", IdType, autoincrement=True),
        sa.Column("search_id", IdType, nullable=False),
        sa.Column("rule", sa.String(16), nullable=False),
        sa.Column("window_start", UTCDateTime(), nullable=False),
        sa.Column("mention_id", IdType, nullable=True),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("urgent_id", IdType, nullable=True),
        sa.Column("fired_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_saved_search_firings"),
        sa.ForeignKeyConstraint(
            ["search_id"],
            ["saved_searches.id"],
            name="fk_saved_search_firings_search_id_saved_searches",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("search_id", "rule", "window_start", name="uq_saved_search_firings_window"),
    )


def downgrade() -> None:
    op.drop_table("saved_search_firings")
    op.drop_index("ix_saved_searches_rule_enabled", table_name="saved_searches")
    op.drop_table("saved_searches")
