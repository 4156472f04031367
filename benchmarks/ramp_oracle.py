"""What a slow ramp's delay owes to the data and what it owes to learning: an oracle CUSUM.

The oracle is Page's CUSUM for "the rate has doubled" (the slow-rise CUSUM's own log-likelihood ratio,
``alerts/detection/ramp.py``) that is *told* each bucket's true usual rate and the series' true
negative-binomial clumping k, which :mod:`benchmarks.synthetic_counts` knows and the detector must learn.
No causal detector can beat it on these series, so a ramp it opens late is late for lack of data, and one
it opens in time but the detector does not is late for what the detector has to learn (the rate, the
clumping) or chooses to require (volume floors, forgetting). It also knows each holiday in advance, which
makes its false alarms a lower bound too. Issue 10, round 25; tuning seeds (even) only.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from alerts.detection.ramp import log_likelihood_ratio
from benchmarks.detection_eval import RAMP_LIMIT_MINUTES
from benchmarks.synthetic_counts import BUCKET_MINUTES, LEARN_DAYS, PER_DAY, BrandSeries, Burst, generate

RATIO = 2.0  # the ramp goal's "doubled", as the detector's ramp_ratio
HOLD = 120 // BUCKET_MINUTES  # after an alarm the oracle, like an open incident, listens again in 2 hours
# Round 24's grid: six tuning seeds with no holiday in the ramp's week, three scales, every second hour.
GRID_SEEDS = (44, 46, 56, 60, 68, 70)
GRID_SCALES = (20.0, 100.0, 400.0)
GRID_HOURS = tuple(range(0, 24, 2))
RAMP_BUCKETS, RAMP_FACTOR = 48, 4.0  # 1x -> 4x over four hours: 2x after 80 minutes


def oracle_alarms(series: BrandSeries, h: float, start: int = 0) -> list[int]:
    """Buckets where the oracle's CUSUM reaches ``h`` nats, listening from bucket ``start``."""
    alarms: list[int] = []
    score, hold = 0.0, 0
    for i in range(start, len(series.counts)):
        if hold:
            hold -= 1
            continue
        usual = max(float(series.usual[i]), 1e-3)
        step = log_likelihood_ratio(float(series.counts[i]), usual, RATIO, series.dispersion)
        score = max(0.0, score + step)
        if score >= h:
            alarms.append(i)
            score, hold = 0.0, HOLD
    return alarms


@dataclass(frozen=True)
class RampCase:
    seed: int
    scale: float
    hour: int

    @property
    def start(self) -> int:
        return (LEARN_DAYS + 1) * PER_DAY + self.hour * 60 // BUCKET_MINUTES

    @property
    def burst(self) -> Burst:
        return Burst(self.start, RAMP_BUCKETS, "ramp", RAMP_FACTOR)

    def series(self) -> BrandSeries:
        return generate(self.seed, days=LEARN_DAYS + 3, scale=self.scale, bursts=[self.burst])

    def minutes_after_doubling(self, alarms: list[int]) -> float | None:
        """From the bucket where the ramp reaches 2x to the end of the first alarm's bucket at or after
        the ramp's start (0 if before 2x); None if none."""
        crossed = self.burst.crosses(RATIO)
        first = next((a for a in sorted(alarms) if a >= self.start), None)
        if first is None or crossed is None:
            return None
        return max(0, first - crossed + 1) * BUCKET_MINUTES


def ramp_grid() -> list[RampCase]:
    return [RampCase(s, c, h) for s, c, h in itertools.product(GRID_SEEDS, GRID_SCALES, GRID_HOURS)]


def in_time(delay: float | None) -> bool:
    return delay is not None and delay <= RAMP_LIMIT_MINUTES
