"""What the queue shows of each row's replies sent through the outbox: the newest one's status
(sent, queued, failed, unknown), so a failed reply is seen from the list, not only on its page."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Delivery

# reply rows are the deliveries whose dedup key starts "reply:" (shenava.replies.outbox): a range on
# the key's unique index reads only them, never the alerts' deliveries
_FIRST, _PAST = "reply:", "reply;"


def annotate(session: Session, items: list[Any]) -> None:
    """Set ``reply_status`` on each shown item that has a reply in the outbox (newest wins)."""
    by_key = {item.key: item for item in items}
    if not by_key:
        return
    query = (
        select(Delivery.target, Delivery.status)
        .where(Delivery.dedup_key >= _FIRST, Delivery.dedup_key < _PAST, Delivery.target.in_(by_key))
        .order_by(Delivery.id)
    )
    for target, status in session.execute(query):
        by_key[target].reply_status = status
