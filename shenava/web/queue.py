"""The inbox queue: incidents and urgent mentions in one list, filtered and ordered for triage.

Order: active items first; among them snoozed ones last; then those whose SLA clock runs or is
overdue, soonest deadline first (``alerts.sla_view``); then the higher severity first, then the one
waiting longest. Resolved items (when asked for) follow,
newest resolution first. An urgent mention's severity is the one its alert carried: critical
when several reasons fired, high otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alerts import sla_view
from alerts.backfill import BACKFILLED, is_backfilled
from alerts.incidents.state import read_state
from alerts.workflow import ACTIVE_STATUSES, incident_touchpoints, raised_at, snoozed_until
from shenava.web import queue_replies
from shenava.web.formatting import MAX_LIST_TEXT
from storage.models import Incident, Mention, UrgentAlert
from storage.team_store import list_teams, teams_of

SEVERITY_RANK = {"low": 0, "medium": 1, "high": 2, "critical": 3}
STATUSES = ("active", "open", "acknowledged", "snoozed", "resolved", "all")
FETCH_LIMIT = 500  # rows read per kind before filtering in Python
SHOW_LIMIT = 50  # rows on one page (a triage list, not an archive); the count says how many matched


@dataclass(frozen=True)
class Filters:
    brand: str | None = None
    touchpoint: str | None = None
    source: str | None = None
    status: str = "active"
    assignee: str | None = None  # a name, or "-" for unassigned
    team: str | None = None  # a team name, or "-" for no team
    mine: bool = False  # assigned to me, or to one of my teams

    @classmethod
    def from_query(cls, params: Any) -> Filters:
        def one(name: str, limit: int = 128) -> str | None:
            value = (params.get(name) or "").strip()
            return value[:limit] or None

        status = one("status") or "active"
        return cls(
            brand=one("brand"),
            touchpoint=one("touchpoint", 64),
            source=one("source", 64),
            status=status if status in STATUSES else "active",
            assignee=one("assignee"),
            team=one("team", 64),
            mine=params.get("mine") in ("1", "on", "true"),
        )

    def query_string(self) -> str:
        from urllib.parse import urlencode

        pairs = {k: v for k, v in self.__dict__.items() if v not in (None, False, "")}
        if pairs.get("status") == "active":  # the default
            del pairs["status"]
        if pairs.get("mine"):
            pairs["mine"] = "1"
        return urlencode(pairs)


@dataclass
class InboxItem:
    kind: str  # incident | urgent
    id: int
    brand: str
    status: str
    severity: str
    raised_at: datetime
    touchpoints: list[str]
    sources: list[str]
    assigned_to: str | None
    acknowledged_by: str | None
    snoozed_until: datetime | None
    not_relevant: bool
    count: float = 0.0  # incident: negative mentions in the window; urgent: mentions in the thread
    expected: float = 0.0
    #: incident: the touchpoint whose own series ``count`` and ``expected`` are of (None: the brand's)
    series_touchpoint: str | None = None
    reasons: list[str] = field(default_factory=list)
    text: str | None = None  # urgent: the mention's text
    author: str | None = None
    url: str | None = None
    resolved_at: datetime | None = None
    assigned_team: str | None = None
    happened_at: datetime | None = None  # mention time: the urgent mention written, the burst's bucket
    peak_at: datetime | None = None  # incident: mention time of its peak bucket
    ended_at: datetime | None = None  # incident: mention time its burst ended (the detector's resolution)
    reply_status: str | None = None  # the newest reply through the outbox (queue_replies.annotate)
    sla_deadline: datetime | None = None  # its SLA record's deadline (alerts.sla_view.annotate)
    sla_state: str | None = None  # running | overdue | late | met | void (None: no record yet)
    #: recorded from past data (an import, a catch-up) and paged to nobody (``alerts.backfill``)
    backfilled: bool = False

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_STATUSES


def _incident(row: Incident, now: datetime) -> InboxItem:
    details = row.details or {}
    explanation = details.get("explanation") or {}
    touchpoints = incident_touchpoints(row)
    state = read_state(details)
    sources = sorted({m.get("source") for m in explanation.get("mentions", []) if m.get("source")})
    return InboxItem(
        kind="incident",
        id=row.id,
        brand=row.brand,
        status=row.status,
        severity=row.severity,
        raised_at=raised_at(row),
        touchpoints=touchpoints,
        sources=sources,
        assigned_to=row.assigned_to,
        acknowledged_by=row.acknowledged_by,
        snoozed_until=snoozed_until(row, now),
        not_relevant=bool(details.get("not_relevant")),
        count=float(explanation.get("count", row.peak_count)),
        expected=float(explanation.get("expected", row.baseline)),
        series_touchpoint=explanation.get("touchpoint", row.touchpoint),
        resolved_at=row.resolved_at,
        assigned_team=row.assigned_team,
        happened_at=row.opened_at,
        peak_at=state.peak_at,
        ended_at=state.burst_end,
        backfilled=is_backfilled(row),
    )


def _urgent(row: UrgentAlert, now: datetime) -> InboxItem:
    details = row.details or {}
    reasons = list(details.get("reasons") or [])
    m: Mention | None = row.mention
    return InboxItem(
        kind="urgent",
        id=row.id,
        brand=row.brand,
        status=row.status,
        severity="critical" if len(reasons) > 1 else "high",
        raised_at=raised_at(row),
        touchpoints=list(m.aspects or []) if m else [],
        sources=[m.source] if m else [],
        assigned_to=row.assigned_to,
        acknowledged_by=row.acknowledged_by,
        snoozed_until=snoozed_until(row, now),
        not_relevant=bool(details.get("not_relevant")),
        count=float(row.mention_count),
        reasons=reasons,
        text=m.text if m else None,
        author=(m.author_handle or m.author_name) if m else None,
        url=m.url if m else None,
        resolved_at=row.resolved_at,
        assigned_team=row.assigned_team,
        happened_at=m.created_at if m else row.created_at,
        backfilled=is_backfilled(row),
    )


_URGENT_COLUMNS = (
    UrgentAlert.id,
    UrgentAlert.brand,
    UrgentAlert.status,
    UrgentAlert.assigned_to,
    UrgentAlert.assigned_team,
    UrgentAlert.acknowledged_by,
    UrgentAlert.details,
    UrgentAlert.created_at,
    UrgentAlert.mention_count,
    UrgentAlert.resolved_at,
    Mention.source,
    func.substr(Mention.text, 1, 2 * MAX_LIST_TEXT).label("text"),
    Mention.url,
    Mention.author_handle,
    Mention.author_name,
    Mention.aspects,
    Mention.created_at.label("mention_at"),
)


def _urgent_columns(r: Any, now: datetime) -> InboxItem:
    """``_urgent`` for a row of ``_URGENT_COLUMNS`` (same rules: severity, raised time, snooze)."""
    details = r.details or {}
    reasons = list(details.get("reasons") or [])
    wall = details.get("created_wall")
    snooze = details.get("snoozed_until")
    snooze_end = datetime.fromisoformat(snooze) if snooze else None
    return InboxItem(
        kind="urgent",
        id=r.id,
        brand=r.brand,
        status=r.status,
        severity="critical" if len(reasons) > 1 else "high",
        raised_at=datetime.fromisoformat(wall) if wall else r.created_at,
        touchpoints=list(r.aspects or []),
        sources=[r.source] if r.source else [],
        assigned_to=r.assigned_to,
        acknowledged_by=r.acknowledged_by,
        snoozed_until=snooze_end if snooze_end and snooze_end > now else None,
        not_relevant=bool(details.get("not_relevant")),
        count=float(r.mention_count),
        reasons=reasons,
        text=r.text,
        author=r.author_handle or r.author_name,
        url=r.url,
        resolved_at=r.resolved_at,
        assigned_team=r.assigned_team,
        happened_at=r.mention_at or r.created_at,
        backfilled=bool(details.get(BACKFILLED)),
    )


def _status_clause(model: type[Incident] | type[UrgentAlert], status: str) -> Any:
    if status in ("active", "snoozed"):
        return model.status.in_(ACTIVE_STATUSES)
    if status in ("open", "acknowledged", "resolved"):
        return model.status == status
    return None


def _matches(
    item: InboxItem, f: Filters, user_name: str | None, my_teams: frozenset[str] = frozenset()
) -> bool:
    if f.touchpoint and f.touchpoint not in item.touchpoints:
        return False
    if f.source and f.source not in item.sources:
        return False
    if f.status == "snoozed" and item.snoozed_until is None:
        return False
    mine = item.assigned_to == user_name or item.assigned_team in my_teams
    return not (f.mine and not mine)


def sort_key(item: InboxItem) -> tuple[Any, ...]:
    """Active first: live items, then those recorded from past data, then snoozed ones; a running or
    overdue SLA deadline first, soonest first; then severity, then the longest waiting since the
    customer wrote. Resolved: newest resolution first."""
    if item.active:
        clock = item.sla_deadline if item.sla_state in ("running", "overdue") else None
        due = (0, clock.timestamp()) if clock is not None else (1, 0.0)
        # mention time, not when detection raised it: an import or a fast replay raises in one
        # minute what customers wrote over days, and a past item is no one's emergency now
        waiting = (item.happened_at or item.raised_at).timestamp()
        group = 2 if item.snoozed_until is not None else int(item.backfilled)
        return (0, group, *due, -SEVERITY_RANK.get(item.severity, 1), waiting)
    resolved = (item.resolved_at or item.raised_at).timestamp()
    return (1, 0, 1, 0.0, 0, -resolved)


def load(
    session: Session, f: Filters, user_name: str | None = None, now: datetime | None = None
) -> list[InboxItem]:
    """The queue for these filters, ordered for triage (at most ``SHOW_LIMIT`` items)."""
    now = now or datetime.now(UTC)
    items: list[InboxItem] = []
    for model in (Incident, UrgentAlert):
        # urgent rows are read as plain columns (no ORM objects, only the start of each text):
        # hundreds of them are read for every refresh of every open inbox
        query = (
            select(model)
            if model is Incident
            else select(*_URGENT_COLUMNS).outerjoin(Mention, Mention.id == UrgentAlert.mention_id)
        )
        query = query.order_by(model.id.desc()).limit(FETCH_LIMIT)
        clause = _status_clause(model, f.status)
        if clause is not None:
            query = query.where(clause)
        if f.brand:
            query = query.where(model.brand == f.brand)
        if f.assignee == "-":
            query = query.where(model.assigned_to.is_(None))
        elif f.assignee:
            query = query.where(model.assigned_to == f.assignee)
        if f.team == "-":
            query = query.where(model.assigned_team.is_(None))
        elif f.team:
            query = query.where(model.assigned_team == f.team)
        if model is Incident:
            items += [_incident(row, now) for row in session.scalars(query)]
        else:
            items += [_urgent_columns(row, now) for row in session.execute(query)]
    my_teams = frozenset(teams_of(session, user_name)) if f.mine and user_name else frozenset()
    chosen = [i for i in items if _matches(i, f, user_name, my_teams)]
    sla_view.annotate(session, chosen, now)  # deadlines before the sort: the queue is ordered by them
    chosen.sort(key=sort_key)
    shown = chosen[:SHOW_LIMIT]
    queue_replies.annotate(session, shown)
    return shown, len(chosen)


def choices(session: Session, brands: list[str]) -> dict[str, list[str]]:
    """Values offered in the filter menus: configured brands, known touchpoints, sources, assignees,
    teams."""
    assignees: set[str] = set()
    for model in (Incident, UrgentAlert):
        assignees |= {a for a in session.scalars(select(model.assigned_to).distinct()) if a}
    # the listeners' sources; a distinct over a million mentions would cost more than the page
    sources = sorted({"x", "instagram", "telegram", "web"} | _alert_sources(session))
    return {
        "brands": brands,
        "touchpoints": ["delivery", "price", "support", "quality", "app", "payment", "staff"],
        "sources": sources,
        "assignees": sorted(assignees),
        "teams": [t.name for t in list_teams(session)],
        "statuses": list(STATUSES),
    }


def _alert_sources(session: Session) -> set[str]:
    query = select(Mention.source).join(UrgentAlert, UrgentAlert.mention_id == Mention.id).distinct()
    return {s for s in session.scalars(query) if s}
