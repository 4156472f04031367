"""The support workflow: acknowledge, assign and resolve incidents and urgent alerts.

The CLI (``shenava incidents`` / ``shenava urgent``) and the HTTP API call these functions with a
session in a transaction. Every change is appended to ``details["history"]``. Response times are
wall-clock: time to acknowledge / resolve run from when the alert was raised
(``details["created_wall"]``, the moment support could first see it) to the human's action. What
people are shown as *when it happened* is mention time (``happened_at``, ``mention_times``).

Statuses: ``open`` → ``acknowledged`` → ``resolved`` (resolve also works straight from open).
An incident the detector closed has ``resolved_by == "detector"``; it does not count towards the
time to resolve, which measures people.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.series import series_key
from storage.models import Incident, UrgentAlert
from storage.team_store import TeamError, get_team

OPEN, ACKNOWLEDGED, RESOLVED = "open", "acknowledged", "resolved"
ACTIVE_STATUSES = (OPEN, ACKNOWLEDGED)
DETECTOR = "detector"
NO_TEAM = "-"  # assign(team=NO_TEAM) takes the team off

Kind = Literal["incident", "urgent"]
_MODELS: dict[str, type[Incident] | type[UrgentAlert]] = {"incident": Incident, "urgent": UrgentAlert}


class WorkflowError(ValueError):
    """The item does not exist, or the change is not allowed in its current status."""


def _model(kind: Kind) -> type[Incident] | type[UrgentAlert]:
    if kind not in _MODELS:
        raise WorkflowError(f"unknown kind {kind!r}: incident or urgent")
    return _MODELS[kind]


def _actor(name: str | None) -> str:
    name = (name or "").strip()
    if not name or len(name) > 128:
        raise WorkflowError("give who does this (--by NAME, at most 128 characters)")
    return name


def raised_at(item: Incident | UrgentAlert) -> datetime:
    """When support could first see the alert (wall-clock)."""
    wall = (item.details or {}).get("created_wall")
    if wall:
        return datetime.fromisoformat(wall)
    return item.created_at if isinstance(item, UrgentAlert) else item.opened_at


def happened_at(item: Incident | UrgentAlert) -> datetime:
    """When it happened, in mention time: the bucket the incident opened in, or when the urgent
    mention was written (an import finds last month's incidents today; they happened last month)."""
    if isinstance(item, UrgentAlert):
        return item.mention.created_at if item.mention is not None else item.created_at
    return item.opened_at


def mention_times(item: Incident) -> dict[str, str | None]:
    """An incident's mention times: opened (bucket), peaked (bucket) and ended (end of the burst)."""
    from alerts.incidents.state import read_state  # late: the state module is the machine's

    state = read_state(item.details)
    return {
        "opened_at": item.opened_at.isoformat(),
        "peak_at": state.peak_at.isoformat() if state.peak_at else None,
        "ended_at": state.burst_end.isoformat() if state.burst_end else None,
    }


def incident_touchpoints(item: Incident) -> list[str]:
    """The touchpoints an incident names, the largest excess first: what its alerts, the inbox, the
    digest and the API say. ``Incident.touchpoint`` alone may be another: the touchpoint series that
    opened it, or a brand-wide incident's first named touchpoint when it opened (support's own series
    opened the sample's delivery outage, whose alerts name delivery first)."""
    named = (item.details or {}).get("touchpoints")
    return list(named) if named else ([item.touchpoint] if item.touchpoint else [])


def series_touchpoint(item: Incident) -> str | None:
    """The touchpoint of the series that opened the incident (None: the brand's own series), which
    its counts, explanation and burst chart are of. Not ``Incident.touchpoint`` alone: a brand-wide
    incident takes its first named touchpoint as that."""
    if item.detector_key == series_key(item.brand, None):
        return None
    return item.touchpoint


def list_items(
    session: Session, kind: Kind, *, status: str | None = None, brand: str | None = None, limit: int = 50
) -> list[Any]:
    """Newest first; ``status`` is one status, ``active`` (open or acknowledged) or None for all."""
    model = _model(kind)
    query = select(model).order_by(model.id.desc()).limit(max(1, min(limit, 1000)))
    if status == "active":
        query = query.where(model.status.in_(ACTIVE_STATUSES))
    elif status:
        query = query.where(model.status == status)
    if brand:
        query = query.where(model.brand == brand)
    return list(session.scalars(query))


def get_item(session: Session, kind: Kind, item_id: int) -> Any:
    item = session.get(_model(kind), item_id)
    if item is None:
        raise WorkflowError(f"{kind} #{item_id} does not exist")
    return item


def to_json(kind: Kind, item: Any) -> dict[str, Any]:
    """A JSON view of an incident or urgent alert (the CLI's ``--json`` and the HTTP API)."""
    view = {
        "id": item.id,
        "kind": kind,
        "brand": item.brand,
        "status": item.status,
        "raised_at": raised_at(item).isoformat(),
        "acknowledged_at": item.acknowledged_at and item.acknowledged_at.isoformat(),
        "acknowledged_by": item.acknowledged_by,
        "assigned_to": item.assigned_to,
        "assigned_team": item.assigned_team,
        "resolved_at": item.resolved_at and item.resolved_at.isoformat(),
        "resolved_by": item.resolved_by,
        "happened_at": happened_at(item).isoformat(),
        "backfilled": bool((item.details or {}).get("backfilled")),
        "details": item.details,
    }
    if kind == "incident":
        view.update(
            severity=item.severity,
            touchpoint=item.touchpoint,
            touchpoints=incident_touchpoints(item),
            peak_count=item.peak_count,
            baseline=item.baseline,
            **mention_times(item),
        )
    else:
        view.update(
            mention_id=item.mention_id,
            urgency=item.urgency,
            mention_count=item.mention_count,
            conversation_key=item.conversation_key,
            created_at=item.created_at.isoformat(),
        )
    return view


def _record(item: Any, action: str, by: str, at: datetime, **extra: Any) -> None:
    details = dict(item.details or {})
    details["history"] = [
        *details.get("history", []),
        {"action": action, "by": by, "at": at.isoformat(), **extra},
    ]
    item.details = details


def acknowledge(session: Session, kind: Kind, item_id: int, *, by: str, at: datetime | None = None) -> Any:
    """Mark seen; a second acknowledgement keeps the first time (TTA counts the first)."""
    by, at = _actor(by), at or datetime.now(UTC)
    item = get_item(session, kind, item_id)
    if item.status == RESOLVED:
        raise WorkflowError(f"{kind} #{item_id} is already resolved")
    if item.acknowledged_at is None:
        item.acknowledged_at, item.acknowledged_by, item.status = at, by, ACKNOWLEDGED
        _record(item, "acknowledge", by, at)
    return item


def assign(
    session: Session,
    kind: Kind,
    item_id: int,
    *,
    to: str | None = None,
    team: str | None = None,
    by: str | None = None,
    at: datetime | None = None,
) -> Any:
    """Give the item to the person ``to`` and/or the team ``team`` (a name in ``storage.teams``;
    ``-`` takes the team off); assigning counts as acknowledging it."""
    at = at or datetime.now(UTC)
    if to is None and team is None:
        raise WorkflowError("assign to a person (--to) or a team (--team)")
    to = _actor(to) if to is not None else None
    by = _actor(by or to)
    item = get_item(session, kind, item_id)
    if item.status == RESOLVED:
        raise WorkflowError(f"{kind} #{item_id} is already resolved")
    team = team.strip() if team is not None else None
    if team is not None and team != NO_TEAM:
        try:
            team = get_team(session, team).name
        except TeamError as exc:
            raise WorkflowError(str(exc)) from None
    if item.acknowledged_at is None:
        item.acknowledged_at, item.acknowledged_by, item.status = at, by, ACKNOWLEDGED
    extra: dict[str, Any] = {}
    if to is not None:
        item.assigned_to = extra["to"] = to
    if team is not None:
        item.assigned_team = None if team == NO_TEAM else team
        extra["team"] = item.assigned_team or NO_TEAM
    _record(item, "assign" if to is not None else "assign_team", by, at, **extra)
    return item


def resolve(
    session: Session,
    kind: Kind,
    item_id: int,
    *,
    by: str,
    note: str | None = None,
    at: datetime | None = None,
) -> Any:
    by, at = _actor(by), at or datetime.now(UTC)
    item = get_item(session, kind, item_id)
    if item.status == RESOLVED:
        raise WorkflowError(f"{kind} #{item_id} is already resolved (by {item.resolved_by})")
    if item.acknowledged_at is None:  # resolving is the strongest acknowledgement
        item.acknowledged_at, item.acknowledged_by = at, by
    item.status, item.resolved_at, item.resolved_by = RESOLVED, at, by
    _record(item, "resolve", by, at, **({"note": note[:2000]} if note else {}))
    return item


@dataclass(frozen=True)
class ResponseStats:
    """Response times of one brand and kind, in seconds."""

    brand: str
    kind: str
    total: int
    acknowledged: int
    resolved_by_people: int
    open: int
    tta_median_s: float | None
    tta_p90_s: float | None
    ttr_median_s: float | None
    ttr_p90_s: float | None


def percentile(values: list[float], q: float) -> float | None:
    """Linearly interpolated percentile (q in [0, 100]); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * min(max(q, 0.0), 100.0) / 100.0
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def response_report(
    session: Session, *, brand: str | None = None, since: datetime | None = None
) -> list[ResponseStats]:
    """Median and p90 time to acknowledge and to resolve, per brand and kind."""
    stats = []
    for kind, model in _MODELS.items():
        query = select(model)
        if brand:
            query = query.where(model.brand == brand)
        items = [i for i in session.scalars(query) if since is None or raised_at(i) >= since]
        for name in sorted({i.brand for i in items}):
            mine = [i for i in items if i.brand == name]
            tta = [(i.acknowledged_at - raised_at(i)).total_seconds() for i in mine if i.acknowledged_at]
            ttr = [
                (i.resolved_at - raised_at(i)).total_seconds()
                for i in mine
                if i.resolved_at and i.resolved_by and i.resolved_by != DETECTOR
            ]
            stats.append(
                ResponseStats(
                    brand=name,
                    kind=kind,
                    total=len(mine),
                    acknowledged=len(tta),
                    resolved_by_people=len(ttr),
                    open=sum(1 for i in mine if i.status in ACTIVE_STATUSES),
                    tta_median_s=statistics.median(tta) if tta else None,
                    tta_p90_s=percentile(tta, 90),
                    ttr_median_s=statistics.median(ttr) if ttr else None,
                    ttr_p90_s=percentile(ttr, 90),
                )
            )
    return stats


def snooze(
    session: Session, kind: Kind, item_id: int, *, until: datetime, by: str, at: datetime | None = None
) -> Any:
    """Move the item down the queue until ``until``; snoozing counts as acknowledging it."""
    by, at = _actor(by), at or datetime.now(UTC)
    item = get_item(session, kind, item_id)
    if item.status == RESOLVED:
        raise WorkflowError(f"{kind} #{item_id} is already resolved")
    if until <= at:
        raise WorkflowError("snooze until a time in the future")
    if item.acknowledged_at is None:
        item.acknowledged_at, item.acknowledged_by, item.status = at, by, ACKNOWLEDGED
    item.details = {**(item.details or {}), "snoozed_until": until.isoformat()}
    _record(item, "snooze", by, at, until=until.isoformat())
    return item


def snoozed_until(item: Incident | UrgentAlert, now: datetime | None = None) -> datetime | None:
    """When the snooze ends, or None when the item is not snoozed (any more)."""
    value = (item.details or {}).get("snoozed_until")
    until = datetime.fromisoformat(value) if value else None
    return until if until and until > (now or datetime.now(UTC)) else None


def add_note(
    session: Session, kind: Kind, item_id: int, *, text: str, by: str, at: datetime | None = None
) -> Any:
    """An internal note in the item's history; the status does not change."""
    by, at = _actor(by), at or datetime.now(UTC)
    text = (text or "").strip()
    if not text:
        raise WorkflowError("a note needs some text")
    item = get_item(session, kind, item_id)
    _record(item, "note", by, at, note=text[:4000])
    return item


def not_relevant(
    session: Session,
    kind: Kind,
    item_id: int,
    *,
    by: str,
    note: str | None = None,
    at: datetime | None = None,
) -> Any:
    """Resolve as a false alarm. ``details["not_relevant"]`` is what the evaluation of the spike
    detector and of urgency reads as a labelled false positive."""
    at = at or datetime.now(UTC)
    item = resolve(session, kind, item_id, by=by, note=note, at=at)
    item.details = {**item.details, "not_relevant": {"by": by, "at": at.isoformat()}}
    _record(item, "not_relevant", by, at)
    return item


def record_reply(
    session: Session,
    kind: Kind,
    item_id: int,
    *,
    text: str,
    by: str,
    channel: str = "manual",
    at: datetime | None = None,
) -> Any:
    """A reply to the customer was sent (by hand, or through a channel): it counts as acknowledging,
    and the first one sets ``details["first_response_at"]`` (the first-response time)."""
    by, at = _actor(by), at or datetime.now(UTC)
    text = (text or "").strip()
    if not text:
        raise WorkflowError("a reply needs some text")
    item = get_item(session, kind, item_id)
    if item.acknowledged_at is None:
        item.acknowledged_at, item.acknowledged_by = at, by
        if item.status == OPEN:
            item.status = ACKNOWLEDGED
    if not (item.details or {}).get("first_response_at"):
        item.details = {**(item.details or {}), "first_response_at": at.isoformat()}
    _record(item, "reply", by, at, channel=channel[:32], text=text[:2000])
    return item


def snapshot(item: Incident | UrgentAlert) -> dict[str, Any]:
    """What an action can change, for the audit log's before/after values."""
    return {
        "status": item.status,
        "assigned_to": item.assigned_to,
        "assigned_team": item.assigned_team,
        "snoozed_until": (item.details or {}).get("snoozed_until"),
    }
