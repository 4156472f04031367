"""The delivery outbox: store first, send later, mark sent once.

* ``enqueue`` writes one ``Delivery`` row per (event, channel) in the caller's transaction, with a
  unique ``dedup_key``; enqueuing the same event twice adds nothing.
* ``Outbox.dispatch`` claims a batch of due rows (``SELECT … FOR UPDATE SKIP LOCKED`` on
  PostgreSQL, a conditional ``UPDATE`` that only one writer can win on SQLite), sends each one outside
  any transaction, and records the outcome in one short transaction guarded by the claim (the
  attempt number), so a second dispatcher or a restarted one never sends a row twice.
* A failed send is retried with exponential backoff and full jitter (or the channel's
  ``retry_after``) until ``max_attempts``; permanent errors (4xx) fail the row at once. A channel
  that is unreachable or rate-limited gets one try per pass: its other rows wait, untried, so a
  dead endpoint never stalls dispatch for one timeout per row.
* A claim lasts ``claim_timeout_s``: a dispatcher that died mid-send leaves its row to be retried
  after that. Only a crash in the instant between the channel's 2xx and the commit can repeat a
  message; webhooks carry ``X-Shenava-Delivery`` so receivers can drop that repeat.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Select, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from alerts.events import AlertEvent, DeliveryFailed
from alerts.messages import MessageContext
from alerts.notifiers.base import DeliveryError, Notifier
from alerts.render import render_text
from alerts.settings import OutboxSettings
from storage.models import Delivery

log = logging.getLogger(__name__)

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"


@dataclass
class DispatchReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    deferred: int = 0  # not tried: their channel failed earlier in this pass
    errors: list[str] = field(default_factory=list)
    failures: list[DeliveryFailed] = field(default_factory=list)


def dedup_key(event: AlertEvent, channel: str) -> str:
    return f"{event.key}->{channel}"


def stored_payload(event: AlertEvent, context: MessageContext | None = None) -> dict[str, Any]:
    """The event as its outbox rows keep it: its data, plus what rendering needs (``context``)."""
    payload = event.to_json()
    payload.update((context or MessageContext()).extras(payload))
    payload["message"] = render_text(payload)  # the webhook's human-readable text
    return payload


def enqueue(
    session: Session,
    event: AlertEvent,
    channels: Iterable[tuple[str, str, datetime]],
    now: datetime,
    context: MessageContext | None = None,
) -> int:
    """Add one pending row per ``(channel, target, not_before)``; returns how many were new.

    Runs inside the caller's transaction (the one that persisted the incident), so an event and its
    deliveries are stored together or not at all. ``context`` adds what rendering needs (language,
    time zone, brand display name, inbox link, localised title) to the stored payload.
    """
    payload = stored_payload(event, context)
    added = 0
    for channel, target, not_before in channels:
        key = dedup_key(event, channel)
        if session.scalar(select(Delivery.id).where(Delivery.dedup_key == key)) is not None:
            continue
        row = Delivery(
            channel=channel,
            target=target,
            dedup_key=key,
            event_kind=event.kind,
            event_ref=event.key,
            subject=str(payload["title"])[:500],
            payload=payload,
            status=PENDING,
            attempts=0,
            next_attempt_at=max(now, not_before),
            created_at=now,
        )
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:  # a concurrent engine enqueued it first
            continue
        added += 1
    return added


def backoff_delay(attempts: int, settings: OutboxSettings, rng: random.Random | None = None) -> float:
    """Exponential backoff with full jitter: uniform in [base·2^(n-1) / 2, base·2^(n-1)], capped."""
    ceiling = min(settings.max_delay_s, settings.base_delay_s * 2 ** max(0, attempts - 1))
    return (rng or random).uniform(ceiling / 2, ceiling)


class Outbox:
    def __init__(
        self,
        engine: Engine,
        notifiers: dict[str, Notifier],
        settings: OutboxSettings,
        *,
        rng: random.Random | None = None,
        on_sent: Callable[[Delivery], None] | None = None,
    ) -> None:
        self.engine = engine
        self.notifiers = notifiers
        self.settings = settings
        self.rng = rng or random.Random()
        self.on_sent = on_sent

    def _due_query(self, now: datetime) -> Select[tuple[Delivery]]:
        """Due rows: pending ones and claims whose lease expired, oldest first."""
        return (
            select(Delivery)
            .where(
                or_(Delivery.status == PENDING, Delivery.status == SENDING), Delivery.next_attempt_at <= now
            )
            .order_by(Delivery.next_attempt_at, Delivery.id)
            .limit(self.settings.batch_size)
        )

    def _claim_batch(self, now: datetime) -> list[Delivery]:
        """Move a batch of due rows to ``sending`` (attempt + 1, leased); others skip them."""
        lease = now + timedelta(seconds=self.settings.claim_timeout_s)
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            if self.engine.dialect.name == "postgresql":
                # Locked rows belong to another dispatcher's claim: skip them, don't wait.
                rows = list(session.scalars(self._due_query(now).with_for_update(skip_locked=True)))
                for row in rows:
                    row.status, row.attempts, row.next_attempt_at = SENDING, row.attempts + 1, lease
                return rows
            claimed = []
            for row in list(session.scalars(self._due_query(now))):
                # SQLite has no row locks: a conditional UPDATE that only one writer can win.
                result = session.execute(
                    update(Delivery)
                    .where(
                        Delivery.id == row.id,
                        Delivery.attempts == row.attempts,
                        or_(Delivery.status == PENDING, Delivery.status == SENDING),
                        Delivery.next_attempt_at <= now,
                    )
                    .values(status=SENDING, attempts=row.attempts + 1, next_attempt_at=lease)
                    .execution_options(synchronize_session=False)
                )
                if result.rowcount == 1:
                    session.expire(row)
                    session.refresh(row)
                    claimed.append(row)
            return claimed

    def _finish(self, row: Delivery, now: datetime, **values: object) -> bool:
        with Session(self.engine) as session, session.begin():
            result = session.execute(
                update(Delivery)
                .where(Delivery.id == row.id, Delivery.status == SENDING, Delivery.attempts == row.attempts)
                .values(**values)
                .execution_options(synchronize_session=False)
            )
            return result.rowcount == 1

    def dispatch(self, now: datetime | None = None, *, max_batches: int = 20) -> DispatchReport:
        """Send every due row once (batch after batch); never raises for a channel's failure."""
        now = now or datetime.now(UTC)
        report = DispatchReport()
        paused: dict[str, datetime] = {}  # channel → when to try again
        for _ in range(max_batches):
            rows = self._claim_batch(now)
            if not rows:
                break
            for row in rows:
                if row.channel in paused:
                    # One failure per channel per pass: a channel that times out must not hold up
                    # the rest (and hammering a rate-limited API only earns a longer ban).
                    if self._finish(
                        row,
                        now,
                        status=PENDING,
                        attempts=row.attempts - 1,
                        next_attempt_at=paused[row.channel],
                    ):
                        report.deferred += 1
                    continue
                retry_at = self._send_one(row, now, report)
                if retry_at is not None:
                    paused[row.channel] = retry_at
        return report

    def _send_one(self, row: Delivery, now: datetime, report: DispatchReport) -> datetime | None:
        """Send one claimed row; returns when to retry if it failed and may be retried."""
        notifier = self.notifiers.get(row.channel)
        try:
            if notifier is None:
                raise DeliveryError(
                    f"channel {row.channel!r} is not configured (or lacks its secret)",
                    retryable=True,
                    unreachable=True,
                )
            notifier.send(row.payload, delivery_key=row.dedup_key)
        except DeliveryError as exc:
            return self._record_failure(row, now, exc, report)
        except Exception as exc:  # a bug in rendering must not stop the other deliveries
            log.exception("delivery %s to %s crashed", row.id, row.channel)
            return self._record_failure(
                row, now, DeliveryError(f"{type(exc).__name__}: {exc}", retryable=True), report
            )
        if self._finish(row, now, status=SENT, sent_at=now, last_error=None):
            report.sent += 1
            if self.on_sent:
                self.on_sent(row)
        return None

    def _record_failure(
        self, row: Delivery, now: datetime, exc: DeliveryError, report: DispatchReport
    ) -> datetime | None:
        """Reschedule (returns the retry time) or fail the row for good (returns None)."""
        message = str(exc)[:1000]
        report.errors.append(f"{row.channel}: {message}")
        if exc.retryable and row.attempts < self.settings.max_attempts:
            delay = backoff_delay(row.attempts, self.settings, self.rng)
            if exc.retry_after is not None:
                delay = max(delay, exc.retry_after)
            retry_at = now + timedelta(seconds=delay)
            if self._finish(row, now, status=PENDING, last_error=message, next_attempt_at=retry_at):
                report.retried += 1
            log.warning(
                "delivery %s to %s failed (attempt %d), retry in %.0fs: %s",
                row.id,
                row.channel,
                row.attempts,
                delay,
                message,
            )
            # Pause the channel for this pass only when waiting is the point: it is unreachable or
            # asked us to slow down. A quick 5xx does not stop its other deliveries.
            return retry_at if exc.unreachable or exc.retry_after is not None else None
        if self._finish(row, now, status=FAILED, last_error=message):
            report.failed += 1
            payload = row.payload or {}
            report.failures.append(
                DeliveryFailed(
                    brand=str(payload.get("brand", "")),
                    severity=payload.get("severity", "low"),
                    at=now,
                    delivery_id=row.id,
                    channel=row.channel,
                    event_key=row.event_ref or "",
                    error=message,
                )
            )
        log.error(
            "delivery %s to %s given up after %d attempts: %s", row.id, row.channel, row.attempts, message
        )
        return None


def outbox_summary(session: Session) -> dict[str, dict[str, Any]]:
    """Per channel: rows by status, the oldest waiting row's creation time and the latest error."""
    summary: dict[str, dict[str, Any]] = {}
    rows = session.execute(
        select(Delivery.channel, Delivery.status, func.count(), func.min(Delivery.created_at)).group_by(
            Delivery.channel, Delivery.status
        )
    )
    for channel, status, count, oldest in rows:
        entry = summary.setdefault(
            channel,
            {"pending": 0, "sending": 0, "sent": 0, "failed": 0, "oldest_waiting": None, "last_error": None},
        )
        entry[status] = int(count)
        if status in (PENDING, SENDING) and (
            entry["oldest_waiting"] is None or oldest < entry["oldest_waiting"]
        ):
            entry["oldest_waiting"] = oldest
    for channel, entry in summary.items():
        entry["last_error"] = session.scalar(
            select(Delivery.last_error)
            .where(Delivery.channel == channel, Delivery.last_error.is_not(None))
            .order_by(Delivery.id.desc())
            .limit(1)
        )
    return summary
