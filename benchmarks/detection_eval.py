"""Scoring a detector on the synthetic brand series: detections, delays and false incidents.

Delays run from a burst's first bucket to the end of the bucket whose verdict opened the incident (the
earliest moment the service could know), so an alert on the burst's own bucket is 5 minutes late. A
burst is detected when an incident opens between its start and an hour after its end; any other
incident opened after the learning week is false. The issue's goals:

* **obvious**: a step or spike at >= 5x whose first 15 minutes hold >= 10 mentions opens within 15 min;
* **ramp**: a ramp that reaches 2x (and stays an hour past that, adding >= 10 mentions over the usual in
  that hour: below that no detector can tell it from noise) opens within an hour of crossing 2x;
* **quiet**: at most one false incident per brand-week.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field

from alerts.detection import DetectorConfig, SpikeDetector
from benchmarks.synthetic_counts import BUCKET_MINUTES, LEARN_DAYS, PER_DAY, PER_WEEK, BrandSeries

GRACE = 60 // BUCKET_MINUTES  # an incident up to an hour after a burst ended still belongs to it
OBVIOUS_FACTOR, OBVIOUS_COUNT, OBVIOUS_BUCKETS = 5.0, 10.0, 15 // BUCKET_MINUTES
RAMP_LIMIT_MINUTES = 60
RAMP_EXTRA = 10.0  # the ramp goal's volume floor, like the obvious burst's 10 mentions


@dataclass
class BurstOutcome:
    band: str
    shape: str
    factor: float
    minutes: int
    delay: float | None  # minutes from the burst's start; None if missed
    obvious: bool
    ramp_delay: float | None  # minutes after crossing 2x (0 if before); None if missed or not a ramp goal
    ramp_goal: bool


@dataclass
class Evaluation:
    bursts: list[BurstOutcome] = field(default_factory=list)
    false_incidents: dict[str, int] = field(default_factory=dict)
    weeks: dict[str, float] = field(default_factory=dict)

    def add(self, other: Evaluation) -> None:
        self.bursts += other.bursts
        for band, n in other.false_incidents.items():
            self.false_incidents[band] = self.false_incidents.get(band, 0) + n
        for band, w in other.weeks.items():
            self.weeks[band] = self.weeks.get(band, 0.0) + w

    def false_per_week(self, band: str | None = None) -> float:
        bands = [band] if band else list(self.weeks)
        weeks = sum(self.weeks.get(b, 0.0) for b in bands)
        return sum(self.false_incidents.get(b, 0) for b in bands) / weeks if weeks else 0.0


def opened(series: BrandSeries, config: DetectorConfig | None = None) -> list[int]:
    """Bucket indices where the detector opened an incident."""
    detector = SpikeDetector(config)
    return [
        i
        for i, (ts, value) in enumerate(zip(series.timestamps, series.counts, strict=True))
        if detector.update(ts, float(value)).alert
    ]


def evaluate(series: BrandSeries, alerts: Iterable[int]) -> Evaluation:
    """Match incident openings to the series' bursts."""
    alerts = sorted(a for a in alerts if a >= LEARN_DAYS * PER_DAY)
    used: set[int] = set()
    result = Evaluation()
    for b in series.bursts:
        end = b.start + b.buckets + GRACE
        hits = [a for a in alerts if b.start <= a < end]
        used.update(hits)
        delay = None if not hits else (hits[0] - b.start + 1) * BUCKET_MINUTES
        first = series.counts[b.start : b.start + min(b.buckets, OBVIOUS_BUCKETS)].sum()
        obvious = b.shape != "ramp" and b.factor >= OBVIOUS_FACTOR and first >= OBVIOUS_COUNT
        cross = b.crosses(2.0)
        ramp_goal = b.shape == "ramp" and cross is not None and b.start + b.buckets - cross >= GRACE
        if ramp_goal and cross is not None:  # and the hour after 2x holds >= 10 extra mentions
            hour = range(cross, cross + GRACE)
            extra = sum(series.usual[i] * (b.multiplier(i - b.start) - 1.0) for i in hour)
            ramp_goal = extra >= RAMP_EXTRA
        ramp_delay = None
        if ramp_goal and hits and cross is not None:
            ramp_delay = max(0, hits[0] - cross + 1) * BUCKET_MINUTES
        result.bursts.append(
            BurstOutcome(
                series.band,
                b.shape,
                b.factor,
                b.buckets * BUCKET_MINUTES,
                delay,
                obvious,
                ramp_delay,
                ramp_goal,
            )
        )
    result.false_incidents[series.band] = sum(a not in used for a in alerts)
    result.weeks[series.band] = (len(series.counts) - LEARN_DAYS * PER_DAY) / PER_WEEK
    return result


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@dataclass(frozen=True)
class BandSummary:
    band: str
    bursts: int
    detected: float  # share
    median_delay: float
    p90_delay: float
    false_per_week: float
    obvious: int
    obvious_in_time: float  # share of obvious bursts opened within 15 minutes
    ramps: int
    ramps_in_time: float  # share of ramp goals opened within an hour of crossing 2x


def summarise(evaluation: Evaluation, band: str | None) -> BandSummary:
    bursts = [b for b in evaluation.bursts if band is None or b.band == band]
    delays = [b.delay for b in bursts if b.delay is not None]
    obvious = [b for b in bursts if b.obvious]
    ramps = [b for b in bursts if b.ramp_goal]
    return BandSummary(
        band=band or "all",
        bursts=len(bursts),
        detected=len(delays) / len(bursts) if bursts else float("nan"),
        median_delay=statistics.median(delays) if delays else float("nan"),
        p90_delay=percentile(delays, 0.9),
        false_per_week=evaluation.false_per_week(band),
        obvious=len(obvious),
        obvious_in_time=(
            sum(b.delay is not None and b.delay <= OBVIOUS_BUCKETS * BUCKET_MINUTES for b in obvious)
            / len(obvious)
            if obvious
            else float("nan")
        ),
        ramps=len(ramps),
        ramps_in_time=(
            sum(b.ramp_delay is not None and b.ramp_delay <= RAMP_LIMIT_MINUTES for b in ramps) / len(ramps)
            if ramps
            else float("nan")
        ),
    )
