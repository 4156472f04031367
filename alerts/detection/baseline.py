"""Seasonal baseline on the stabilised axis: local level + time-of-day profile + day-of-week offset.

An additive Holt-Winters model in error-correction form, updated one bucket at a time:

* the **level** follows slow drift (half-life of hours);
* the **time-of-day profile** has 24 hourly knots, linearly interpolated, so 17:55 and 18:05 get nearly
  the same expectation;
* the **day-of-week offset** remembers that Fridays are quiet in Tehran (or Sundays in New York).

Each component absorbs what the previous one left over, so no component overshoots. Residuals are
Huber-clipped before they update anything (harder while an incident is open: the detector passes its own
clip): a burst moves the baseline only a little, a lasting change of level is learned within hours.
New knots start as running means (rate 1/n) until their exponential rate takes over, which keeps the
first day usable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from alerts.detection.config import DetectorConfig

HOURS = 24
DAYS = 7
# Mean absolute deviation of a normal variable is sigma * sqrt(2/pi).
MAD_TO_SIGMA = math.sqrt(math.pi / 2.0)


@dataclass
class Forecast:
    """What the baseline expected for one bucket, on the stabilised axis."""

    mean: float
    scale: float


@dataclass
class SeasonalBaseline:
    """Mutable model state; ``to_state``/``from_state`` give a JSON-safe dict."""

    level: float | None = None
    daily: list[float] = field(default_factory=lambda: [0.0] * HOURS)
    daily_weight: list[float] = field(default_factory=lambda: [0.0] * HOURS)
    weekly: list[float] = field(default_factory=lambda: [0.0] * DAYS)
    weekly_weight: list[float] = field(default_factory=lambda: [0.0] * DAYS)
    abs_dev: float = 0.0
    updates: int = 0

    @staticmethod
    def _knots(local: datetime) -> tuple[int, int, float]:
        """The two hourly knots around ``local`` and the weight of the second one."""
        position = local.hour + local.minute / 60.0 + local.second / 3600.0 - 0.5
        first = math.floor(position)
        return first % HOURS, (first + 1) % HOURS, position - first

    def forecast(self, local: datetime, config: DetectorConfig) -> Forecast | None:
        """Expected stabilised value at ``local``; ``None`` before the first observation."""
        if self.level is None:
            return None
        i0, i1, w = self._knots(local)
        mean = self.level + (1.0 - w) * self.daily[i0] + w * self.daily[i1] + self.weekly[local.weekday()]
        scale = max(config.min_scale, MAD_TO_SIGMA * self.abs_dev) if self.updates else config.min_scale
        return Forecast(mean=mean, scale=scale)

    def update(
        self,
        local: datetime,
        y: float,
        forecast: Forecast | None,
        config: DetectorConfig,
        huber_k: float | None = None,
    ) -> None:
        """Learn from one stabilised observation ``y`` (``forecast`` is what ``forecast()`` returned)."""
        if forecast is None:
            self.level = y
            return
        assert self.level is not None
        clip = (config.huber_k if huber_k is None else huber_k) * forecast.scale
        error = min(max(y - forecast.mean, -clip), clip)

        self.updates += 1
        self.abs_dev += max(config.rate(config.scale_halflife_minutes), 1.0 / self.updates) * (
            abs(error) - self.abs_dev
        )

        alpha = max(config.rate(config.level_halflife_minutes), 1.0 / (self.updates + 1))
        self.level += alpha * error
        error *= 1.0 - alpha

        i0, i1, w = self._knots(local)
        gamma = config.rate(config.daily_halflife_days * 1440.0 / HOURS)
        absorbed = 0.0
        for knot, share in ((i0, 1.0 - w), (i1, w)):
            if share <= 0.0:
                continue
            self.daily_weight[knot] += share
            rate = max(gamma, share / self.daily_weight[knot]) * share
            self.daily[knot] += rate * error
            absorbed += rate * share
        error *= 1.0 - absorbed

        day = local.weekday()
        delta = config.rate(config.weekly_halflife_weeks * 1440.0)
        self.weekly_weight[day] += 1.0
        # A weekday seen for the first time starts from "like any other day" with a day's worth of prior
        # weight: otherwise its offset would swallow the first burst that happens on it.
        prior = 1440.0 / config.bucket_minutes
        self.weekly[day] += max(delta, 1.0 / (prior + self.weekly_weight[day])) * error

    def copy(self) -> SeasonalBaseline:
        return SeasonalBaseline.from_state(self.to_state())

    def to_state(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "daily": list(self.daily),
            "daily_weight": list(self.daily_weight),
            "weekly": list(self.weekly),
            "weekly_weight": list(self.weekly_weight),
            "abs_dev": self.abs_dev,
            "updates": self.updates,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> SeasonalBaseline:
        baseline = cls(
            level=None if state["level"] is None else float(state["level"]),
            daily=[float(v) for v in state["daily"]],
            daily_weight=[float(v) for v in state["daily_weight"]],
            weekly=[float(v) for v in state["weekly"]],
            weekly_weight=[float(v) for v in state["weekly_weight"]],
            abs_dev=float(state["abs_dev"]),
            updates=int(state["updates"]),
        )
        if len(baseline.daily) != HOURS or len(baseline.weekly) != DAYS:
            raise ValueError("baseline state has the wrong number of profile knots")
        return baseline
