"""Corrections by the team, the model that scored each mention, and its emotion (issue 11).

``mentions.sentiment_label``/``aspects`` (and the ``mention_aspects`` rows) stay the EFFECTIVE values
every reader uses; a correction moves the model's output into ``model_sentiment_label``,
``model_sentiment_score`` and ``model_aspects`` (set once, on the first correction) and appends a
``mention_corrections`` row (who, when, old and new). ``sentiment_model`` names the registry version
that scored the mention; ``emotion`` the emotion head's label when there is one.

Revision ID: 0004_corrections_models
Revises: 0003_retention_privacy
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import IdType, JsonType, UTCDateTime

revision = "0004_corrections_models"
down_revision = "0003_retention_privacy"
branch_labels = None
depends_on = None


def _mention_columns() -> list[sa.Column]:
    return [
        sa.Column("model_sentiment_label", sa.String(16)),
        sa.Column("model_sentiment_score", sa.Float()),
        sa.Column("model_aspects", JsonType),
        sa.Column("corrected_at", UTCDateTime()),
        sa.Column("sentiment_model", sa.String(64)),
        sa.Column("emotion", sa.String(16)),
    ]


def upgrade() -> None:
    for column in _mention_columns():
        op.add_column("mentions", column)
    op.create_index("ix_mentions_emotion_created_at", "mentions", ["emotion", "created_at"])
    op.create_table(
        "mention_corrections",
        sa.Column("id", IdType, primary_key=True, autoincrement=True),
        sa.Column("mention_id", IdType, nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("by", sa.String(128), nullable=False),
        sa.Column("reason", sa.Text()),
        sa.Column("old_sentiment", sa.String(16)),
        sa.Column("new_sentiment", sa.String(16)),
        sa.Column("old_touchpoints", JsonType),
        sa.Column("new_touchpoints", JsonType),
        sa.PrimaryKeyConstraint("id", name="pk_mention_corrections"),
        sa.ForeignKeyConstraint(
            ["mention_id"],
            ["mentions.id"],
            ondelete="CASCADE",
            name="fk_mention_corrections_mention_id_mentions",
        ),
    )
    op.create_index("ix_mention_corrections_mention_id", "mention_corrections", ["mention_id"])
    op.create_index("ix_mention_corrections_at", "mention_corrections", ["at"])


def downgrade() -> None:
    op.drop_table("mention_corrections")
    op.drop_index("ix_mentions_emotion_created_at", table_name="mentions")
    # SQLite >= 3.35 drops columns in place (no table rebuild, so the FTS5 triggers stay)
    for column in reversed(_mention_columns()):
        op.drop_column("mentions", column.name)
