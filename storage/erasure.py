"""Removing mentions from everything that holds them, or stripping who wrote them.

A mention is quoted in more places than its row: its brand and touchpoint rows, people's
corrections of it, the full-text index (SQLite's FTS5 triggers; PostgreSQL's generated column goes
with the row), urgent alerts raised on it, incident explanations and outbox payloads that quote its
text and author, and the values of audit entries about those alerts or the mention (a correction's
reason). ``erase`` deletes all of it; ``anonymise`` removes the author, URL, platform id and raw
payload everywhere but keeps the text and analysis. Both run in the caller's transaction (in chunks
of ids) and return how many rows of each table they touched.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from storage import rollups
from storage.accounts import AuditEntry
from storage.models import (
    Delivery,
    Incident,
    Mention,
    MentionAspect,
    MentionBrand,
    MentionCorrection,
    UrgentAlert,
)

CHUNK = 500  # ids per statement: under SQLite's bound-variable limit
REDACTED = {"redacted": "data removed (privacy)"}
_AUTHOR_KEYS = ("author", "author_handle", "author_name", "url", "followers", "author_followers")


def chunks(ids: Sequence[int], size: int = CHUNK) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def _scrub(value: Any, ids: set[int], keep_text: bool) -> tuple[Any, bool]:
    """``value`` (a JSON document) without the mentions in ``ids``: quoted mention objects
    (``{"id": …}`` in a ``mentions`` list) are dropped or stripped; an event about one
    (``mention_id``) loses its text and/or author."""
    changed = False
    if isinstance(value, list):
        out = []
        for item in value:
            new, hit = _scrub(item, ids, keep_text)
            changed |= hit
            out.append(new)
        return out, changed
    if not isinstance(value, dict):
        return value, False
    out_dict: dict[str, Any] = {}
    about = value.get("mention_id") in ids
    for key, item in value.items():
        if key == "mentions" and isinstance(item, list):
            kept = []
            for m in item:
                if isinstance(m, dict) and m.get("id") in ids:
                    changed = True
                    if keep_text:
                        kept.append({k: (None if k in _AUTHOR_KEYS else v) for k, v in m.items()})
                    continue
                kept.append(m)
            out_dict[key] = kept
            continue
        if about and (key in _AUTHOR_KEYS or (key == "text" and not keep_text)):
            out_dict[key] = "" if key == "text" else None
            changed = True
            continue
        new, hit = _scrub(item, ids, keep_text)
        changed |= hit
        out_dict[key] = new
    return out_dict, changed


def _scrub_documents(session: Session, ids: set[int], urgent_ids: set[int], keep_text: bool) -> Counter[str]:
    """Outbox payloads, incident details and audit entries quoting the mentions or their alerts."""
    touched: Counter[str] = Counter()
    urgent_refs = {f"urgent:{u}" for u in urgent_ids}
    for row in session.scalars(select(Delivery).execution_options(yield_per=500)):
        payload, changed = _scrub(row.payload or {}, ids, keep_text)
        if changed or (row.event_ref in urgent_refs and not keep_text):
            row.payload = payload if changed else REDACTED
            touched["deliveries"] += 1
    for incident in session.scalars(select(Incident).execution_options(yield_per=500)):
        details, changed = _scrub(incident.details or {}, ids, keep_text)
        if changed:
            incident.details = details
            touched["incidents"] += 1
    # audit values about the urgent alerts or the mentions themselves (a correction's reason) may quote them
    quoted_refs = urgent_refs | {f"mention:{i}" for i in ids}
    if not keep_text:
        for group in chunks(sorted(quoted_refs)):  # type: ignore[arg-type]
            result = session.execute(
                update(AuditEntry)
                .where(AuditEntry.target.in_(group))
                .values(old_value=REDACTED, new_value=REDACTED)
            )
            touched["audit_log"] += result.rowcount or 0
    return touched


def erase(session: Session, mention_ids: Sequence[int]) -> Counter[str]:
    """Delete the mentions and every row and quote of them; the rows touched per table."""
    touched: Counter[str] = Counter()
    if not mention_ids:
        return touched
    ids = set(mention_ids)
    urgent_ids: set[int] = set()
    for group in chunks(sorted(ids)):
        urgent_ids.update(session.scalars(select(UrgentAlert.id).where(UrgentAlert.mention_id.in_(group))))
    touched.update(_scrub_documents(session, ids, urgent_ids, keep_text=False))
    for group in chunks(sorted(ids)):
        rollups.remove(session.connection(), group)  # uncounted while their rows still say what they were
        for table, column in (
            (UrgentAlert, UrgentAlert.mention_id),
            (MentionBrand, MentionBrand.mention_id),
            (MentionAspect, MentionAspect.mention_id),
            (MentionCorrection, MentionCorrection.mention_id),
            (Mention, Mention.id),  # the FTS5 delete trigger takes it out of the SQLite index
        ):
            result = session.execute(delete(table).where(column.in_(group)))
            touched[table.__tablename__] += result.rowcount or 0
    session.flush()
    return touched


def anonymous_id(source: str, external_id: str) -> str:
    """The platform id replaced by a digest: still unique per source, no longer a link to the post."""
    return "anon:" + hashlib.sha256(f"{source}\x00{external_id}".encode()).hexdigest()[:32]


def anonymise(session: Session, mention_ids: Sequence[int]) -> Counter[str]:
    """Strip who wrote the mentions (author, URL, platform id, raw payload) everywhere they are
    quoted; the text, its analysis and the counts stay."""
    touched: Counter[str] = Counter()
    if not mention_ids:
        return touched
    pending = []  # only rows that still say who wrote them: a second run touches nothing
    for group in chunks(sorted(set(mention_ids))):
        pending += session.execute(
            select(Mention.id, Mention.source, Mention.external_id).where(
                Mention.id.in_(group), Mention.author_id.is_not(None) | Mention.author_handle.is_not(None)
                | Mention.author_name.is_not(None) | Mention.url.is_not(None)
                | ~Mention.external_id.startswith("anon:")
            )
        ).all()  # fmt: skip
    if not pending:
        return touched
    touched.update(_scrub_documents(session, {row[0] for row in pending}, set(), keep_text=True))
    for group in chunks(sorted(row[0] for row in pending)):  # the author counters, while handles last
        rollups.forget_authors(session.connection(), group)
    for mention_id, source, external_id in pending:
        new_id = external_id if external_id.startswith("anon:") else anonymous_id(source, external_id)
        session.execute(
            update(Mention)
            .where(Mention.id == mention_id)
            .values(
                author_id=None, author_handle=None, author_name=None, author_followers=None, url=None,
                raw={}, external_id=new_id, conversation_id=None,
            )
        )  # fmt: skip
        touched["mentions"] += 1
    session.flush()
    return touched
