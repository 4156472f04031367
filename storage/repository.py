"""``MentionStore``: the write side of the archive, plus checkpoints and listener health.

All methods are synchronous and each runs in its own transaction. Times are aware datetimes;
naive ones raise ``storage.types.NaiveDatetimeError``. Writes are idempotent: a mention is
identified by ``(source, external_id)`` and stored once, whoever saves it how often.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, Insert, func, select
from sqlalchemy.dialects import postgresql, sqlite

from domain.analysis import MentionAnalysis
from domain.checkpoint import Checkpoint
from domain.identity import content_id
from domain.mention import RawMention
from domain.metrics import metric_count
from storage import rollups
from storage.db import session_factory
from storage.models import (
    ListenerCheckpoint,
    ListenerState,
    Mention,
    MentionAspect,
    MentionBrand,
)
from storage.sanitize import (
    MAX_TEXT_CHARS,
    clean_id,
    clean_json,
    clean_raw_payload,
    clean_str,
    clean_text,
)
from storage.types import require_aware

MAX_ERROR_CHARS = 2_000


@dataclass(frozen=True)
class SaveResult:
    inserted: int
    duplicates: int
    inserted_ids: list[int] = field(default_factory=list)


def _insert(conn: Connection, table: Any) -> Insert:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def _tags(values: Sequence[str], column: Any) -> list[str]:
    """Distinct non-empty tags cut to their column's length (a too-long name must not make every
    later batch fail on PostgreSQL)."""
    return list(dict.fromkeys(clean_str(v)[: column.type.length] for v in values if v))


def mention_row(raw: RawMention, analysis: MentionAnalysis, collected_at: datetime) -> dict[str, Any]:
    """The ``mentions`` row for one analysed mention, after the rules of ``storage.sanitize``.

    Raises ``NaiveDatetimeError`` when ``created_at`` has no time zone.
    """
    require_aware(raw.created_at, f"mention {raw.source}/{raw.external_id[:80]}: created_at")
    signals = clean_json(dict(analysis.signals))
    if len(raw.text) > MAX_TEXT_CHARS or len(analysis.normalized_text) > MAX_TEXT_CHARS:
        signals["truncated"] = True
    metrics = clean_json(dict(raw.metrics))
    return {
        "source": clean_id(raw.source),
        "external_id": clean_id(raw.external_id),
        "url": clean_text(raw.url),
        "author_id": clean_id(raw.author_id) if raw.author_id is not None else None,
        "author_handle": clean_text(raw.author_handle),
        "author_name": clean_text(raw.author_name),
        "author_followers": raw.author_followers,
        "text": clean_text(raw.text),
        "normalized_text": clean_text(analysis.normalized_text),
        "lang": clean_str(analysis.lang)[:16],
        "lang_hint": clean_text(raw.lang_hint, 16),
        "created_at": raw.created_at,
        "collected_at": collected_at,
        # ids are keys (urgent alerts dedup on the conversation): same rule as external_id
        "conversation_id": clean_id(raw.conversation_id) if raw.conversation_id is not None else None,
        "metrics": metrics,
        # one number per metric, whatever name its source gives it (domain.metrics)
        "likes": metric_count(metrics, "likes"),
        "replies": metric_count(metrics, "replies"),
        "reposts": metric_count(metrics, "reposts"),
        "brands": _tags(analysis.brands, MentionBrand.__table__.c.brand),
        "sentiment_label": analysis.sentiment.label,
        "sentiment_score": float(analysis.sentiment.score),
        "sentiment_probs": clean_json(dict(analysis.sentiment.probs)),
        "aspects": _tags(analysis.aspects, MentionAspect.__table__.c.aspect),
        "urgency": float(analysis.urgency),
        "signals": signals,
        "raw": clean_raw_payload(dict(raw.raw)),
        "sentiment_model": clean_text(analysis.sentiment_model, 64),
        # the emotion head's label when the model has one; None (nothing stored) when it has none
        "emotion": clean_text(analysis.sentiment.emotion, 16),
    }


class MentionStore:
    """Stores analysed mentions with their listener checkpoints, atomically and idempotently."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessions = session_factory(engine)

    content_id = staticmethod(content_id)

    def save_batch(
        self,
        items: Sequence[tuple[RawMention, MentionAnalysis]],
        checkpoint: Checkpoint | None,
        *,
        collected_at: datetime | None = None,
    ) -> SaveResult:
        """Insert new mentions and upsert ``checkpoint``, all in ONE transaction.

        Mentions already stored (same ``source`` and ``external_id``, also within the batch)
        are counted as duplicates and left unchanged. ``inserted_ids`` follow the order of
        ``items``. On any error nothing of the batch, checkpoint included, is stored: a naive
        ``created_at`` raises ``NaiveDatetimeError`` before anything is written; database
        failures raise SQLAlchemy's errors after the transaction is rolled back.
        """
        collected = require_aware(collected_at or datetime.now(UTC), "collected_at")
        # Rows are built (and validated) before the transaction opens; the first occurrence of
        # a key within the batch wins, later ones are duplicates.
        rows: dict[tuple[str, str], dict[str, Any]] = {}
        for raw, analysis in items:
            row = mention_row(raw, analysis, collected)
            rows.setdefault((row["source"], row["external_id"]), row)
        with self.engine.begin() as conn:
            # Sorted by key: concurrent writers then lock keys in one order and cannot deadlock.
            new_ids = self._insert_new(conn, [rows[key] for key in sorted(rows)])
            self._insert_children(conn, [(new_ids[key], row) for key, row in rows.items() if key in new_ids])
            # the analysts' counters, in this transaction (storage.rollups says why not triggers)
            rollups.add_rows(conn, ({**r, "id": new_ids[k]} for k, r in rows.items() if k in new_ids))
            if checkpoint is not None:
                self._upsert_checkpoint(conn, checkpoint, collected)
        inserted_ids = [new_ids[key] for key in rows if key in new_ids]
        return SaveResult(
            inserted=len(inserted_ids), duplicates=len(items) - len(inserted_ids), inserted_ids=inserted_ids
        )

    @staticmethod
    def _insert_new(conn: Connection, rows: list[dict[str, Any]]) -> dict[tuple[str, str], int]:
        """Insert rows whose key is not stored yet (one multi-row statement); their new ids by key.

        ON CONFLICT DO NOTHING also covers a concurrent writer inserting the same key.
        """
        if not rows:
            return {}
        table = Mention.__table__
        statement = (
            _insert(conn, table)
            .on_conflict_do_nothing(index_elements=["source", "external_id"])
            .returning(table.c.id, table.c.source, table.c.external_id)
        )
        result = conn.execute(statement, rows)
        return {(source, external_id): mention_id for mention_id, source, external_id in result}

    @staticmethod
    def _insert_children(conn: Connection, new: list[tuple[int, dict[str, Any]]]) -> None:
        """The brand and aspect rows that filters and per-brand timelines use."""
        brands = [
            {"mention_id": mention_id, "brand": brand, "created_at": row["created_at"]}
            for mention_id, row in new
            for brand in row["brands"]
        ]
        aspects = [
            {"mention_id": mention_id, "aspect": aspect, "created_at": row["created_at"]}
            for mention_id, row in new
            for aspect in row["aspects"]
        ]
        if brands:
            conn.execute(MentionBrand.__table__.insert(), brands)
        if aspects:
            conn.execute(MentionAspect.__table__.insert(), aspects)

    @staticmethod
    def _upsert_checkpoint(conn: Connection, checkpoint: Checkpoint, at: datetime) -> None:
        values = {
            "key": checkpoint.key,
            "version": checkpoint.version,
            "state": clean_json(checkpoint.state),
            "updated_at": at,
        }
        statement = _insert(conn, ListenerCheckpoint.__table__).values(**values)
        statement = statement.on_conflict_do_update(
            index_elements=["key"],
            set_={name: statement.excluded[name] for name in ("version", "state", "updated_at")},
        )
        conn.execute(statement)

    def save_checkpoint(self, checkpoint: Checkpoint, *, at: datetime | None = None) -> None:
        """Upsert a checkpoint alone (a listener that advanced without new mentions)."""
        with self.engine.begin() as conn:
            self._upsert_checkpoint(
                conn, checkpoint, require_aware(at or datetime.now(UTC), "checkpoint time")
            )

    def load_checkpoint(self, key: str) -> Checkpoint | None:
        """The stored checkpoint of ``key``, or None before its first batch.

        Raises ``domain.checkpoint.CheckpointVersionError`` when it was written by an
        incompatible version (the listener then decides whether to start over).
        """
        with self.engine.connect() as conn:
            row = conn.execute(
                select(ListenerCheckpoint.version, ListenerCheckpoint.state).where(
                    ListenerCheckpoint.key == key
                )
            ).first()
        if row is None:
            return None
        return Checkpoint.from_json(key, {"version": row.version, "state": row.state})

    def record_listener_run(
        self,
        key: str,
        source: str,
        *,
        ok: bool,
        items: int,
        error_kind: str | None = None,
        error: str | None = None,
        at: datetime,
    ) -> None:
        """Record the outcome of one run of listener ``key`` (upsert of its ``ListenerState``).

        One atomic statement, so concurrent runs never lose a count. A success resets
        ``consecutive_failures`` but keeps the last error (and its time) for the status page.
        ``error`` is stored cut to ``MAX_ERROR_CHARS``; callers must not put secrets in it.
        """
        require_aware(at, "listener run time")
        table = ListenerState.__table__
        values: dict[str, Any] = {
            "key": key,
            "source": source,
            "last_run_at": at,
            "items_last_run": items,
            "items_total": items,
            "consecutive_failures": 0 if ok else 1,
        }
        if ok:
            values["last_ok_at"] = at
        else:
            values |= {
                "last_error_at": at,
                "last_error_kind": clean_str(error_kind or "unknown")[:64],
                "last_error": clean_text(error, MAX_ERROR_CHARS),
            }
        with self.engine.begin() as conn:
            statement = _insert(conn, table).values(**values)
            update = {name: statement.excluded[name] for name in values if name not in ("key", "items_total")}
            update["items_total"] = table.c.items_total + items
            if not ok:
                update["consecutive_failures"] = table.c.consecutive_failures + 1
            conn.execute(statement.on_conflict_do_update(index_elements=["key"], set_=update))

    def listener_states(self) -> list[ListenerState]:
        """Every listener's health, ordered by key (detached objects)."""
        with self.sessions() as session:
            return list(session.scalars(select(ListenerState).order_by(ListenerState.key)))

    def mentions_by_ids(self, ids: Sequence[int]) -> list[Mention]:
        """Mentions with these ids, in the order given (missing ids are skipped)."""
        if not ids:
            return []
        with self.sessions() as session:
            found = {m.id: m for m in session.scalars(select(Mention).where(Mention.id.in_(list(ids))))}
        return [found[i] for i in ids if i in found]

    def count_mentions(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(Mention)).scalar_one())
