"""Initial schema: mentions (+ brand/aspect child tables and full-text index), checkpoints,
listener states, detector states, incidents, urgent alerts and the delivery outbox.

Revision ID: 0001_initial
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import IdType, JsonType, UTCDateTime

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mentions",
        sa.Column("id", IdType, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("external_id", sa.String(255), nullable=False),
        sa.Column("url", sa.Text()),
        sa.Column("author_id", sa.Text()),
        sa.Column("author_handle", sa.Text()),
        sa.Column("author_name", sa.Text()),
        sa.Column("author_followers", sa.Integer()),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("normalized_text", sa.Text(), nullable=False),
        sa.Column("lang", sa.String(16), nullable=False),
        sa.Column("lang_hint", sa.String(16)),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("collected_at", UTCDateTime(), nullable=False),
        sa.Column("conversation_id", sa.Text()),
        sa.Column("metrics", JsonType, nullable=False),
        sa.Column("likes", sa.Integer(), nullable=False),
        sa.Column("replies", sa.Integer(), nullable=False),
        sa.Column("reposts", sa.Integer(), nullable=False),
        sa.Column("brands", JsonType, nullable=False),
        sa.Column("sentiment_label", sa.String(16), nullable=False),
        sa.Column("sentiment_score", sa.Float(), nullable=False),
        sa.Column("sentiment_probs", JsonType, nullable=False),
        sa.Column("aspects", JsonType, nullable=False),
        sa.Column("urgency", sa.Float(), nullable=False),
        sa.Column("signals", JsonType, nullable=False),
        sa.Column("raw", JsonType, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_mentions"),
        sa.UniqueConstraint("source", "external_id", name="uq_mentions_source_external_id"),
    )
    op.create_index("ix_mentions_created_at", "mentions", ["created_at"])
    op.create_index("ix_mentions_source_created_at", "mentions", ["source", "created_at"])
    op.create_index("ix_mentions_sentiment_created_at", "mentions", ["sentiment_label", "created_at"])
    op.create_index("ix_mentions_conversation_id", "mentions", ["conversation_id"])
    op.create_index("ix_mentions_author_handle", "mentions", ["author_handle"])

    for child, column, length in (("mention_brands", "brand", 128), ("mention_aspects", "aspect", 64)):
        op.create_table(
            child,
            sa.Column("mention_id", IdType, nullable=False),
            sa.Column(column, sa.String(length), nullable=False),
            sa.Column("created_at", UTCDateTime(), nullable=False),
            sa.PrimaryKeyConstraint("mention_id", column, name=f"pk_{child}"),
            sa.ForeignKeyConstraint(
                ["mention_id"], ["mentions.id"], ondelete="CASCADE", name=f"fk_{child}_mention_id_mentions"
            ),
        )
        op.create_index(f"ix_{child}_{column}_created_at", child, [column, "created_at"])

    op.create_table(
        "listener_checkpoints",
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("state", JsonType, nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_listener_checkpoints"),
    )
    op.create_table(
        "listener_states",
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("last_run_at", UTCDateTime()),
        sa.Column("last_ok_at", UTCDateTime()),
        sa.Column("last_error_at", UTCDateTime()),
        sa.Column("last_error_kind", sa.String(64)),
        sa.Column("last_error", sa.Text()),
        sa.Column("items_last_run", sa.Integer(), nullable=False),
        sa.Column("items_total", sa.Integer(), nullable=False),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_listener_states"),
    )
    op.create_table(
        "detector_states",
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("state", JsonType, nullable=False),
        sa.Column("watermark", UTCDateTime()),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_detector_states"),
    )
    op.create_table(
        "incidents",
        sa.Column("id", IdType, primary_key=True, autoincrement=True),
        sa.Column("brand", sa.String(128), nullable=False),
        sa.Column("touchpoint", sa.String(64)),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("opened_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("resolved_at", UTCDateTime()),
        sa.Column("peak_count", sa.Float(), nullable=False),
        sa.Column("current_count", sa.Float(), nullable=False),
        sa.Column("baseline", sa.Float(), nullable=False),
        sa.Column("anomaly_score", sa.Float(), nullable=False),
        sa.Column("detector_key", sa.String(255)),
        sa.Column("details", JsonType, nullable=False),
        sa.Column("acknowledged_at", UTCDateTime()),
        sa.Column("acknowledged_by", sa.String(128)),
        sa.Column("assigned_to", sa.String(128)),
        sa.Column("resolved_by", sa.String(128)),
        sa.PrimaryKeyConstraint("id", name="pk_incidents"),
    )
    op.create_index("ix_incidents_brand_status", "incidents", ["brand", "status"])
    op.create_index("ix_incidents_opened_at", "incidents", ["opened_at"])

    op.create_table(
        "urgent_alerts",
        sa.Column("id", IdType, primary_key=True, autoincrement=True),
        sa.Column("mention_id", IdType, nullable=False),
        sa.Column("brand", sa.String(128), nullable=False),
        sa.Column("conversation_key", sa.String(255), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("urgency", sa.Float(), nullable=False),
        sa.Column("mention_count", sa.Integer(), nullable=False),
        sa.Column("details", JsonType, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("acknowledged_at", UTCDateTime()),
        sa.Column("acknowledged_by", sa.String(128)),
        sa.Column("assigned_to", sa.String(128)),
        sa.Column("resolved_at", UTCDateTime()),
        sa.Column("resolved_by", sa.String(128)),
        sa.PrimaryKeyConstraint("id", name="pk_urgent_alerts"),
        sa.ForeignKeyConstraint(
            ["mention_id"], ["mentions.id"], ondelete="CASCADE", name="fk_urgent_alerts_mention_id_mentions"
        ),
        sa.UniqueConstraint("brand", "conversation_key", name="uq_urgent_alerts_brand_conversation_key"),
    )
    op.create_index("ix_urgent_alerts_status_created_at", "urgent_alerts", ["status", "created_at"])

    op.create_table(
        "deliveries",
        sa.Column("id", IdType, primary_key=True, autoincrement=True),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("target", sa.String(255), nullable=False),
        sa.Column("dedup_key", sa.String(255), nullable=False),
        sa.Column("event_kind", sa.String(64), nullable=False),
        sa.Column("event_ref", sa.String(255)),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("payload", JsonType, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=False),
        sa.Column("last_error", sa.Text()),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime()),
        sa.PrimaryKeyConstraint("id", name="pk_deliveries"),
        sa.UniqueConstraint("dedup_key", name="uq_deliveries_dedup_key"),
    )
    op.create_index("ix_deliveries_status_next_attempt_at", "deliveries", ["status", "next_attempt_at"])

    _create_fulltext(op.get_bind().dialect.name)


def downgrade() -> None:
    _drop_fulltext(op.get_bind().dialect.name)
    for table in (
        "deliveries",
        "urgent_alerts",
        "incidents",
        "detector_states",
        "listener_states",
        "listener_checkpoints",
        "mention_aspects",
        "mention_brands",
        "mentions",
    ):
        op.drop_table(table)


# Full-text index over the normalised text; storage/fts.py names these objects for queries.
# Written out here (not imported) so this revision stays what it was when it shipped.
_SQLITE_FTS = [
    # External-content FTS5: the text lives once, in mentions; triggers keep the index in sync.
    "CREATE VIRTUAL TABLE mentions_fts USING fts5(normalized_text, content='mentions', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER mentions_fts_ai AFTER INSERT ON mentions BEGIN "
    "INSERT INTO mentions_fts(rowid, normalized_text) VALUES (new.id, new.normalized_text); END",
    "CREATE TRIGGER mentions_fts_ad AFTER DELETE ON mentions BEGIN "
    "INSERT INTO mentions_fts(mentions_fts, rowid, normalized_text) "
    "VALUES ('delete', old.id, old.normalized_text); END",
    "CREATE TRIGGER mentions_fts_au AFTER UPDATE OF normalized_text ON mentions BEGIN "
    "INSERT INTO mentions_fts(mentions_fts, rowid, normalized_text) "
    "VALUES ('delete', old.id, old.normalized_text); "
    "INSERT INTO mentions_fts(rowid, normalized_text) VALUES (new.id, new.normalized_text); END",
]
_POSTGRES_FTS = [
    # 'simple': no stemming or stop words, which suits Persian and Finglish alike.
    "ALTER TABLE mentions ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
    "(to_tsvector('simple', coalesce(normalized_text, ''))) STORED",
    "CREATE INDEX ix_mentions_search_vector ON mentions USING gin (search_vector)",
]


def _create_fulltext(dialect: str) -> None:
    for statement in {"sqlite": _SQLITE_FTS, "postgresql": _POSTGRES_FTS}.get(dialect, []):
        op.execute(statement)


def _drop_fulltext(dialect: str) -> None:
    if dialect == "sqlite":
        for trigger in ("mentions_fts_au", "mentions_fts_ad", "mentions_fts_ai"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS mentions_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_mentions_search_vector")
        op.execute("ALTER TABLE mentions DROP COLUMN IF EXISTS search_vector")
