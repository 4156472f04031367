"""How late a slow ramp has to be: the oracle CUSUM of :mod:`benchmarks.ramp_oracle` against the detector.

On round 24's grid of 216 4x ramps (tuning seeds, scales 20 / 100 / 400, a start at every second hour)
it prints how many open within an hour of crossing 2x, and beside it the false alarms per brand-week on
60 burst-free tuning brands at the same scales (three weeks each after a learning week): the oracle at
three thresholds, then the detector with its defaults, without the slow-rise CUSUM's volume floor
(``ramp_min_share`` 0), without its forgetting (``ramp_halflife_minutes`` 0) and without both. Tuning
seeds only: this is a diagnosis, not a reported figure. ``BENCH_FAST=1`` runs a third of each set.
Issue 10, round 25.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ProcessPoolExecutor

from alerts.detection import DetectorConfig
from benchmarks.detection_eval import opened
from benchmarks.ramp_oracle import GRID_SCALES, RampCase, in_time, oracle_alarms, ramp_grid
from benchmarks.synthetic_counts import LEARN_DAYS, PER_DAY, BrandSeries, generate

ORACLE_H = (8.0, 10.0, 13.0)
DETECTORS: dict[str, dict[str, float]] = {
    "detector, defaults": {},
    "  without the volume floor": {"ramp_min_share": 0.0},
    "  without forgetting": {"ramp_halflife_minutes": 0.0},
    "  without both": {"ramp_min_share": 0.0, "ramp_halflife_minutes": 0.0},
}
QUIET_SEEDS = tuple(range(200, 240, 2))  # even: the tuning half
QUIET_WEEKS = 3
LEARNED = LEARN_DAYS * PER_DAY


def _alarms(series: BrandSeries) -> dict[str, list[int]]:
    out = {f"oracle, h {h:g} nats": oracle_alarms(series, h, LEARNED) for h in ORACLE_H}
    for name, overrides in DETECTORS.items():
        out[name] = opened(series, DetectorConfig(**overrides))
    return out


def _ramp(case: RampCase) -> dict[str, bool]:
    return {name: in_time(case.minutes_after_doubling(a)) for name, a in _alarms(case.series()).items()}


def _quiet(job: tuple[int, float]) -> dict[str, int]:
    seed, scale = job
    series = generate(seed, days=LEARN_DAYS + 7 * QUIET_WEEKS, scale=scale, bursts=[])
    return {name: sum(a >= LEARNED for a in alarms) for name, alarms in _alarms(series).items()}


def main() -> None:
    start = time.perf_counter()
    step = 3 if os.environ.get("BENCH_FAST") == "1" else 1
    cases = ramp_grid()[::step]
    quiet_jobs = [(seed, scale) for seed in QUIET_SEEDS[::step] for scale in GRID_SCALES]
    with ProcessPoolExecutor(max_workers=2) as pool:
        ramps = list(pool.map(_ramp, cases))
        quiet = list(pool.map(_quiet, quiet_jobs))
    weeks = len(quiet_jobs) * QUIET_WEEKS
    print(
        f"slow ramps, tuning seeds: {len(cases)} 4x ramps over four hours (scales {GRID_SCALES}, starting "
        f"at {len({c.hour for c in cases})} hours of the day); {len(quiet_jobs)} burst-free brands x "
        f"{QUIET_WEEKS} weeks "
        f"({time.perf_counter() - start:.0f} s). The oracle knows the true rate, clumping and holidays."
    )
    print(f"  {'':32}  within 1 h of 2x  false/brand-week")
    for name in ramps[0]:
        opened_in_time = sum(r[name] for r in ramps)
        false = sum(q[name] for q in quiet) / weeks
        print(f"  {name:32}  {opened_in_time:>9} of {len(cases)}  {false:>16.3f}")
