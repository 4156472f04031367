"""Deadlines, outcomes and the one escalation of every incident and urgent mention (issue 12 item 6).

``SlaTracker.run(now)`` does one pass in one transaction:

1. every incident and urgent alert without a record gets one: its deadline is the brand's target in
   working minutes (``alerts.sla.deadline``) after the alert was raised (``workflow.raised_at``, the
   moment support could first see it);
2. every record still running is judged from the item itself — an incident's acknowledgement, an
   urgent mention's first response (``details["first_response_at"]``: a reply sent from the inbox,
   or a brand handle's reply found by the listeners), or a person's resolution — ``met`` when that
   came by the deadline, ``breached`` otherwise; an item owed nothing (backfilled, a false alarm,
   closed by the detector before its deadline) is ``void``;
3. a record whose deadline passed with no response is ``breached`` and, when the brand has an
   escalation route, its event is queued in the notification outbox for those channels in the same
   transaction that sets ``escalated_at`` — once: the record says so, and the outbox's unique
   ``dedup_key`` refuses a second row even from a concurrent pass. The outbox delivers it (retries,
   survives restarts) like every other alert.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from alerts.events import AlertEvent
from alerts.messages import MessageContext
from alerts.outbox import enqueue
from alerts.routing import quiet_until
from alerts.settings import QuietHours
from alerts.sla import deadline
from alerts.sla_events import SlaIncidentBreached, SlaUrgentBreached
from alerts.sla_settings import SlaSettings
from alerts.workflow import DETECTOR, RESOLVED, raised_at
from storage import audit, sla_records
from storage.models import Incident, UrgentAlert
from storage.sla_records import BREACHED, MET, VOID, SlaRecord

METRIC = {"incident": "acknowledge", "urgent": "first_response"}
NEW_PER_PASS = 2000  # records written per pass (a first start over a big archive catches up in passes)


@dataclass
class SlaPassReport:
    created: int = 0
    met: int = 0
    breached: int = 0
    void: int = 0
    escalated: list[AlertEvent] = field(default_factory=list)


class SlaPolicy:
    """The targets of the ``sla`` section, as deadlines."""

    def __init__(self, settings: SlaSettings, timezone: str) -> None:
        self.settings = settings
        self.week = settings.working_week.week(timezone)

    def target_minutes(self, kind: str, brand: str) -> float:
        targets = self.settings.targets(brand)
        value = targets.acknowledge_minutes if kind == "incident" else targets.first_response_minutes
        return float(value or 0)

    def deadline(self, kind: str, brand: str, start: datetime) -> datetime:
        return deadline(start, self.target_minutes(kind, brand), self.week).astimezone(UTC)

    def escalation(self, brand: str) -> list[str]:
        return list(self.settings.targets(brand).escalate_to or [])


def _history_responder(item: Any, action: str) -> str | None:
    for entry in (item.details or {}).get("history", []):
        if entry.get("action") == action:
            return entry.get("by")
    return None


def response_of(kind: str, item: Incident | UrgentAlert) -> tuple[datetime | None, str | None]:
    """When the owed response came and who gave it (None, None while it has not)."""
    details = item.details or {}
    if kind == "urgent":
        first = details.get("first_response_at")
        if first:
            return datetime.fromisoformat(first), _history_responder(item, "reply") or item.acknowledged_by
    elif item.acknowledged_at is not None and item.acknowledged_by not in (None, DETECTOR):
        return item.acknowledged_at, item.acknowledged_by
    if (
        item.status == RESOLVED
        and item.resolved_by not in (None, DETECTOR)
        and not details.get("not_relevant")
    ):
        return item.resolved_at, item.resolved_by  # a person closed it: that was the response
    return None, None


def _owed_nothing(item: Incident | UrgentAlert, record: SlaRecord) -> bool:
    """Backfilled (never paged), a false alarm, or closed by the detector before its deadline."""
    details = item.details or {}
    if details.get("backfilled") or details.get("not_relevant"):
        return True
    closed = item.status == RESOLVED and item.resolved_at is not None
    return closed and item.resolved_at <= record.deadline


class SlaTracker:
    def __init__(
        self,
        engine: Engine,
        policy: SlaPolicy,
        messages: MessageContext,
        *,
        quiet: QuietHours | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.engine = engine
        self.policy = policy
        self.messages = messages
        self.quiet = quiet
        self.clock = clock or (lambda: datetime.now(UTC))

    @classmethod
    def from_settings(
        cls, settings: Any, engine: Engine, *, clock: Callable[[], datetime] | None = None
    ) -> SlaTracker:
        """From the root settings (``config.settings.Settings``): targets, language, inbox link."""
        from alerts.messages import brand_display_names

        language = settings.notifications.language
        web = getattr(settings, "web", None)
        messages = MessageContext(
            language=language,
            timezone=settings.timezone,
            public_url=getattr(web, "public_url", None),
            brand_names=brand_display_names(settings.brands, language),
        )
        return cls(
            engine,
            SlaPolicy(settings.sla, settings.timezone),
            messages,
            quiet=settings.notifications.quiet_hours,
            clock=clock,
        )

    def run(self, now: datetime | None = None) -> SlaPassReport:
        now = now or self.clock()
        report = SlaPassReport()
        with Session(self.engine) as session, session.begin():
            report.created = self._create_missing(session, now)
            session.flush()
            records = sla_records.pending(session)
            items = self._items(session, records)
            for record in records:
                self._judge(session, record, items.get((record.kind, record.item_id)), now, report)
        return report

    def _create_missing(self, session: Session, now: datetime) -> int:
        created = 0
        for kind, model in (("incident", Incident), ("urgent", UrgentAlert)):
            known = select(SlaRecord.item_id).where(SlaRecord.kind == kind)
            rows = session.scalars(
                select(model).where(model.id.not_in(known)).order_by(model.id).limit(NEW_PER_PASS)
            )
            for item in rows:
                start = raised_at(item)
                session.add(
                    SlaRecord(
                        kind=kind,
                        item_id=item.id,
                        brand=item.brand,
                        metric=METRIC[kind],
                        target_minutes=self.policy.target_minutes(kind, item.brand),
                        started_at=start,
                        deadline=self.policy.deadline(kind, item.brand, start),
                        created_at=now,
                    )
                )
                created += 1
        return created

    @staticmethod
    def _items(session: Session, records: Sequence[SlaRecord]) -> dict[tuple[str, int], Any]:
        """The records' items, read in a few queries (not one per record)."""
        found: dict[tuple[str, int], Any] = {}
        for kind, model in (("incident", Incident), ("urgent", UrgentAlert)):
            ids = [r.item_id for r in records if r.kind == kind]
            for start in range(0, len(ids), 500):
                rows = session.scalars(select(model).where(model.id.in_(ids[start : start + 500])))
                found.update({(kind, row.id): row for row in rows})
        return found

    def _judge(
        self, session: Session, record: SlaRecord, item: Any, now: datetime, report: SlaPassReport
    ) -> None:
        if item is None:  # erased (privacy): nothing is owed any more
            self._decide(record, record.outcome or VOID, now, report)
            record.closed_at = now
            return
        responded, by = response_of(record.kind, item)
        if responded is not None:  # answered: in time or late, and by whom; nothing changes after
            record.responded_at, record.agent = responded, (by or "")[:128] or None
            self._decide(
                record, record.outcome or (MET if responded <= record.deadline else BREACHED), now, report
            )
            record.closed_at = now
            return
        if record.outcome is None and _owed_nothing(item, record):
            self._decide(record, VOID, now, report)
            record.closed_at = now
            return
        record.agent = item.assigned_to  # who holds it: the breach is theirs until someone answers
        if record.outcome is None and now >= record.deadline:
            self._decide(record, BREACHED, now, report)
        if record.outcome == BREACHED and record.escalated_at is None and item.status != RESOLVED:
            self._escalate(session, record, item, now, report)
        if item.status == RESOLVED and record.outcome is not None:  # closed unanswered (the detector)
            record.closed_at = now

    @staticmethod
    def _decide(record: SlaRecord, outcome: str, now: datetime, report: SlaPassReport) -> None:
        if record.outcome is not None:
            return
        record.outcome, record.decided_at = outcome, now
        report.met += outcome == MET
        report.breached += outcome == BREACHED
        report.void += outcome == VOID

    def _escalate(
        self, session: Session, record: SlaRecord, item: Any, now: datetime, report: SlaPassReport
    ) -> None:
        channels = self.policy.escalation(record.brand)
        record.escalated_at, record.escalated_to = now, channels
        if not channels:
            return  # recorded as breached; the brand has no escalation route
        event = self.event(record, item)
        targets = [
            (c, c, quiet_until(self.quiet, c, event.kind, event.severity, now) or now) for c in channels
        ]
        enqueue(session, event, targets, now, self.messages)
        # in the item's history, and a change the open inboxes' live updates notice
        target = f"{record.kind}:{record.item_id}"
        facts = {"to": ", ".join(channels), "deadline": record.deadline.isoformat()}
        audit.record(session, actor="shenava", action="sla_escalated", target=target, new=facts, at=now)
        report.escalated.append(event)

    @staticmethod
    def event(record: SlaRecord, item: Any) -> AlertEvent:
        if record.kind == "incident":
            return SlaIncidentBreached(
                brand=record.brand,
                severity=item.severity,
                at=record.deadline,
                incident_id=record.item_id,
                target_minutes=record.target_minutes,
            )
        reasons = (item.details or {}).get("reasons") or []
        return SlaUrgentBreached(
            brand=record.brand,
            severity="critical" if len(reasons) > 1 else "high",
            at=record.deadline,
            urgent_id=record.item_id,
            mention_id=item.mention_id,
            target_minutes=record.target_minutes,
        )


def run_pass(settings: Any, engine: Engine, now: datetime | None = None) -> SlaPassReport:
    """One pass from the root settings (the service job and the Celery task)."""
    if not settings.sla.enabled:
        return SlaPassReport()
    return SlaTracker.from_settings(settings, engine).run(now)


def item_keys(items: Sequence[Any]) -> list[tuple[str, int]]:
    return [(i.kind, i.id) for i in items]
