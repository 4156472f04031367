"""SLA records: each incident's and urgent mention's deadline, outcome and escalation (issue 12).

Revision ID: 0006_sla_escalation
Revises: 0005_dead_letters
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import IdType, JsonType, UTCDateTime

revision = "0006_sla_escalation"
down_revision = "0005_dead_letters"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sla_records",
        sa.Column("id", IdType, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("item_id", IdType, nullable=False),
        sa.Column("brand", sa.String(128), nullable=False),
        sa.Column("metric", sa.String(32), nullable=False),
        sa.Column("target_minutes", sa.Float(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("deadline", UTCDateTime(), nullable=False),
        sa.Column("responded_at", UTCDateTime(), nullable=True),
        sa.Column("outcome", sa.String(16), nullable=True),
        sa.Column("agent", sa.String(128), nullable=True),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("escalated_at", UTCDateTime(), nullable=True),
        sa.Column("escalated_to", JsonType, nullable=True),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sla_records"),
        sa.UniqueConstraint("kind", "item_id", name="uq_sla_records_kind"),
    )
    op.create_index("ix_sla_records_closed_at", "sla_records", ["closed_at"])
    op.create_index("ix_sla_records_brand_deadline", "sla_records", ["brand", "deadline"])


def downgrade() -> None:
    op.drop_index("ix_sla_records_brand_deadline", table_name="sla_records")
    op.drop_index("ix_sla_records_closed_at", table_name="sla_records")
    op.drop_table("sla_records")
