"""Spike detection on the synthetic brand benchmark (reporting half only), per scale band.

Runs ``SpikeDetector`` with its default settings on the odd seeds of :mod:`benchmarks.synthetic_counts`
(the even seeds are the tuning half the defaults were chosen on) and prints, per scale band (mean
negative mentions per 5-minute bucket): detection rate, median and p90 delay from burst start to
incident open, false incidents per brand-week (after the learning week, and in it: a newly watched brand's
first week); then the issue's goals (obvious bursts within 15 minutes,
2x ramps within an hour of crossing 2x, at most one false incident per brand-week) and the false-alarm
rate, detection rate, median delay and goals of each sensitivity. ``BENCH_FAST=1`` runs a third of the brands.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ProcessPoolExecutor

from alerts.detection import DetectorConfig
from benchmarks.detection_eval import Evaluation, evaluate, opened, summarise
from benchmarks.synthetic_counts import BANDS, PER_DAY, generate, seeds

SENSITIVITIES = ("low", "normal", "high")


def _judge(job: tuple[int, str]) -> Evaluation:
    seed, sensitivity = job
    series = generate(seed)
    return evaluate(series, opened(series, DetectorConfig(sensitivity=sensitivity)))


def run(half: str, per_band: int, sensitivity: str = "normal", workers: int = 2) -> Evaluation:
    total = Evaluation()
    jobs = [(seed, sensitivity) for seed in seeds(half, per_band)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for result in pool.map(_judge, jobs):
            total.add(result)
    return total


def _fmt(value: float, digits: int = 0) -> str:
    return "   -" if value != value else f"{value:.{digits}f}"  # NaN: nothing to measure


def main() -> None:
    fast = os.environ.get("BENCH_FAST") == "1"
    per_band = 2 if fast else 6
    start = time.perf_counter()
    normal = run("reporting", per_band)
    brands = per_band * len(BANDS)
    weeks = sum(normal.weeks.values())
    print(
        f"synthetic brands, reporting half (odd seeds): {brands} brands x 28 days ({brands * 28 * PER_DAY:,} "
        f"buckets), {len(normal.bursts)} bursts, {weeks:.0f} brand-weeks scored after a learning week; "
        f"default settings ({time.perf_counter() - start:.0f} s)"
    )
    print(
        "  scale (mean/bucket)  bursts  detected  median delay  p90 delay  false/brand-week  "
        "(first week)  obvious<=15min  ramp<=1h after 2x"
    )
    for band in [b[0] for b in BANDS] + [None]:
        s = summarise(normal, band)
        print(
            f"  {s.band:<20} {s.bursts:6d}  {s.detected:8.0%}  {_fmt(s.median_delay):>9} min  "
            f"{_fmt(s.p90_delay):>6} min  {s.false_per_week:16.2f}  {s.first_week_false_per_week:12.2f}  "
            f"{_fmt(100 * s.obvious_in_time):>9}% "
            f"of {s.obvious:<3d} {_fmt(100 * s.ramps_in_time):>5}% of {s.ramps}"
        )
    overall = summarise(normal, None)
    print(
        f"  goals: obvious bursts opened within 15 min: {overall.obvious_in_time:.0%} (goal 100%); "
        f"2x ramps within an hour: {overall.ramps_in_time:.0%}; "
        f"false incidents per brand-week {overall.false_per_week:.2f} (goal <= 1), "
        f"{overall.first_week_false_per_week:.2f} in a new brand's first week"
    )
    print(
        "  sensitivity   false/brand-week  (first week)  detected  median delay  obvious<=15min  "
        "ramp<=1h after 2x  (reporting half)"
    )
    for sensitivity in SENSITIVITIES:
        ev = normal if sensitivity == "normal" else run("reporting", per_band, sensitivity)
        s = summarise(ev, None)
        print(
            f"  {sensitivity:<12} {s.false_per_week:17.2f}  {s.first_week_false_per_week:12.2f}  "
            f"{s.detected:8.0%}  {_fmt(s.median_delay):>8} min  {s.obvious_in_time:13.0%}  "
            f"{s.ramps_in_time:16.0%}"
        )


if __name__ == "__main__":
    main()
