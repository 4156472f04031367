"""SLA targets, escalation and first-response records (issue 12).

Revision ID: 0006_sla_escalation
Revises: 0005_dead_letters
"""

from __future__ import annotations

revision = "0006_sla_escalation"
down_revision = "0005_dead_letters"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled in by the work


def downgrade() -> None:
    pass
