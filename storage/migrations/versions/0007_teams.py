"""Teams and team assignment (issue 12).

Revision ID: 0007_teams
Revises: 0006_sla_escalation
"""

from __future__ import annotations

revision = "0007_teams"
down_revision = "0006_sla_escalation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled in by the work


def downgrade() -> None:
    pass
