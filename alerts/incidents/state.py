"""The state the incident machine keeps on an ``Incident`` row, typed and versioned.

It lives in ``Incident.details`` beside what others write there (``created_wall``,
``explanation``, the workflow's ``history``), under its own keys, with ``state_version``. Rows
written before the state had a version (version 0: the same keys, each optional, times and burst
starts as ISO strings) are migrated when read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

STATE_VERSION = 1
VERSION_KEY = "state_version"


class IncidentStateError(ValueError):
    """The stored state is from a newer version than this code knows."""


@dataclass
class IncidentState:
    active: list[str] = field(default_factory=list)  # series keys still in their burst
    series: list[str] = field(default_factory=list)  # every series key that joined
    touchpoints: list[str] = field(default_factory=list)  # those whose excess explains it first
    bursts: dict[str, datetime] = field(default_factory=dict)  # series key → start of the burst taken up
    folded_urgent: int = 0  # urgent alerts kept off the pager because this incident already pages
    peak_at: datetime | None = None  # bucket of the opening series' peak
    burst_end: datetime | None = None  # end of the last bucket, once the detector resolved it
    version: int = STATE_VERSION

    def join(self, key: str, touchpoint: str | None) -> None:
        self.active = sorted(set(self.active) | {key})
        self.series = sorted(set(self.series) | {key})
        if touchpoint and touchpoint not in self.touchpoints:
            self.touchpoints = [*self.touchpoints, touchpoint]

    def leave(self, key: str) -> None:
        self.active = [k for k in self.active if k != key]

    def to_json(self) -> dict[str, Any]:
        return {
            VERSION_KEY: self.version,
            "active": list(self.active),
            "series": list(self.series),
            "touchpoints": list(self.touchpoints),
            "bursts": {key: start.isoformat() for key, start in self.bursts.items()},
            "folded_urgent": self.folded_urgent,
            "peak_at": _iso(self.peak_at),
            "burst_end": _iso(self.burst_end),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> IncidentState:
        data = dict(data or {})
        version = int(data.get(VERSION_KEY) or 0)
        if version > STATE_VERSION:
            raise IncidentStateError(f"incident state version {version} is newer than {STATE_VERSION}")
        # Version 0 has the same keys, each optional: reading with defaults is its migration.
        return cls(
            active=list(data.get("active") or []),
            series=list(data.get("series") or []),
            touchpoints=list(data.get("touchpoints") or []),
            bursts={key: datetime.fromisoformat(start) for key, start in (data.get("bursts") or {}).items()},
            folded_urgent=int(data.get("folded_urgent") or 0),
            peak_at=_time(data.get("peak_at")),
            burst_end=_time(data.get("burst_end")),
        )


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _time(value: str | None) -> datetime | None:
    return None if not value else datetime.fromisoformat(value)


def read_state(details: dict[str, Any] | None) -> IncidentState:
    """The incident state in an ``Incident.details`` dict (migrated if it is older)."""
    return IncidentState.from_json(details)


def with_state(details: dict[str, Any] | None, state: IncidentState) -> dict[str, Any]:
    """A new ``details`` dict holding ``state`` and everything else ``details`` held (assign it: the
    JSON column only notices a new dict)."""
    return {**(details or {}), **state.to_json()}
