"""What ``shenava status`` reports, as plain data: counts, listener health (the one read model,
``shenava.service.health``), open incidents."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from alerts.workflow import incident_touchpoints
from shenava.service.health import listener_health
from storage.deadletters import DeadLetter
from storage.models import Incident, Mention, MentionBrand, UrgentAlert


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def collect_status(engine: Engine) -> dict[str, Any]:
    """Everything ``status`` shows, JSON-able. Read-only: safe while the service runs."""
    with Session(engine) as session:
        total = session.scalar(select(func.count()).select_from(Mention)) or 0
        by_source = dict(
            session.execute(
                select(Mention.source, func.count()).group_by(Mention.source).order_by(func.count().desc())
            ).all()
        )
        by_sentiment = dict(
            session.execute(
                select(Mention.sentiment_label, func.count()).group_by(Mention.sentiment_label)
            ).all()
        )
        by_brand: dict[str, dict[str, int]] = defaultdict(lambda: {"total": 0})
        rows = session.execute(
            select(MentionBrand.brand, Mention.sentiment_label, func.count())
            .join(Mention, Mention.id == MentionBrand.mention_id)
            .group_by(MentionBrand.brand, Mention.sentiment_label)
        ).all()
        for brand, label, count in rows:
            by_brand[brand][label] = count
            by_brand[brand]["total"] += count
        newest = session.scalar(select(func.max(Mention.created_at)))
        listeners = [
            {
                "key": h.key,
                "source": h.source,
                "last_run_at": _iso(h.last_run_at),
                "last_ok_at": _iso(h.last_ok_at),
                "items_total": h.items_total,
                "consecutive_failures": h.consecutive_failures,
                "last_error_kind": h.last_error_kind,
                "last_error": h.last_error,
                "last_error_at": _iso(h.last_error_at),
                "checkpoint": h.checkpoint,
                "checkpoint_at": _iso(h.checkpoint_at),
            }
            for h in listener_health(session)
        ]
        incidents = [
            {
                "id": inc.id,
                "brand": inc.brand,
                "touchpoint": inc.touchpoint,
                "touchpoints": incident_touchpoints(inc),
                "severity": inc.severity,
                "opened_at": _iso(inc.opened_at),
                "peak_count": inc.peak_count,
                "baseline": inc.baseline,
                "assigned_to": inc.assigned_to,
                "acknowledged": inc.acknowledged_at is not None,
            }
            for inc in session.scalars(
                select(Incident).where(Incident.status == "open").order_by(Incident.opened_at)
            )
        ]
        urgent_open = (
            session.scalar(select(func.count()).select_from(UrgentAlert).where(UrgentAlert.status == "open"))
            or 0
        )
        dead_letters = session.scalar(select(func.count()).select_from(DeadLetter)) or 0
    return {
        "mentions": total,
        "newest_mention_at": _iso(newest),
        "by_source": by_source,
        "by_sentiment": by_sentiment,
        "by_brand": {b: dict(v) for b, v in sorted(by_brand.items(), key=lambda kv: -kv[1]["total"])},
        "listeners": listeners,
        "open_incidents": incidents,
        "open_urgent_alerts": urgent_open,
        "dead_letters": dead_letters,
    }
