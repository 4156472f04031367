"""Saved searches and their alert rules (issue 13).

Revision ID: 0008_saved_searches
Revises: 0007_teams
"""

from __future__ import annotations

revision = "0008_saved_searches"
down_revision = "0007_teams"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled in by the work


def downgrade() -> None:
    pass
