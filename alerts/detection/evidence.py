"""How strongly the latest buckets argue for an incident, on one scale where 1.0 means "open one".

A scan over trailing windows of several lengths (``window_minutes``: 5 minutes to 3 hours): the count
in each window is judged against the baseline's expected count by the exact negative-binomial tail,
so a sharp burst is heard in its first buckets and a slow rise once its hour or three add up. Each
window length learns its own **variance inflation** (observed squared excess over the negative
binomial's variance, Huber-clipped): clumped mentions and minutes-to-hours wobbles of the level that the
baseline does not model (autocorrelation) make long windows vary more than independent buckets
would, and a series teaches the scan how much, instead of a threshold tuned on a few series. The
expected counts are corrected by a learned ratio of actual to expected volume (the stabilised
baseline's median sits below the mean of a skewed count).

A window argues only if it also clears the volume floors: at least ``min_excess`` more events than
expected and at least ``min_ratio`` times the expected count. And what the service promises holds
whatever the tails say: ``obvious_count`` mentions in ``obvious_minutes`` at ``obvious_ratio`` times the
usual rate open an incident (in a clumped series, the rate against the usual count times the square
root of the window's learned inflation).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from alerts.detection.config import DetectorConfig
from alerts.detection.transform import tail_z

# Expected-volume correction is kept within these bounds (a broken baseline must not blow it up).
_BIAS_RANGE = (0.5, 2.0)
# A window's squared excess counts at most this many times the current inflation (a burst is not noise).
_INFLATION_CLIP = 16.0


@dataclass(frozen=True)
class Evidence:
    strength: float  # best window's z / open level; >= 1.0 opens an incident (0 where no floor is met)
    window_buckets: int  # the window that argued most (0: none)
    observed: float  # that window's count
    expected: float  # and its expected count
    # What it weighs where an incident would open, if not ``strength`` (0.0: an obvious-burst window
    # that the clumping correction holds back, see WindowScan._obvious); None: ``strength``.
    opening: float | None = None
    # ``strength`` is a tail z over this sensitivity's opening z (False: a rule sensitivity leaves alone,
    # the obvious-burst promise and the slow-rise CUSUM).
    at_sensitivity: bool = False

    def at_normal(self, config: DetectorConfig) -> float:
        """``strength`` as normal sensitivity weighs it."""
        return self.strength * config.open_level() / config.open_z if self.at_sensitivity else self.strength

    @property
    def opens_with(self) -> float:
        return self.strength if self.opening is None else self.opening

    @property
    def floors_met(self) -> bool:
        return self.strength > 0.0


@lru_cache(maxsize=64)
def _window_lengths(window_minutes: tuple[float, ...], bucket_minutes: int) -> tuple[int, ...]:
    return tuple(max(1, round(m / bucket_minutes)) for m in window_minutes)


def _floors(observed: float, expected: float, config: DetectorConfig) -> bool:
    return observed - expected >= config.min_excess and observed >= config.min_ratio * expected


@dataclass
class WindowScan:
    """The last buckets' (count, expected count) and what each window length has learned."""

    rows: deque[tuple[float, float, float]] = field(default_factory=deque)  # count, expected, z
    inflation: list[float] = field(default_factory=list)  # per window length; >= 1
    seen: int = 0  # buckets learned from (sets the learning rate while young)
    actual: float = 0.0  # exponential averages of the (winsorised) count and of the baseline's
    forecast: float = 0.0  # expectation, whose ratio corrects the expected volume
    daily_rate: float = 0.0  # average count per bucket over about a day (the quiet-slot floor)
    # The window sums of the latest push, reused by learn() (not state: learn follows push in one update).
    _latest: list[tuple[int, float, float]] = field(default_factory=list, repr=False, compare=False)

    def _lengths(self, config: DetectorConfig) -> tuple[int, ...]:
        lengths = _window_lengths(config.window_minutes, config.bucket_minutes)
        if len(self.inflation) != len(lengths):
            self.inflation = [1.0] * len(lengths)
        return lengths

    def bias(self) -> float:
        if self.forecast <= 0.0 or self.seen < 12:
            return 1.0
        return min(max(self.actual / self.forecast, _BIAS_RANGE[0]), _BIAS_RANGE[1])

    def _sums(self, lengths: tuple[int, ...]) -> list[tuple[int, float, float]]:
        """(window number, count, expected) of each trailing window that is full (one backward pass)."""
        at = {n: i for i, n in enumerate(lengths)}
        out, count, expected = [], 0.0, 0.0
        for n, (value, exp, _) in enumerate(reversed(self.rows), start=1):
            count += value
            expected += exp
            if n in at:
                out.append((at[n], count, expected))
        return out

    def push(self, value: float, expected: float, z: float, config: DetectorConfig) -> Evidence:
        """Add the newest bucket (``expected``: the baseline's count for it) and judge every window
        ending with it. No bucket is expected to be quieter than ``quiet_floor`` times the day's
        average rate: a night slot learned as ~0 must not make one event look impossible."""
        lengths = self._lengths(config)
        self.rows.append((value, max(expected * self.bias(), config.quiet_floor * self.daily_rate), z))
        while len(self.rows) > max(lengths):
            self.rows.popleft()
        best = Evidence(0.0, 0, 0.0, 0.0)
        open_z = config.open_level()
        self._latest = self._sums(lengths)
        for i, observed, exp in self._latest:
            if not _floors(observed, exp, config):
                continue
            phi = self.inflation[i]
            k = config.dispersion * lengths[i]
            strength = tail_z(observed / phi, exp / phi, k / phi) / open_z
            if strength > best.strength:
                best = Evidence(strength, lengths[i], observed, exp, at_sensitivity=True)
        return max(best, self._obvious(lengths, config), key=lambda e: e.strength)

    def _obvious(self, lengths: tuple[int, ...], config: DetectorConfig) -> Evidence:
        """The service's promise, whatever the tails say: ``obvious_count`` mentions within
        ``obvious_minutes`` (or a shorter window) at ``obvious_ratio`` times the usual rate are an
        incident (just enough to open one: a quiet night's burst is not left to a tail that
        over-dispersion has widened).

        A clumped series (the window's learned variance inflation phi: one thread or retweet wave is
        many mentions) opens on it only if the ratio also holds against the usual count times
        sqrt(phi): its single buckets reach 5x by clumping alone, and those false incidents then held
        real bursts for hours. Such a window still counts as evidence otherwise (it keeps an open
        incident open and is a spike of the series' day for :class:`~alerts.detection.peaks.DailyPeaks`,
        which busy Twitter series calibrate on). Issue 10, chosen on the synthetic tuning half."""
        span = max(1, config.buckets(config.obvious_minutes))
        for i, observed, exp in self._latest:
            if lengths[i] > span or observed < config.obvious_count or observed < config.obvious_ratio * exp:
                continue
            clumped = observed < config.obvious_ratio * exp * math.sqrt(self.inflation[i])
            return Evidence(1.0, span, observed, exp, opening=0.0 if clumped else None)
        return Evidence(0.0, 0, 0.0, 0.0)

    def learn(
        self, value: float, expected: float | None, config: DetectorConfig, in_burst: bool = False
    ) -> None:
        """Learn from the bucket just judged: each window's variance inflation and the volume bias."""
        self.seen += 1
        self.daily_rate += max(config.rate(1440.0), 1.0 / self.seen) * (value - self.daily_rate)
        if expected is None:
            return
        lengths = self._lengths(config)
        rate = max(config.rate(config.scale_halflife_minutes), 1.0 / self.seen)
        clip = _INFLATION_CLIP
        # An open incident's windows are the burst, not noise: they teach the inflation nothing.
        for i, observed, exp in [] if in_burst else self._latest:
            k = config.dispersion * lengths[i]
            variance = max(exp + exp * exp / k, 1e-3)
            ratio = min((observed - exp) ** 2 / variance, clip * self.inflation[i])
            self.inflation[i] = max(1.0, self.inflation[i] + rate * (ratio - self.inflation[i]))
        # A burst must not teach the bias that bursts are normal: counts are winsorised first.
        day = max(config.rate(1440.0), 1.0 / self.seen)
        self.actual += day * (min(value, 2.0 * expected + 3.0) - self.actual)
        self.forecast += day * (expected - self.forecast)

    def to_state(self) -> dict[str, Any]:
        return {
            "rows": [list(r) for r in self.rows],
            "inflation": list(self.inflation),
            "seen": self.seen,
            "actual": self.actual,
            "forecast": self.forecast,
            "daily_rate": self.daily_rate,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> WindowScan:
        return cls(
            rows=deque((float(v), float(e), float(z)) for v, e, z in state["rows"]),
            inflation=[float(x) for x in state["inflation"]],
            seen=int(state["seen"]),
            actual=float(state["actual"]),
            forecast=float(state["forecast"]),
            daily_rate=float(state["daily_rate"]),
        )
