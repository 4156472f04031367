"""What a detector learns while an incident is open (issue 10): the burst must not lift the baseline that
the next day's burst is judged against, yet a lasting change of level must still be learned."""

from __future__ import annotations

import random

import pytest

import alerts.detection.detector as detector_module
from alerts.detection import DetectorConfig, SpikeDetector
from tests.detection.synthetic import BUCKET, PER_DAY, START, burst, daily_mean, poisson, series

HOURS_6 = 72  # buckets


def lift_next_day(level: float) -> float:
    """Expected count over a 6-hour burst's hours the day after it, over the same hours the day before."""
    start = 5 * PER_DAY + 14 * 12
    detector = SpikeDetector()
    verdicts = [
        detector.update(ts, v)
        for ts, v in series(days=7, level=level, bursts=burst(start, HOURS_6, 4 * level))
    ]
    assert [i for i, v in enumerate(verdicts) if v.alert][:1] != [], "the 5x burst opened an incident"
    before = sum(v.expected for v in verdicts[start - PER_DAY : start - PER_DAY + HOURS_6])
    after = sum(v.expected for v in verdicts[start + PER_DAY : start + PER_DAY + HOURS_6])
    return after / before


@pytest.mark.parametrize("level", [10.0, 40.0])
def test_a_long_burst_barely_lifts_the_next_days_expectation(
    level: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    default = lift_next_day(level)
    # The same detector learning from the burst's buckets as from any other (clipped at huber_k), as it
    # did before issue 10's change: the burst lifts the next day's expectation more.
    monkeypatch.setattr(detector_module, "_INCIDENT_HUBER_K", DetectorConfig().huber_k)
    as_any_bucket = lift_next_day(level)
    assert default < 1.12, f"next day's expectation lifted {default:.2f}x by yesterday's burst"
    assert default < as_any_bucket - 0.05, (default, as_any_bucket)


@pytest.mark.parametrize("factor", [2.0, 3.0, 5.0])
def test_a_lasting_change_of_level_still_resolves_within_a_day(factor: float) -> None:
    """Clipping harder while an incident is open slows the baseline; it must still learn a new level."""
    rng = random.Random(3)
    detector = SpikeDetector()
    opened, closed = [], []
    for i in range(12 * PER_DAY):
        ts = START + i * BUCKET
        mean = daily_mean(ts, 40.0) * (factor if i >= 5 * PER_DAY else 1.0)
        verdict = detector.update(ts, float(poisson(rng, mean)))
        if verdict.alert:
            opened.append(i)
        if verdict.incident_closed:
            closed.append(i)
    assert len(opened) == 1 and opened[0] >= 5 * PER_DAY, opened
    assert len(closed) == 1 and closed[0] - opened[0] < PER_DAY, (opened, closed)
