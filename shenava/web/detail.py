"""What the detail page of one inbox item shows: the explanation, the burst chart, the mentions
(representative ones for an incident, the conversation for an urgent mention) and the history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.digest.charts import bar_chart
from alerts.series import BucketGrid, count_negative, series_key
from alerts.workflow import WorkflowError, get_item, raised_at, series_touchpoint
from shenava.replies.senders import channel_for
from shenava.replies.suggest import Suggestion
from shenava.web.formatting import Formatter
from shenava.web.queue import InboxItem, _incident, _urgent
from storage import audit
from storage.models import Incident, Mention, UrgentAlert

CHART_HOURS_BEFORE = 12
CHART_HOURS_AFTER = 6
CHART_MAX_HOURS = 72
THREAD_LIMIT = 20


@dataclass
class HistoryLine:
    at: datetime
    actor: str
    action: str
    values: dict[str, Any]


@dataclass
class Detail:
    item: InboxItem
    explanation: dict[str, Any]
    chart: Markup | None
    mentions: list[dict[str, Any]]
    history: list[HistoryLine]
    replies: list[Suggestion] = field(default_factory=list)
    sentiment: str = "negative"
    sent_replies: list[Any] = field(default_factory=list)  # outbox rows, newest first


def _mention_view(m: Mention) -> dict[str, Any]:
    return {
        "id": m.id,
        "source": m.source,
        "text": m.text,
        "url": m.url,
        "channel": channel_for(m.source, m.external_id),  # None: open and copy
        "author": m.author_handle or m.author_name,
        "followers": m.author_followers,
        "created_at": m.created_at,
        "aspects": list(m.aspects or []),
    }


def _hourly_negative(
    session: Session, row: Incident, fmt: Formatter, title: str, own: frozenset[str]
) -> Markup:
    peak = (
        datetime.fromisoformat(row.details["peak_at"])
        if (row.details or {}).get("peak_at")
        else row.opened_at
    )
    # local hours, as each bar is labelled: Tehran's hours start at :30 past a UTC hour
    grid = BucketGrid.of(60, fmt.tz)
    start = grid.start(row.opened_at - timedelta(hours=CHART_HOURS_BEFORE))
    end = min(
        grid.next_start(max(peak, row.opened_at) + timedelta(hours=CHART_HOURS_AFTER)),
        start + timedelta(hours=CHART_MAX_HOURS),
    )
    # the detector's own count (brands' replies left out), of the series that opened it: a
    # brand-wide incident's Incident.touchpoint is only its first named one
    counts = count_negative(session, grid, [row.brand], start, end, own)
    key = series_key(row.brand, series_touchpoint(row))
    hours = [start + timedelta(hours=h) for h in range(int((end - start) / timedelta(hours=1)))]
    # oldest first: bar_chart draws the first point where the page's lines start (right in Persian)
    points = [
        (fmt.digits(fmt.local(hour).strftime("%H")), float(counts.get((key, hour), 0))) for hour in hours
    ]
    return Markup(bar_chart(points, title, colour="#d64545", language=fmt.language))


def _history(session: Session, target: str, row: Any) -> list[HistoryLine]:
    """The audit log of the item, plus workflow history written outside the web app (CLI, API,
    a brand's reply), so nothing a colleague did is missing."""
    lines = [HistoryLine(raised_at(row), "shenava", "raised", {})]
    seen = set()
    for entry in audit.history(session, target):
        values = {**(entry.old_value or {}), **(entry.new_value or {})}
        lines.append(HistoryLine(entry.at, entry.actor, entry.action, values))
        # the workflow's own history names the person without the channel prefix (api:, cli:)
        seen.add((entry.action, entry.actor.split(":", 1)[-1], entry.at.replace(microsecond=0)))
    for step in (row.details or {}).get("history", []):
        at = datetime.fromisoformat(step["at"])
        key = (step.get("action"), step.get("by"), at.replace(microsecond=0))
        if key in seen or (key[0], key[1], (at + timedelta(seconds=1)).replace(microsecond=0)) in seen:
            continue
        extra = {k: v for k, v in step.items() if k not in ("action", "by", "at")}
        lines.append(HistoryLine(at, step.get("by") or "?", step.get("action") or "?", extra))
    lines.sort(key=lambda line: line.at)
    return lines


def load(
    session: Session,
    kind: str,
    item_id: int,
    fmt: Formatter,
    chart_title: Callable[[str | None], str],
    own: frozenset[str] = frozenset(),
) -> Detail:
    """Raises ``WorkflowError`` when the item does not exist. ``chart_title(touchpoint)`` titles the
    burst chart of an incident's series (None: the brand's); posts by the ``own`` handles
    (``alerts.own_accounts``) are not counted in it."""
    row = get_item(session, kind, item_id)  # type: ignore[arg-type]
    now = datetime.now(UTC)
    if isinstance(row, Incident):
        explanation = dict((row.details or {}).get("explanation") or {})
        mentions = list(explanation.get("mentions") or [])
        for m in mentions:
            if isinstance(m.get("created_at"), str):
                m["created_at"] = datetime.fromisoformat(m["created_at"])
        return Detail(
            _incident(row, now),
            explanation,
            _hourly_negative(session, row, fmt, chart_title(series_touchpoint(row)), own),
            mentions,
            _history(session, f"incident:{item_id}", row),
        )
    if not isinstance(row, UrgentAlert):
        raise WorkflowError(f"{kind} #{item_id} does not exist")
    thread = [row.mention] if row.mention else []
    if row.mention is not None and row.mention.conversation_id:
        query = (
            select(Mention)
            .where(
                Mention.source == row.mention.source, Mention.conversation_id == row.mention.conversation_id
            )
            .order_by(Mention.created_at)
            .limit(THREAD_LIMIT)
        )
        thread = list(session.scalars(query)) or thread
    return Detail(
        _urgent(row, now),
        {},
        None,
        [_mention_view(m) for m in thread],
        _history(session, f"urgent:{item_id}", row),
        sentiment=row.mention.sentiment_label if row.mention else "negative",
    )
