"""How strongly the latest buckets argue for an incident, on one scale where 1.0 means "open one".

Two complementary rules, both on robust z-scores of the stabilised counts:

* **spike**: one bucket far above expectation (``z / spike_z``) — a sudden burst is heard at once;
* **surge**: the trailing window's mean z (``mean_z / sustained_z``) — a rise that stays up for an hour
  is heard even when no single bucket looks extreme.

The floors are checked on the trailing window's counts, so sparse series need real volume to alert.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from alerts.detection.config import DetectorConfig


@dataclass(frozen=True)
class Evidence:
    strength: float  # max of the spike and surge ratios; >= 1.0 opens an incident (if the floors pass)
    floors_met: bool


@dataclass
class TrailingWindow:
    """The last ``sustained_minutes`` of (z, count, expected count)."""

    rows: deque[tuple[float, float, float]] = field(default_factory=deque)

    def push(
        self,
        z: float,
        spike_z: float,
        value: float,
        expected: float,
        config: DetectorConfig,
        window_z: Callable[[float, float, int], float] | None = None,
    ) -> Evidence:
        self.rows.append((z, value, expected))
        while len(self.rows) > max(1, config.buckets(config.sustained_minutes)):
            self.rows.popleft()
        mean_z = sum(r[0] for r in self.rows) / len(self.rows)
        observed = sum(r[1] for r in self.rows)
        expected_sum = sum(r[2] for r in self.rows)
        floors = observed - expected_sum >= config.min_excess and observed >= config.min_ratio * expected_sum
        strength = max(spike_z / config.spike_z, mean_z / config.sustained_z)
        if window_z is not None:
            strength = max(strength, window_z(observed, expected_sum, len(self.rows)) / config.spike_z)
        return Evidence(strength=strength, floors_met=floors)

    def to_state(self) -> list[list[float]]:
        return [list(r) for r in self.rows]

    @classmethod
    def from_state(cls, rows: list[Any]) -> TrailingWindow:
        return cls(rows=deque((float(z), float(v), float(e)) for z, v, e in rows))
