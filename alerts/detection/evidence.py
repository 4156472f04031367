"""How strongly the latest buckets argue for an incident, on one scale where 1.0 means "open one".

Two complementary rules on robust z-scores:

* **spike**: one bucket far above expectation (``spike_z``) — a sudden burst is heard at once;
* **surge**: the trailing window's mean z (``sustained_z``), or the exact over-dispersed tail of the
  window's total (``spike_z``, at every scale) — a rise that stays up for hours is heard though no
  bucket looks extreme.

Each rule must also clear the volume floors (``min_excess``, ``min_ratio``) on its own counts: the
spike on its bucket, the surge on its window.
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


def _floors(observed: float, expected: float, config: DetectorConfig) -> bool:
    return observed - expected >= config.min_excess and observed >= config.min_ratio * expected


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
        window_z: Callable[[float, float, int, DetectorConfig], float] | None = None,
    ) -> Evidence:
        self.rows.append((z, value, expected))
        while len(self.rows) > max(1, config.buckets(config.sustained_minutes)):
            self.rows.popleft()
        mean_z = sum(r[0] for r in self.rows) / len(self.rows)
        observed = sum(r[1] for r in self.rows)
        expected_sum = sum(r[2] for r in self.rows)
        # Each rule needs its own volume: the spike in its bucket, the surge over its window.
        spike = spike_z / config.spike_z if _floors(value, expected, config) else 0.0
        surge = mean_z / config.sustained_z
        if window_z is not None:
            surge = max(surge, window_z(observed, expected_sum, len(self.rows), config) / config.spike_z)
        if not _floors(observed, expected_sum, config):
            surge = 0.0
        strength = max(spike, surge)
        floors = strength > 0.0
        return Evidence(strength=strength, floors_met=floors)

    def to_state(self) -> list[list[float]]:
        return [list(r) for r in self.rows]

    @classmethod
    def from_state(cls, rows: list[Any]) -> TrailingWindow:
        return cls(rows=deque((float(z), float(v), float(e)) for z, v, e in rows))
