"""Rollup tables for the analysts' aggregates (issue 13).

Revision ID: 0009_rollups
Revises: 0008_saved_searches
"""

from __future__ import annotations

revision = "0009_rollups"
down_revision = "0008_saved_searches"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled in by the work


def downgrade() -> None:
    pass
