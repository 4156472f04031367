"""Teams and team assignment (issue 12).

Revision ID: 0007_teams
Revises: 0006_sla_escalation
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import IdType, UTCDateTime

revision = "0007_teams"
down_revision = "0006_sla_escalation"
branch_labels = None
depends_on = None

ASSIGNABLE = ("incidents", "urgent_alerts")


def upgrade() -> None:
    op.create_table(
        "teams",
        sa.Column("id", IdType, autoincrement=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(128), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_teams"),
        sa.UniqueConstraint("name", name="uq_teams_name"),
    )
    op.create_table(
        "team_members",
        sa.Column("team_id", IdType, nullable=False),
        sa.Column("account_id", IdType, nullable=False),
        sa.Column("added_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "account_id", name="pk_team_members"),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], ondelete="CASCADE", name="fk_team_members_team_id_teams"
        ),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], ondelete="CASCADE", name="fk_team_members_account_id_accounts"
        ),
    )
    op.create_index("ix_team_members_account_id", "team_members", ["account_id"])
    for table in ASSIGNABLE:  # the team an alert is assigned to, by name (as assigned_to names a person)
        op.add_column(table, sa.Column("assigned_team", sa.String(64)))


def downgrade() -> None:
    for table in ASSIGNABLE:
        with op.batch_alter_table(table) as batch:  # SQLite drops a column by copying the table
            batch.drop_column("assigned_team")
    op.drop_index("ix_team_members_account_id", table_name="team_members")
    op.drop_table("team_members")
    op.drop_table("teams")
