"""Exact negative-binomial tails on counts divided by the learned over-dispersion.

* **one bucket**: below a mean of k (``dispersion``) the stabilised axis is too coarse (0 -> 14 is no
  6-sigma event there), so the exact tail decides; above it the stabilised z does (the exact tail's
  independence assumption makes busy series' single buckets look too extreme).
* **the trailing window's total**: judged by the exact tail at every mean, so the rule does not switch
  off when a series is a few times busier (a regime switch at a fixed count made the detector
  scale-dependent: NAB's CRM x3 raised no alerts at all).

Counts are divided by the learned over-dispersion (variance / mean, learned at every mean): events that
arrive in clumps of three are not three times the news. A quiet slot's expectation may shrink to ~0,
which would make one event "impossible": the tail is taken at no less than ``quiet_floor`` times the
series' average rate over the last day.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from alerts.detection.config import DetectorConfig
from alerts.detection.transform import tail_z


@dataclass
class SmallCountTail:
    daily_rate: float = 0.0  # exponential average count per bucket over about a day
    seen: int = 0
    overdispersion: float = 1.0  # variance / mean of small counts, learned; >= 1
    overdispersion_seen: int = 0

    def _tail(self, count: float, mean: float, dispersion: float) -> float:
        return tail_z(count / self.overdispersion, mean / self.overdispersion, dispersion)

    def spike_z(self, value: float, expected: float, z: float, config: DetectorConfig) -> float:
        """The bucket's z, raised to the exact tail's where the count is small."""
        if z <= 1.0 or expected >= config.dispersion:
            return z
        mean = max(expected, config.quiet_floor * self.daily_rate)
        return max(z, self._tail(value, mean, config.dispersion))

    def window_z(self, observed: float, expected: float, buckets: int, config: DetectorConfig) -> float:
        """Exact-tail z of a window's total (at every mean: no switch of regime with the series' scale)."""
        mean = max(expected, config.quiet_floor * self.daily_rate * buckets)
        return self._tail(observed, mean, config.dispersion * buckets)

    def learn(self, value: float, expected: float | None, config: DetectorConfig) -> None:
        """Update the day's rate and the over-dispersion (Pearson, clipped)."""
        if expected is not None:
            mean = max(expected, config.quiet_floor * self.daily_rate, 1e-3)
            pearson = min((value - mean) ** 2 / mean, config.huber_k**2 * self.overdispersion)
            self.overdispersion_seen += 1
            rate = max(config.rate(config.scale_halflife_minutes), 1.0 / self.overdispersion_seen)
            self.overdispersion = max(1.0, self.overdispersion + rate * (pearson - self.overdispersion))
        self.seen += 1
        self.daily_rate += max(config.rate(1440.0), 1.0 / self.seen) * (value - self.daily_rate)

    def to_state(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> SmallCountTail:
        return cls(
            daily_rate=float(state["daily_rate"]),
            seen=int(state["seen"]),
            overdispersion=float(state["overdispersion"]),
            overdispersion_seen=int(state["overdispersion_seen"]),
        )
