"""The reply outbox: a reply is stored before it is sent, sent at most once, retried with backoff.

Rows live in the ``deliveries`` table (no new schema) with ``channel`` ``reply:<x|instagram>`` and
statuses of their own (``reply_pending`` … ``reply_sent``), which the alerts' dispatcher never
selects. ``dedup_key`` is ``reply:<kind>:<item>:<mention>:<hash of the text>``: pressing "send" twice
stores one row.

Never twice: a send is claimed by a conditional UPDATE that only one process can win (attempt number
and status), and the outcome is written under that claim. A claim whose lease ran out (the process
died between the platform's 2xx and our commit) is not sent again: for the stand-in the file is
checked for the reply's key; X and Instagram offer no lookup by our key, so such a row becomes
``reply_unknown`` ("may have been sent; check at the source") for a person to decide.

A sent reply is recorded on the item (``alerts.workflow.record_reply``: acknowledges it, sets the
first-response time) and in the audit log, in the same transaction that marks the row sent.
"""

from __future__ import annotations

import hashlib
import logging
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from alerts import workflow
from shenava.replies.senders import LocalReplySender, ReplySender, ReplyTarget, SendError, channel_for
from storage import audit
from storage.models import Delivery, Mention

log = logging.getLogger(__name__)
PENDING, SENDING, SENT = "reply_pending", "reply_sending", "reply_sent"
FAILED, UNKNOWN = "reply_failed", "reply_unknown"
LEASE = timedelta(minutes=2)
BASE_DELAY_S, MAX_DELAY_S = 5.0, 600.0


class ReplyError(ValueError):
    """The mention cannot be answered through an API, or the reply is empty."""


@dataclass
class SendReport:
    sent: list[int] = field(default_factory=list)
    retried: int = 0
    failed: int = 0


def _key(kind: str, item_id: int, mention_id: int, text: str) -> str:
    digest = hashlib.sha256(text.encode()).hexdigest()[:24]
    return f"reply:{kind}:{item_id}:{mention_id}:{digest}"


def enqueue(
    session: Session, kind: str, item_id: int, mention_id: int, text: str, *, by: str, now: datetime
) -> Delivery:
    """Store a reply to ``mention_id`` (of ``kind`` #``item_id``) in the caller's transaction; the same
    text to the same mention twice returns the first row."""
    text = text.strip()
    if not text:
        raise ReplyError("a reply needs some text")
    mention = session.get(Mention, mention_id)
    if mention is None:
        raise ReplyError("the mention does not exist")
    channel = channel_for(mention.source, mention.external_id)
    if channel is None:
        raise ReplyError(f"{mention.source} cannot be answered through an API: open and copy")
    key = _key(kind, item_id, mention_id, text)
    existing = session.scalar(select(Delivery).where(Delivery.dedup_key == key))
    if existing is not None:
        return existing
    row = Delivery(
        channel=f"reply:{channel}",
        target=f"{kind}:{item_id}",
        dedup_key=key,
        event_kind="reply",
        event_ref=mention.external_id[:255],
        subject=text[:500],
        payload={
            "text": text,
            "by": by,
            "kind": kind,
            "item_id": item_id,
            "mention_id": mention_id,
            "source": mention.source,
            "external_id": mention.external_id,
        },
        status=PENDING,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # a concurrent request stored it first
        return session.scalars(select(Delivery).where(Delivery.dedup_key == key)).one()
    return row


def _claim(engine: Engine, row_id: int, attempts: int, now: datetime) -> bool:
    with Session(engine) as session, session.begin():
        result = session.execute(
            update(Delivery)
            .where(
                Delivery.id == row_id,
                Delivery.status == PENDING,
                Delivery.attempts == attempts,
                Delivery.next_attempt_at <= now,
            )
            .values(status=SENDING, attempts=attempts + 1, next_attempt_at=now + LEASE)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1


def _finish(session: Session, row_id: int, attempts: int, **values: Any) -> bool:
    result = session.execute(
        update(Delivery)
        .where(Delivery.id == row_id, Delivery.status == SENDING, Delivery.attempts == attempts)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _mark_sent(engine: Engine, row: Delivery, attempts: int, reply_id: str, now: datetime) -> bool:
    payload = row.payload
    with Session(engine) as session, session.begin():
        if not _finish(session, row.id, attempts, status=SENT, sent_at=now, last_error=None,
                       payload={**payload, "reply_id": reply_id}):  # fmt: skip
            return False
        kind, item_id, by = payload["kind"], int(payload["item_id"]), str(payload["by"])
        item = workflow.get_item(session, kind, item_id)
        old = workflow.snapshot(item)
        channel = row.channel.removeprefix("reply:")
        workflow.record_reply(session, kind, item_id, text=payload["text"], by=by, channel=channel, at=now)
        new = {**workflow.snapshot(item), "reply": payload["text"], "channel": channel, "reply_id": reply_id}
        audit.record(session, actor=by, action="reply", target=f"{kind}:{item_id}", old=old, new=new)
    return True


def backoff(attempts: int, rng: random.Random) -> float:
    """Full jitter over an exponential cap: 5 s, 10 s, 20 s … at most 10 minutes."""
    return rng.uniform(0.5, 1.0) * min(MAX_DELAY_S, BASE_DELAY_S * 2 ** (attempts - 1))


def send_due(
    engine: Engine,
    senders: dict[str, ReplySender],
    *,
    max_attempts: int = 5,
    now: datetime | None = None,
    only: int | None = None,
    rng: random.Random | None = None,
) -> SendReport:
    """Send due replies (or only row ``only``); never raises for a platform's failure."""
    now, rng, report = now or datetime.now(UTC), rng or random.Random(), SendReport()
    _settle_expired(engine, senders, now)
    with Session(engine, expire_on_commit=False) as session:
        query = select(Delivery).where(
            Delivery.status == PENDING, Delivery.next_attempt_at <= now, Delivery.channel.like("reply:%")
        )
        if only is not None:
            query = query.where(Delivery.id == only)
        rows = list(session.scalars(query.order_by(Delivery.next_attempt_at, Delivery.id).limit(50)))
    for row in rows:
        if not _claim(engine, row.id, row.attempts, now):
            continue  # another process has it
        attempts = row.attempts + 1
        sender = senders.get(row.channel.removeprefix("reply:"))
        target = ReplyTarget(
            str(row.payload["source"]),
            str(row.payload["external_id"]),
            str(row.payload["text"]),
            row.dedup_key,
        )
        try:
            if sender is None:
                raise SendError(f"no sender for {row.channel}", retryable=False)
            reply_id = sender.send(target)
        except SendError as exc:
            retry = exc.retryable and attempts < max_attempts
            values: dict[str, Any] = {"status": PENDING if retry else FAILED, "last_error": str(exc)[:1000]}
            if retry:
                values["next_attempt_at"] = now + timedelta(seconds=backoff(attempts, rng))
            with Session(engine) as session, session.begin():
                _finish(session, row.id, attempts, **values)
            report.retried += retry
            report.failed += not retry
            log.warning("reply %s (%s) attempt %d failed: %s", row.id, row.channel, attempts, exc)
            continue
        if _mark_sent(engine, row, attempts, reply_id, now):
            report.sent.append(row.id)
    return report


def _settle_expired(engine: Engine, senders: dict[str, ReplySender], now: datetime) -> None:
    """Claims whose lease ran out: the send may have happened. Never resend; find out or flag."""
    with Session(engine, expire_on_commit=False) as session:
        rows = list(
            session.scalars(
                select(Delivery).where(
                    Delivery.status == SENDING,
                    Delivery.next_attempt_at <= now,
                    Delivery.channel.like("reply:%"),
                )
            )
        )
    for row in rows:
        sender = senders.get(row.channel.removeprefix("reply:"))
        if isinstance(sender, LocalReplySender) and _in_standin(sender.path, row.dedup_key):
            _mark_sent(engine, row, row.attempts, f"local:{row.dedup_key}", now)
            continue
        with Session(engine) as session, session.begin():
            _finish(session, row.id, row.attempts, status=UNKNOWN,
                    last_error="may have been sent; check at the source before sending again")  # fmt: skip


def _in_standin(path: Path, key: str) -> bool:
    try:
        return f'"reply_key": "{key}"' in path.read_text(encoding="utf-8")
    except OSError:
        return False


def for_item(session: Session, kind: str, item_id: int) -> list[Delivery]:
    """The item's replies through the outbox, newest first (what the page lists, failures included)."""
    return list(
        session.scalars(
            select(Delivery)
            .where(Delivery.target == f"{kind}:{item_id}", Delivery.channel.like("reply:%"))
            .order_by(Delivery.id.desc())
        )
    )
