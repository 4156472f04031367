"""ORM models of the archive. The schema itself is created by the Alembic migrations.

Every timestamp is an aware UTC datetime (``UTCDateTime``). JSON columns hold plain JSON (never
pickles). The full-text structures live outside the ORM (see ``storage.fts``): an FTS5 table on
SQLite and a generated ``search_vector`` column on PostgreSQL, both over ``normalized_text``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.types import IdType, JsonType, UTCDateTime

#: Deterministic constraint names, so migrations can refer to them on both backends.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime, dict[str, Any]: JsonType}


class Mention(Base):
    """One stored mention: the source's record plus everything NLP said about it."""

    __tablename__ = "mentions"
    __table_args__ = (
        UniqueConstraint("source", "external_id", name="uq_mentions_source_external_id"),
        Index("ix_mentions_created_at", "created_at"),
        Index("ix_mentions_source_created_at", "source", "created_at"),
        Index("ix_mentions_sentiment_created_at", "sentiment_label", "created_at"),
        Index("ix_mentions_conversation_id", "conversation_id"),
        Index("ix_mentions_author_handle", "author_handle"),
        Index("ix_mentions_emotion_created_at", "emotion", "created_at"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(64))
    external_id: Mapped[str] = mapped_column(String(255))
    url: Mapped[str | None] = mapped_column(Text)
    author_id: Mapped[str | None] = mapped_column(Text)
    author_handle: Mapped[str | None] = mapped_column(Text)
    author_name: Mapped[str | None] = mapped_column(Text)
    author_followers: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    normalized_text: Mapped[str] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(16))
    lang_hint: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    collected_at: Mapped[datetime] = mapped_column(UTCDateTime)
    conversation_id: Mapped[str | None] = mapped_column(Text)
    metrics: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    likes: Mapped[int] = mapped_column(Integer, default=0)
    replies: Mapped[int] = mapped_column(Integer, default=0)
    reposts: Mapped[int] = mapped_column(Integer, default=0)
    brands: Mapped[list[str]] = mapped_column(JsonType, default=list)
    sentiment_label: Mapped[str] = mapped_column(String(16))
    sentiment_score: Mapped[float] = mapped_column(Float)
    sentiment_probs: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    aspects: Mapped[list[str]] = mapped_column(JsonType, default=list)
    urgency: Mapped[float] = mapped_column(Float, default=0.0)
    signals: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    raw: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    # sentiment_label/score and aspects above are the EFFECTIVE values (a team correction wins);
    # the model's own output moves here on the first correction (storage.corrections)
    model_sentiment_label: Mapped[str | None] = mapped_column(String(16))
    model_sentiment_score: Mapped[float | None] = mapped_column(Float)
    model_aspects: Mapped[list[str] | None] = mapped_column(JsonType)
    corrected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the model registry version that scored it (``nlp.model_registry``); None before migration 0004
    sentiment_model: Mapped[str | None] = mapped_column(String(64))
    emotion: Mapped[str | None] = mapped_column(String(16))

    brand_rows: Mapped[list[MentionBrand]] = relationship(
        back_populates="mention", cascade="all, delete-orphan", passive_deletes=True
    )
    aspect_rows: Mapped[list[MentionAspect]] = relationship(
        back_populates="mention", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"Mention(id={self.id}, source={self.source!r}, external_id={self.external_id!r})"


class _MentionTag:
    """A child row tagging a mention; ``created_at`` is copied from the mention so that a
    per-tag timeline (brand volume by day, say) is read from one index."""

    mention_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("mentions.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class MentionBrand(_MentionTag, Base):
    """One matched brand of a mention (the brand filter and share of voice)."""

    __tablename__ = "mention_brands"
    __table_args__ = (Index("ix_mention_brands_brand_created_at", "brand", "created_at"),)

    brand: Mapped[str] = mapped_column(String(128), primary_key=True)
    mention: Mapped[Mention] = relationship(back_populates="brand_rows")


class MentionAspect(_MentionTag, Base):
    """One touchpoint tag (delivery, price, support…) of a mention."""

    __tablename__ = "mention_aspects"
    __table_args__ = (Index("ix_mention_aspects_aspect_created_at", "aspect", "created_at"),)

    aspect: Mapped[str] = mapped_column(String(64), primary_key=True)
    mention: Mapped[Mention] = relationship(back_populates="aspect_rows")


class MentionCorrection(Base):
    """One correction of a mention's sentiment and/or touchpoints by a person (append-only).

    A field the correction left alone has None in both its old and new column."""

    __tablename__ = "mention_corrections"
    __table_args__ = (
        Index("ix_mention_corrections_mention_id", "mention_id"),
        Index("ix_mention_corrections_at", "at"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    mention_id: Mapped[int] = mapped_column(IdType, ForeignKey("mentions.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    by: Mapped[str] = mapped_column(String(128))
    reason: Mapped[str | None] = mapped_column(Text)
    old_sentiment: Mapped[str | None] = mapped_column(String(16))
    new_sentiment: Mapped[str | None] = mapped_column(String(16))
    old_touchpoints: Mapped[list[str] | None] = mapped_column(JsonType)
    new_touchpoints: Mapped[list[str] | None] = mapped_column(JsonType)


class ListenerCheckpoint(Base):
    """Where a listener resumes: versioned JSON state (see ``domain.checkpoint.Checkpoint``)."""

    __tablename__ = "listener_checkpoints"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    state: Mapped[dict[str, Any]] = mapped_column(JsonType)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ListenerState(Base):
    """Health of one configured listener, for ``shenava status`` and the API."""

    __tablename__ = "listener_states"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_ok_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error_kind: Mapped[str | None] = mapped_column(String(64))
    last_error: Mapped[str | None] = mapped_column(Text)
    items_last_run: Mapped[int] = mapped_column(Integer, default=0)
    items_total: Mapped[int] = mapped_column(Integer, default=0)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)


class DetectorState(Base):
    """Serialised state of one spike detector series (``SpikeDetector.to_state()``), by series key."""

    __tablename__ = "detector_states"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    state: Mapped[dict[str, Any]] = mapped_column(JsonType)
    watermark: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Incident(Base):
    """A spike of mentions (usually negative) about a brand, optionally one touchpoint."""

    __tablename__ = "incidents"
    __table_args__ = (
        Index("ix_incidents_brand_status", "brand", "status"),
        Index("ix_incidents_opened_at", "opened_at"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    brand: Mapped[str] = mapped_column(String(128))
    touchpoint: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32), default="spike")
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | resolved
    severity: Mapped[str] = mapped_column(String(16), default="medium")
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    peak_count: Mapped[float] = mapped_column(Float, default=0.0)
    current_count: Mapped[float] = mapped_column(Float, default=0.0)
    baseline: Mapped[float] = mapped_column(Float, default=0.0)
    anomaly_score: Mapped[float] = mapped_column(Float, default=0.0)
    detector_key: Mapped[str | None] = mapped_column(String(255))
    details: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(String(128))
    assigned_to: Mapped[str | None] = mapped_column(String(128))
    assigned_team: Mapped[str | None] = mapped_column(String(64))  # storage.teams (migration 0007)
    resolved_by: Mapped[str | None] = mapped_column(String(128))


class UrgentAlert(Base):
    """An urgent single mention; one per (brand, conversation) so a thread alerts once."""

    __tablename__ = "urgent_alerts"
    __table_args__ = (
        UniqueConstraint("brand", "conversation_key", name="uq_urgent_alerts_brand_conversation_key"),
        Index("ix_urgent_alerts_status_created_at", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    mention_id: Mapped[int] = mapped_column(IdType, ForeignKey("mentions.id", ondelete="CASCADE"))
    brand: Mapped[str] = mapped_column(String(128))
    conversation_key: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | acknowledged | resolved
    urgency: Mapped[float] = mapped_column(Float, default=0.0)
    mention_count: Mapped[int] = mapped_column(Integer, default=1)
    details: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(String(128))
    assigned_to: Mapped[str | None] = mapped_column(String(128))
    assigned_team: Mapped[str | None] = mapped_column(String(64))  # storage.teams (migration 0007)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by: Mapped[str | None] = mapped_column(String(128))

    mention: Mapped[Mention] = relationship()


class Delivery(Base):
    """The notification outbox: one row per (event, channel, target), sent with retries."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("dedup_key", name="uq_deliveries_dedup_key"),
        Index("ix_deliveries_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(32))
    target: Mapped[str] = mapped_column(String(255))
    dedup_key: Mapped[str] = mapped_column(String(255))
    event_kind: Mapped[str] = mapped_column(String(64))
    event_ref: Mapped[str | None] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(Text, default="")
    payload: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# The web app's tables (accounts, sessions, audit log) live in their own module; importing it here
# keeps Base.metadata complete for Alembic and the schema test.
from storage import accounts as _accounts  # noqa: E402, F401
from storage import deadletters as _deadletters  # noqa: E402, F401
from storage import retained as _retained  # noqa: E402, F401
from storage import rollups as _rollups  # noqa: E402, F401
from storage import saved_searches as _saved_searches  # noqa: E402, F401
from storage import sla_records as _sla_records  # noqa: E402, F401
from storage import teams as _teams  # noqa: E402, F401
