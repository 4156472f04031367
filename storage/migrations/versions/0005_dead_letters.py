"""Dead letters: mentions a source gave that could not be stored (issue 15).

Revision ID: 0005_dead_letters
Revises: 0004_corrections_models
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import IdType, UTCDateTime

revision = "0005_dead_letters"
down_revision = "0004_corrections_models"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dead_letters",
        sa.Column("id", IdType, autoincrement=True),
        sa.Column("listener", sa.String(128), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("external_id", sa.String(255), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_failed_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_dead_letters"),
        sa.UniqueConstraint("source", "external_id", name="uq_dead_letters_source"),
    )
    op.create_index("ix_dead_letters_created_at", "dead_letters", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_dead_letters_created_at", table_name="dead_letters")
    op.drop_table("dead_letters")
