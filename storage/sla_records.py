"""SLA records: one row per incident or urgent mention, with its deadline and outcome (issue 12).

The deadline is fixed when the row is written (``alerts.sla_tracker``): a later change of the
targets does not move the deadlines already promised. ``outcome`` is None while the clock runs,
then ``met`` (the response came by the deadline), ``breached`` (it did not) or ``void`` (no
response was owed: a backfilled alert, a false alarm, an incident the detector closed in time).
``escalated_at`` is set in the transaction that queued the escalation, so it happens once.
``closed_at`` is set when nothing can change any more (answered, void, or closed unanswered).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Float, Index, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from storage.models import Base
from storage.types import IdType, JsonType, UTCDateTime

MET, BREACHED, VOID = "met", "breached", "void"
_LOOKUP_CHUNK = 400  # pairs per IN list (SQLite's variable limit)


class SlaRecord(Base):
    __tablename__ = "sla_records"
    __table_args__ = (
        UniqueConstraint("kind", "item_id", name="uq_sla_records_kind"),
        Index("ix_sla_records_closed_at", "closed_at"),
        Index("ix_sla_records_brand_deadline", "brand", "deadline"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))  # incident | urgent
    item_id: Mapped[int] = mapped_column(IdType)
    brand: Mapped[str] = mapped_column(String(128))
    metric: Mapped[str] = mapped_column(String(32))  # acknowledge | first_response
    target_minutes: Mapped[float] = mapped_column(Float)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(16))
    agent: Mapped[str | None] = mapped_column(String(128))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated_to: Mapped[list[str] | None] = mapped_column(JsonType)
    #: set once nothing can change any more (answered, void, or closed unanswered): no longer read
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


_LOOKUP_COLUMNS = (
    SlaRecord.kind,
    SlaRecord.item_id,
    SlaRecord.deadline,
    SlaRecord.outcome,
    SlaRecord.responded_at,
)


def lookup(session: Session, keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], Any]:
    """What the inbox reads of these (kind, item id) pairs' records — ``deadline``, ``outcome``,
    ``responded_at`` — by pair (pairs without a record are absent). Plain rows, not ORM objects:
    every refresh of every open inbox reads hundreds."""
    by_kind: dict[str, list[int]] = {}
    for kind, item_id in dict.fromkeys(keys):
        by_kind.setdefault(kind, []).append(item_id)
    found: dict[tuple[str, int], SlaRecord] = {}
    for kind, ids in by_kind.items():
        for start in range(0, len(ids), _LOOKUP_CHUNK):  # one index range per kind, bounded IN lists
            chunk = ids[start : start + _LOOKUP_CHUNK]
            query = select(*_LOOKUP_COLUMNS).where(SlaRecord.kind == kind, SlaRecord.item_id.in_(chunk))
            found.update({(r.kind, r.item_id): r for r in session.execute(query)})
    return found


def pending(session: Session, limit: int = 1000) -> list[SlaRecord]:
    """Records still watched (not closed), oldest deadline first: the clock runs, or the deadline
    passed and the item is still open and unanswered."""
    query = (
        select(SlaRecord)
        .where(SlaRecord.closed_at.is_(None))
        .order_by(SlaRecord.deadline, SlaRecord.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def decided_between(
    session: Session, since: datetime | None, until: datetime | None, brand: str | None = None
) -> list[Any]:
    """(brand, kind, outcome, agent, deadline) of every record whose deadline falls in [since, until)."""
    query = select(SlaRecord.brand, SlaRecord.kind, SlaRecord.outcome, SlaRecord.agent, SlaRecord.deadline)
    if since is not None:
        query = query.where(SlaRecord.deadline >= since)
    if until is not None:
        query = query.where(SlaRecord.deadline < until)
    if brand:
        query = query.where(SlaRecord.brand == brand)
    return list(session.execute(query))
