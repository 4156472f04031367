"""Scoring a detector on the synthetic brand series: detections, delays and false incidents.

Delays run from a burst's first bucket to the end of the bucket whose verdict opened the incident (the
earliest moment the service could know), so an alert on the burst's own bucket is 5 minutes late. A
burst is detected when an incident opens between its start and an hour after its end; any other
incident opened after the learning week is false. The learning week holds no burst, so every incident
opened in it after the detector's one-day warm-up is false too: counted apart, as what a newly watched
brand meets in its first week (a fresh detector knows neither the series' rhythm nor its clumping yet).
The issue's goals:

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
WARM_UP = DetectorConfig().buckets(DetectorConfig().warmup_minutes)  # no incident opens before this bucket


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
    # the same in the learning week, after the warm-up day (a new brand's first week)
    first_week_false: dict[str, int] = field(default_factory=dict)
    first_weeks: dict[str, float] = field(default_factory=dict)

    def add(self, other: Evaluation) -> None:
        self.bursts += other.bursts
        for mine, theirs in (
            (self.false_incidents, other.false_incidents),
            (self.weeks, other.weeks),
            (self.first_week_false, other.first_week_false),
            (self.first_weeks, other.first_weeks),
        ):
            for band, n in theirs.items():
                mine[band] = mine.get(band, 0) + n

    def false_per_week(self, band: str | None = None) -> float:
        return _per_week(self.false_incidents, self.weeks, band)

    def first_week_false_per_week(self, band: str | None = None) -> float:
        return _per_week(self.first_week_false, self.first_weeks, band)


def _per_week(counts: dict[str, int], weeks: dict[str, float], band: str | None) -> float:
    bands = [band] if band else list(weeks)
    total = sum(weeks.get(b, 0.0) for b in bands)
    return sum(counts.get(b, 0) for b in bands) / total if total else 0.0


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
    alerts = sorted(alerts)
    result = Evaluation()
    result.first_week_false[series.band] = sum(WARM_UP <= a < LEARN_DAYS * PER_DAY for a in alerts)
    result.first_weeks[series.band] = (LEARN_DAYS * PER_DAY - WARM_UP) / PER_WEEK
    alerts = [a for a in alerts if a >= LEARN_DAYS * PER_DAY]
    used: set[int] = set()
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
    first_week_false_per_week: float  # days 2-7 of a fresh detector (the learning week, burst-free)
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
        first_week_false_per_week=evaluation.first_week_false_per_week(band),
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
