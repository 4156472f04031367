"""The dead-letter table: mentions a source gave that could not be stored.

When a batch fails to store, the pipeline splits it until the bad row is alone
(``shenava.service.pipeline``); that row lands here with its error, the rest of the batch and the
checkpoint are stored, so one poison post never blocks a source. ``shenava deadletter
list|show|retry|drop`` and ``GET /api/v1/deadletters`` read it; ``retry`` puts a row back through
the pipeline (after a fix), ``drop`` forgets it.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, Index, Integer, String, Text, UniqueConstraint, delete, func, select
from sqlalchemy.orm import Mapped, mapped_column

from domain.mention import RawMention
from storage.models import Base
from storage.types import IdType, UTCDateTime

#: the stored error message is cut here (a driver error can quote a whole statement)
MAX_ERROR_CHARS = 500


class DeadLetter(Base):
    __tablename__ = "dead_letters"
    __table_args__ = (
        UniqueConstraint("source", "external_id", name="uq_dead_letters_source"),
        Index("ix_dead_letters_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    listener: Mapped[str] = mapped_column(String(128))
    source: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(255))
    error: Mapped[str] = mapped_column(Text)
    payload: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_failed_at: Mapped[datetime] = mapped_column(UTCDateTime)


def mention_payload(mention: RawMention) -> str:
    """The mention as strict JSON (numbers that JSON cannot hold become strings)."""
    data = asdict(mention)
    data["created_at"] = mention.created_at.isoformat() if _safe_iso(mention) else repr(mention.created_at)
    return (
        json.dumps(data, ensure_ascii=False, default=repr, allow_nan=False)
        if _strict(data)
        else json.dumps(_stringify(data), ensure_ascii=False, default=repr)
    )


def payload_mention(payload: str) -> RawMention:
    """The ``RawMention`` a payload holds (``ValueError``/``TypeError`` if it is not one)."""
    data = json.loads(payload)
    data["created_at"] = datetime.fromisoformat(data["created_at"])
    return RawMention(**data)


def add(
    engine: Engine, listener: str, mention: RawMention, error: str, *, at: datetime | None = None
) -> None:
    """Record (or count again) the mention that failed to store, with its error."""
    now = at or datetime.now(UTC)
    source, external_id = mention.source[:32], mention.external_id[:255]
    with engine.begin() as conn:
        row = conn.execute(
            select(DeadLetter.id, DeadLetter.attempts).where(
                DeadLetter.source == source, DeadLetter.external_id == external_id
            )
        ).first()
        values: dict[str, Any] = {
            "error": error[:MAX_ERROR_CHARS],
            "last_failed_at": now,
            "listener": listener[:128],
        }
        if row is None:
            conn.execute(
                DeadLetter.__table__.insert().values(
                    source=source,
                    external_id=external_id,
                    payload=mention_payload(mention),
                    attempts=1,
                    created_at=now,
                    **values,
                )
            )
        else:
            conn.execute(
                DeadLetter.__table__.update()
                .where(DeadLetter.id == row.id)
                .values(attempts=row.attempts + 1, **values)
            )


def count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(DeadLetter)).scalar_one())


def list_rows(engine: Engine, *, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    """The newest first, without payloads."""
    cols = (
        DeadLetter.id,
        DeadLetter.listener,
        DeadLetter.source,
        DeadLetter.external_id,
        DeadLetter.error,
        DeadLetter.attempts,
        DeadLetter.created_at,
        DeadLetter.last_failed_at,
    )
    with engine.connect() as conn:
        rows = conn.execute(select(*cols).order_by(DeadLetter.id.desc()).limit(limit).offset(offset))
        return [dict(row._mapping) for row in rows]


def get(engine: Engine, dead_letter_id: int) -> dict[str, Any] | None:
    with engine.connect() as conn:
        row = conn.execute(select(DeadLetter.__table__).where(DeadLetter.id == dead_letter_id)).first()
        return dict(row._mapping) if row else None


def drop(engine: Engine, dead_letter_id: int) -> bool:
    with engine.begin() as conn:
        return conn.execute(delete(DeadLetter).where(DeadLetter.id == dead_letter_id)).rowcount > 0


def _safe_iso(mention: RawMention) -> bool:
    try:
        mention.created_at.isoformat()
        return True
    except (ValueError, OverflowError):
        return False


def _strict(data: Any) -> bool:
    try:
        json.dumps(data, default=repr, allow_nan=False)
        return True
    except (ValueError, RecursionError):
        return False


def _stringify(value: Any, depth: int = 0) -> Any:
    if depth > 32:
        return "…"
    if isinstance(value, dict):
        return {str(k): _stringify(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_stringify(v, depth + 1) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() >= 63:
        return f"<integer of {value.bit_length()} bits>"  # str() of a 5,000-digit int raises
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return repr(value)
    return value
