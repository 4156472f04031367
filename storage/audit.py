"""The audit log: append one row per action, read a target's history.

Written in the caller's transaction, so an action and its audit row commit (or roll back) together.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.accounts import AuditEntry

MAX_VALUE_CHARS = 4000  # a note or reason longer than this is cut in the log (the item keeps it whole)


def _bounded(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {k: v[:MAX_VALUE_CHARS] if isinstance(v, str) else v for k, v in value.items()}


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    target: str,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    ip: str | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        at=at or datetime.now(UTC),
        actor=actor[:128],
        action=action[:64],
        target=target[:160],
        old_value=_bounded(old),
        new_value=_bounded(new),
        ip=(ip or None) and ip[:64],
    )
    session.add(entry)
    return entry


def history(session: Session, target: str, limit: int = 200) -> list[AuditEntry]:
    """The target's entries, oldest first."""
    query = select(AuditEntry).where(AuditEntry.target == target).order_by(AuditEntry.id).limit(limit)
    return list(session.scalars(query))


def count_recent(
    session: Session, action: str, *, since: timedelta, target: str | None = None, ip: str | None = None
) -> int:
    """How many ``action`` entries (for ``target`` and/or from ``ip``) in the last ``since``."""
    query = (
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.action == action, AuditEntry.at >= datetime.now(UTC) - since)
    )
    if target is not None:
        query = query.where(AuditEntry.target == target)
    if ip is not None:
        query = query.where(AuditEntry.ip == ip)
    return int(session.scalar(query) or 0)


def latest_id(session: Session) -> int:
    return int(session.scalar(select(func.max(AuditEntry.id))) or 0)
