"""A slow rise that no single window shows: a CUSUM for "the rate has doubled", against an expectation frozen
before the rise began.

The trailing windows judge each window's count against the baseline's *current* expectation, and the baseline
learns: over the hour or two a ramp takes to double, the level and the time-of-day knot absorb part of it, and
the long windows' learned inflation widens their tails. Page's CUSUM on the negative-binomial log-likelihood
ratio of ``ramp_ratio`` times the usual rate against the usual rate adds the evidence bucket by bucket
instead. The usual rate comes from a copy of the baseline taken when the run (the CUSUM above zero) began, so
the rise cannot teach it that rising is normal; the seasonal profile still moves on with the hour. The CUSUM
forgets with a half-life (``ramp_halflife_minutes``), so a mild elevation that lasts for hours saturates
instead of crawling up to any bar. Each bucket's log-likelihood ratio is divided by the shortest window's
learned variance inflation (quasi-likelihood): clumped mentions count for less. A run that lasts
``ramp_max_minutes`` without opening starts afresh from the current baseline (a lasting change of level is the
baseline's to learn). It opens only on a volume that matters (floors in :meth:`RampCusum.push`), and listens
only between incidents.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from alerts.detection.baseline import SeasonalBaseline
from alerts.detection.config import DetectorConfig
from alerts.detection.evidence import Evidence, WindowScan
from alerts.detection.transform import unstabilise

# The window whose learned inflation scales the CUSUM's steps: the one closest to a single bucket (the
# hour window's, which also holds the baseline's hour-long misfits, made a ramp open 1-2 hours late on
# the tuning half).
_INFLATION_MINUTES = 5.0
_RECENT_MINUTES = 60.0
# The hour that waives the volume floor must still be rising: its second half at least this many times its
# first half, each against its frozen expectation (a holiday that lifts a whole night at midnight is a
# step, not a ramp). Round 24, on the synthetic tuning half (288 brands): 1.0 / 1.1 / 1.2 / 1.4 / 1.6 gave
# 112 / 110 / 97 / 87 / 82 false incidents and 29 / 30 / 34 / 48 / 64 of 216 night-and-day 4x ramps late.
_RISING = 1.2


def log_likelihood_ratio(count: float, mean: float, ratio: float, dispersion: float) -> float:
    """log P(count | NB(ratio * mean, k)) - log P(count | NB(mean, k)) (the count's factorials cancel)."""
    shifted = ratio * mean
    return count * math.log(ratio * (dispersion + mean) / (dispersion + shifted)) + dispersion * math.log(
        (dispersion + mean) / (dispersion + shifted)
    )


def _decay(config: DetectorConfig, phi: float) -> float:
    """What one bucket keeps of the CUSUM's evidence: it forgets with ``ramp_halflife_minutes`` times the
    inflation its steps are divided by, so the same sustained excess saturates at the same level on a
    clumped series as on a smooth one (issue 10, round 16). 1.0: never forgets."""
    if config.ramp_halflife_minutes <= 0.0:
        return 1.0
    return 0.5 ** (config.bucket_minutes / (config.ramp_halflife_minutes * max(phi, 1.0)))


def _inflation_window(config: DetectorConfig) -> int:
    minutes = config.window_minutes
    return min(range(len(minutes)), key=lambda i: abs(minutes[i] - _INFLATION_MINUTES))


@dataclass
class RampCusum:
    """The CUSUM and the run it belongs to; ``to_state``/``from_state`` give a JSON-safe dict."""

    score: float = 0.0  # nats of evidence for "the rate has doubled" (0: no run)
    frozen: SeasonalBaseline | None = None  # the baseline as it was when the run began
    run: int = 0  # buckets in the run
    excess: float = 0.0  # the run's count over its frozen expectation
    recent: deque[tuple[float, float]] = field(default_factory=deque)  # last hour: count, frozen expected

    def reset(self) -> None:
        self.score, self.frozen, self.run, self.excess = 0.0, None, 0, 0.0
        self.recent.clear()

    def push(
        self,
        local: datetime,
        value: float,
        baseline: SeasonalBaseline,
        scan: WindowScan,
        config: DetectorConfig,
        warm: bool = True,
    ) -> Evidence:
        """Step the CUSUM with the newest bucket (before ``baseline`` learns from it) and say how
        strongly it argues for an incident (1.0: open one; 0: off, too young or a floor unmet)."""
        if config.ramp_h <= 0.0 or not warm:
            self.reset()
            return Evidence(0.0, 0, 0.0, 0.0)
        if self.run >= max(1, config.buckets(config.ramp_max_minutes)):
            self.reset()
        frozen = self.frozen if self.frozen is not None else baseline
        forecast = frozen.forecast(local, config)
        if forecast is None:
            return Evidence(0.0, 0, 0.0, 0.0)
        expected = max(
            unstabilise(forecast.mean, config.dispersion) * scan.bias(),
            config.quiet_floor * scan.daily_rate,
            1e-3,
        )
        phi = scan.inflation[_inflation_window(config)] if scan.inflation else 1.0
        step = log_likelihood_ratio(value, expected, config.ramp_ratio, config.dispersion) / phi
        self.score = max(0.0, _decay(config, phi) * self.score + step)
        if self.score <= 0.0:
            self.reset()
            return Evidence(0.0, 0, 0.0, 0.0)
        if self.frozen is None:
            self.frozen = baseline.copy()
        self.run += 1
        self.excess += value - expected
        self.recent.append((value, expected))
        while len(self.recent) > max(1, config.buckets(_RECENT_MINUTES)):
            self.recent.popleft()
        observed = sum(v for v, _ in self.recent)
        usual = sum(e for _, e in self.recent)
        if self.excess < config.min_excess or observed < config.ramp_min_ratio * usual:
            return Evidence(0.0, 0, 0.0, 0.0)
        # A volume that matters: the last hour's excess is at least this share of an average hour's
        # count (a night-time trickle that doubles, or a holiday lifting the night, is no ramp to page on),
        # unless the hour already holds the rate the CUSUM listens for. Round 24: the share alone left
        # most night ramps unpaged however busy the brand (a night at 0.3 of an average hour that doubles
        # adds 0.3).
        waived = 0.0 < config.ramp_share_waived_at * usual <= observed and self._rising()
        if not waived and observed - usual < config.ramp_min_share * scan.daily_rate * len(self.recent):
            return Evidence(0.0, 0, 0.0, 0.0)
        return Evidence(self.score / config.ramp_h, len(self.recent), observed, usual)

    def _rising(self) -> bool:
        """The last hour's second half runs at ``_RISING`` times its first half's ratio or more."""
        rows = list(self.recent)
        half = len(rows) // 2
        if half == 0:
            return False
        first = sum(v for v, _ in rows[:half]) / sum(e for _, e in rows[:half])
        second = sum(v for v, _ in rows[half:]) / sum(e for _, e in rows[half:])
        return second >= _RISING * first

    def to_state(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "frozen": None if self.frozen is None else self.frozen.to_state(),
            "run": self.run,
            "excess": self.excess,
            "recent": [list(r) for r in self.recent],
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> RampCusum:
        frozen = state["frozen"]
        return cls(
            score=float(state["score"]),
            frozen=None if frozen is None else SeasonalBaseline.from_state(frozen),
            run=int(state["run"]),
            excess=float(state["excess"]),
            recent=deque((float(v), float(e)) for v, e in state["recent"]),
        )
