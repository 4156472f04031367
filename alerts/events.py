"""Every event the alert side emits, in one place (imitating scrapy's ``signals.py``).

An event is what the engine decided; notifiers only render and deliver it. Events are plain
JSON-able dataclasses because a copy is stored in the outbox row before anything is sent: a
restart re-renders exactly what was decided, never recomputes it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from alerts.severity import Severity

INCIDENT_OPENED = "incident_opened"
INCIDENT_GREW = "incident_grew"
INCIDENT_RESOLVED = "incident_resolved"
URGENT_MENTION = "urgent_mention"
DELIVERY_FAILED = "delivery_failed"

#: every kind, with what it means (the docs and the routing validation read this)
EVENT_KINDS: dict[str, str] = {
    INCIDENT_OPENED: "A spike of negative mentions opened an incident (pages once per burst).",
    INCIDENT_GREW: "An open incident escalated to a higher severity.",
    INCIDENT_RESOLVED: "The burst is over: the counts are back to the baseline.",
    URGENT_MENTION: "One mention needs a reply now (large account, crisis words, urgency, unanswered).",
    DELIVERY_FAILED: "A delivery was given up after its last attempt or a permanent error.",
    "saved_search_alert": "A saved search's alert rule fired (mentions per hour, a large account).",
}


@dataclass(frozen=True)
class AlertEvent:
    """Base of all events. ``key`` is stable: it names the outbox rows (deduplication).

    Each event class declares its ``kind`` and the templates of its ``key`` and ``title``
    (``str.format`` with the event as ``e``).
    """

    kind: ClassVar[str] = ""
    key_template: ClassVar[str] = ""
    title_template: ClassVar[str] = ""
    brand: str
    severity: Severity
    at: datetime  # mention time: the bucket an incident opened in, or the urgent mention's; aware

    @property
    def key(self) -> str:
        return self.key_template.format(e=self)

    @property
    def title(self) -> str:
        return self.title_template.format(e=self)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["kind"] = self.kind
        data["key"] = self.key
        data["title"] = self.title
        for name, value in data.items():
            if isinstance(value, datetime):
                data[name] = value.isoformat()
        return data


@dataclass(frozen=True)
class IncidentEvent(AlertEvent):
    incident_id: int
    touchpoints: list[str] = field(default_factory=list)
    count: int = 0
    expected: float = 0.0
    peak_count: int = 0
    explanation: dict[str, Any] = field(default_factory=dict)
    #: mention time of the peak bucket, and of the end of the burst once it is over
    peak_at: datetime | None = None
    ended_at: datetime | None = None


@dataclass(frozen=True)
class IncidentOpened(IncidentEvent):
    kind: ClassVar[str] = INCIDENT_OPENED
    key_template: ClassVar[str] = "incident:{e.incident_id}:opened"
    title_template: ClassVar[str] = "Incident #{e.incident_id}: negative spike for {e.brand} ({e.severity})"


@dataclass(frozen=True)
class IncidentGrew(IncidentEvent):
    kind: ClassVar[str] = INCIDENT_GREW
    key_template: ClassVar[str] = "incident:{e.incident_id}:grew:{e.severity}"
    title_template: ClassVar[str] = "Incident #{e.incident_id} for {e.brand} grew to {e.severity}"


@dataclass(frozen=True)
class IncidentResolved(IncidentEvent):
    kind: ClassVar[str] = INCIDENT_RESOLVED
    key_template: ClassVar[str] = "incident:{e.incident_id}:resolved"
    title_template: ClassVar[str] = "Incident #{e.incident_id} for {e.brand} is over"


@dataclass(frozen=True)
class UrgentMention(AlertEvent):
    kind: ClassVar[str] = URGENT_MENTION
    key_template: ClassVar[str] = "urgent:{e.urgent_id}"
    title_template: ClassVar[str] = "Urgent mention of {e.brand}: {e.reason_text}"
    urgent_id: int
    mention_id: int
    reasons: list[str] = field(default_factory=list)
    text: str = ""
    url: str | None = None
    author: str | None = None
    followers: int | None = None
    source: str = ""
    urgency: float = 0.0

    @property
    def reason_text(self) -> str:
        return ", ".join(self.reasons)


@dataclass(frozen=True)
class DeliveryFailed(AlertEvent):
    kind: ClassVar[str] = DELIVERY_FAILED
    key_template: ClassVar[str] = "delivery:{e.delivery_id}:failed"
    title_template: ClassVar[str] = "Delivery of {e.event_key} to {e.channel} failed: {e.error}"
    delivery_id: int
    channel: str
    event_key: str
    error: str = ""
