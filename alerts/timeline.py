"""Alerting in event-time order, so the same input always gives the same alerts.

Three things happen at an event time: a mention is written (the urgent check judges it), a
question's answer time runs out (``unanswered_question_minutes`` after it was asked), and a
bucket closes (spike detection judges it once the event time is ``allowed_lateness`` past its
end). Whether an urgent alert folds into an incident depends on which incidents are open, so
before an urgent alert at event time ``t`` is folded, detection is advanced to exactly
``closed_until(t)``: the bucket boundaries are the same however the input was batched, however
fast it was replayed, and whenever the detection timer fired.

``advance`` walks what is stored from the urgent cursor (``alerts.alert_cursor``) and the
unanswered-question position up to ``until`` in that order, in the caller's transaction, which
also stores both positions: a process killed at any point redoes exactly the part not committed.
Mentions handed in that lie behind the cursor (late arrivals) are judged first, against the
incidents as they are now.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from alerts.alert_cursor import AlertCursor
from alerts.events import AlertEvent, UrgentMention
from alerts.series import SERIES_PREFIX
from alerts.spike_pass import SpikePass
from alerts.urgent import UNANSWERED_KEY, UrgentDetector
from storage.models import DetectorState, Mention

_ID_CHUNK = 500
_MENTION, _DEADLINE = 1, 0  # at one instant a question's deadline comes before a new mention

Fold = Callable[[Session, Sequence[AlertEvent]], list[AlertEvent]]


@dataclass
class Walk:
    """What one ``advance`` found: events in event-time order, and how far detection judged."""

    events: list[AlertEvent] = field(default_factory=list)
    judged_until: datetime | None = None


def mentions_by_ids(session: Session, ids: Sequence[int]) -> list[Mention]:
    found: list[Mention] = []
    for chunk in range(0, len(ids), _ID_CHUNK):  # bounded IN lists (SQLite variable limit)
        found += session.scalars(select(Mention).where(Mention.id.in_(ids[chunk : chunk + _ID_CHUNK])))
    return sorted(found, key=lambda m: (m.created_at, m.id))


def advance(
    session: Session,
    urgent: UrgentDetector,
    spikes: SpikePass,
    fold: Fold,
    until: datetime,
    handed: Sequence[Mention],
    now: datetime,
) -> Walk:
    """Judge every stored mention and question deadline up to ``until`` in event-time order."""
    cursor = AlertCursor.load(session) or _new_cursor(session, handed, until)
    from_start = cursor.row is None and cursor.at is None  # a store alerting never touched
    late = [m for m in handed if cursor.behind(m.created_at, m.id) and not cursor.judged(m.id)]
    items: list[tuple[datetime, int, int, Any]] = [(m.created_at, _MENTION, m.id, m) for m in late]
    ordered = [(m.created_at, _MENTION, m.id, m) for m in _ahead(session, cursor, until)]
    due = urgent.due_questions(session, until, now, from_start=from_start)
    ordered += [(d, _DEADLINE, q.id, q) for d, q in due]
    items += sorted(ordered, key=lambda item: item[:3])
    walk = Walk()
    for t, kind, _, m in items:
        if kind == _MENTION:
            raised = urgent.judge(session, m, now)
            cursor.mark(m.created_at, m.id)
        else:
            raised = urgent.question(session, m, now)
        if raised:
            judge_until(session, spikes, spikes.closed_until(t), now, walk)
            walk.events += fold(session, raised)
    cursor.save(session, now)
    return walk


def judge_until(session: Session, spikes: SpikePass, end: datetime, now: datetime, walk: Walk) -> None:
    """Detection over every bucket before ``end`` (a no-op where it already judged them)."""
    if walk.judged_until is not None and end <= walk.judged_until:
        return
    walk.events += spikes.run(session, end, now)
    walk.judged_until = end


def _ahead(session: Session, cursor: AlertCursor, until: datetime) -> list[Mention]:
    query = select(Mention).where(Mention.created_at <= until)
    if cursor.at is not None:
        query = query.where(
            or_(
                Mention.created_at > cursor.at,
                and_(Mention.created_at == cursor.at, Mention.id > cursor.last_id),
            )
        )
    return list(session.scalars(query.order_by(Mention.created_at, Mention.id)))


def _new_cursor(session: Session, handed: Sequence[Mention], until: datetime) -> AlertCursor:
    """On a store that alerting never touched: from the start. On one an older version alerted on
    (its detection states exist, the cursor does not): from the mentions handed in, else ``until``,
    so the archive is not judged a second time."""
    touched = session.scalar(
        select(DetectorState.key)
        .where(or_(DetectorState.key.like(f"{SERIES_PREFIX}%"), DetectorState.key == UNANSWERED_KEY))
        .limit(1)
    )
    if touched is None:
        return AlertCursor()
    if handed:
        first = handed[0]
        return AlertCursor(at=first.created_at, last_id=first.id - 1)
    return AlertCursor(at=until, last_id=2**62)


def urgent_only(events: Sequence[AlertEvent]) -> list[AlertEvent]:
    return [e for e in events if isinstance(e, UrgentMention)]
