"""Data-subject requests: everything stored about one author, exported or deleted.

An author is a handle (case-insensitive, with or without ``@``), optionally on one source. A
deletion cascades through ``storage.erasure`` and is recorded in the audit log: who asked, when,
how many rows of each table went; the handle itself appears there only as a digest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage import audit
from storage.erasure import erase
from storage.models import Mention, UrgentAlert


class PrivacyRequestError(ValueError):
    """A request that names nobody (an empty handle)."""


def _handle(handle: str) -> str:
    cleaned = handle.strip().lstrip("@").lower()
    if not cleaned or any(ord(c) < 32 for c in cleaned):
        raise PrivacyRequestError("give the author's handle (e.g. @name)")
    return cleaned


def author_target(handle: str, source: str | None) -> str:
    """The audit target for a request: the handle as a digest, never in clear."""
    digest = hashlib.sha256(_handle(handle).encode()).hexdigest()[:16]
    return f"author:{source or '*'}:{digest}"


def author_mention_ids(session: Session, handle: str, source: str | None = None) -> list[int]:
    where = [func.lower(Mention.author_handle) == _handle(handle)]
    if source:
        where.append(Mention.source == source)
    return list(session.scalars(select(Mention.id).where(*where).order_by(Mention.id)))


def export_author(session: Session, handle: str, source: str | None = None) -> Iterator[dict[str, Any]]:
    """Every stored mention by the author, as stored (raw payload and analysis included), plus
    the urgent alerts raised on them; JSON-ready dicts, oldest first."""
    ids = author_mention_ids(session, handle, source)
    for start in range(0, len(ids), 500):
        group = ids[start : start + 500]
        alerts: dict[int, list[dict[str, Any]]] = {}
        for alert in session.scalars(select(UrgentAlert).where(UrgentAlert.mention_id.in_(group))):
            alerts.setdefault(alert.mention_id, []).append(
                {"id": alert.id, "brand": alert.brand, "status": alert.status,
                 "created_at": alert.created_at.isoformat()}
            )  # fmt: skip
        for m in session.scalars(select(Mention).where(Mention.id.in_(group)).order_by(Mention.id)):
            yield {
                "id": m.id, "source": m.source, "external_id": m.external_id, "url": m.url,
                "author_id": m.author_id, "author_handle": m.author_handle, "author_name": m.author_name,
                "author_followers": m.author_followers, "text": m.text, "lang": m.lang,
                "created_at": m.created_at.isoformat(), "collected_at": m.collected_at.isoformat(),
                "brands": list(m.brands or []), "sentiment": m.sentiment_label,
                "aspects": list(m.aspects or []), "urgency": m.urgency, "metrics": m.metrics or {},
                "raw": m.raw or {}, "urgent_alerts": alerts.get(m.id, []),
            }  # fmt: skip


def delete_author(
    session: Session, handle: str, *, source: str | None = None, actor: str, ip: str | None = None
) -> dict[str, int]:
    """Delete everything stored about the author (in the caller's transaction; commit to keep)
    and append the audit record. Returns rows deleted or redacted per table."""
    ids = author_mention_ids(session, handle, source)
    touched = erase(session, ids)
    counts = {table: int(n) for table, n in sorted(touched.items())}
    audit.record(
        session, actor=actor, action="privacy.delete_author", target=author_target(handle, source),
        new={"mentions": len(ids), "rows": counts}, ip=ip, at=datetime.now(UTC),
    )  # fmt: skip
    return counts
