"""The escalation event: an item's SLA deadline passed without the response it was owed.

Two kinds, so each has its own title in the catalogue (``alerts.messages``): an incident that
nobody acknowledged, an urgent mention that nobody answered. ``at`` is the deadline. The payload
carries ``incident_id`` or ``urgent_id``, so the message links to the item's page in the inbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from alerts.events import AlertEvent

SLA_INCIDENT_BREACHED = "sla_incident_breached"
SLA_URGENT_BREACHED = "sla_urgent_breached"


@dataclass(frozen=True)
class SlaIncidentBreached(AlertEvent):
    kind: ClassVar[str] = SLA_INCIDENT_BREACHED
    key_template: ClassVar[str] = "sla:incident:{e.incident_id}:breached"
    title_template: ClassVar[str] = "Incident #{e.incident_id} for {e.brand} was not acknowledged in time"
    incident_id: int
    target_minutes: float = 0.0


@dataclass(frozen=True)
class SlaUrgentBreached(AlertEvent):
    kind: ClassVar[str] = SLA_URGENT_BREACHED
    key_template: ClassVar[str] = "sla:urgent:{e.urgent_id}:breached"
    title_template: ClassVar[str] = "An urgent mention of {e.brand} was not answered in time"
    urgent_id: int
    mention_id: int | None = None
    target_minutes: float = 0.0
