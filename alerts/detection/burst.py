"""The detector's own burst (``Burst``, not the stored ``alerts`` incident): open once, follow while elevated
(keeping the peak), resolve after calm.

One burst alerts once: the incident stays open until the series has been calm (evidence below
``calm_below``) for ``calm_minutes`` in a row, and only then can a new incident open.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from alerts.detection.config import DetectorConfig


class BurstGrade(StrEnum):
    """How bad an incident is, from its peak evidence strength; ``NONE`` outside incidents."""

    NONE = "none"
    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"

    @classmethod
    def of(cls, peak_strength: float, config: DetectorConfig) -> BurstGrade:
        if peak_strength >= config.critical_at:
            return cls.CRITICAL
        if peak_strength >= config.major_at:
            return cls.MAJOR
        return cls.MINOR


@dataclass
class Burst:
    """The open incident: when it started, its peak so far and how long it has been calm."""

    started_at: datetime
    peak: float
    peak_at: datetime
    peak_strength: float
    calm_buckets: int = 0

    def to_state(self) -> dict[str, Any]:
        state = asdict(self)
        state["started_at"] = self.started_at.isoformat()
        state["peak_at"] = self.peak_at.isoformat()
        return state

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Burst:
        return cls(
            started_at=datetime.fromisoformat(state["started_at"]),
            peak=float(state["peak"]),
            peak_at=datetime.fromisoformat(state["peak_at"]),
            peak_strength=float(state["peak_strength"]),
            calm_buckets=int(state["calm_buckets"]),
        )


@dataclass(frozen=True)
class Transition:
    """What the lifecycle did on one bucket."""

    opened: bool
    closed: bool
    incident: Burst | None  # the incident open on this bucket (also the one that just closed)


def advance(
    incident: Burst | None,
    ts: datetime,
    value: float,
    strength: float,
    may_open: bool,
    config: DetectorConfig,
) -> tuple[Burst | None, Transition]:
    """Step the lifecycle by one bucket; returns the incident still open afterwards and the transition."""
    if incident is None:
        if not may_open:
            return None, Transition(opened=False, closed=False, incident=None)
        opened = Burst(started_at=ts, peak=value, peak_at=ts, peak_strength=strength)
        return opened, Transition(opened=True, closed=False, incident=opened)

    if value > incident.peak:
        incident.peak, incident.peak_at = value, ts
    incident.peak_strength = max(incident.peak_strength, strength)
    incident.calm_buckets = incident.calm_buckets + 1 if strength < config.calm_below else 0
    if incident.calm_buckets >= max(1, config.buckets(config.calm_minutes)):
        return None, Transition(opened=False, closed=True, incident=incident)
    return incident, Transition(opened=False, closed=False, incident=incident)
