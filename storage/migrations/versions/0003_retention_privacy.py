"""Daily counts kept when retention deletes mentions (privacy and retention, issue 15).

Deletions themselves are recorded in the audit log of 0002 (who, when, how many rows).

Revision ID: 0003_retention_privacy
Revises: 0002_web_accounts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_retention_privacy"
down_revision = "0002_web_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "retained_counts",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("brand", sa.String(128), nullable=False),
        sa.Column("sentiment", sa.String(16), nullable=False),
        sa.Column("touchpoint", sa.String(64), nullable=False),
        sa.Column("mentions", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "day", "source", "brand", "sentiment", "touchpoint", name="pk_retained_counts"
        ),
    )


def downgrade() -> None:
    op.drop_table("retained_counts")
