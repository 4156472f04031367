"""Urgent alerts that only repeat what a brand's open incident already says stay off the pager.

The ``UrgentAlert`` row stays (support still works through it); it is not delivered, and the
incident counts it, so an outage does not page once per unanswered question.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy.orm import Session

from alerts.events import AlertEvent, UrgentMention
from alerts.incidents.lookup import active_incident
from alerts.incidents.state import read_state, with_state
from storage.models import UrgentAlert


def fold_urgent(session: Session, events: Sequence[AlertEvent], foldable: Iterable[str]) -> list[AlertEvent]:
    """The events still to deliver: urgent alerts whose every reason is ``foldable`` are folded into
    the brand's active incident, if it has one."""
    fold = set(foldable)
    kept: list[AlertEvent] = []
    for event in events:
        if not isinstance(event, UrgentMention) or not fold or not set(event.reasons) <= fold:
            kept.append(event)
            continue
        incident = active_incident(session, event.brand)
        if incident is None:
            kept.append(event)
            continue
        row = session.get(UrgentAlert, event.urgent_id)
        if row is not None:
            row.details = {**(row.details or {}), "folded_into_incident": incident.id}
        state = read_state(incident.details)
        state.folded_urgent += 1
        incident.details = with_state(incident.details, state)
    return kept
