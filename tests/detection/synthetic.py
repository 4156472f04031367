"""Synthetic count series with a daily rhythm (Poisson noise, fixed seed) for the detector tests."""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from datetime import datetime, timedelta

START = datetime(2024, 3, 4)  # a Monday, naive: wall-clock time of the series
BUCKET = timedelta(minutes=5)
PER_DAY = 288


def daily_mean(ts: datetime, level: float) -> float:
    """Quiet at 04:00, busiest at 16:00: a 6:1 day/night swing around ``level``."""
    hour = ts.hour + ts.minute / 60.0
    return level * (1.0 + 0.7 * math.sin((hour - 10.0) / 24.0 * 2.0 * math.pi))


def poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method for small means, a rounded normal for large ones (no numpy needed)."""
    if mean > 60:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def series(
    days: float, level: float, seed: int = 7, bursts: dict[int, float] | None = None
) -> Iterator[tuple[datetime, float]]:
    """``days`` of buckets; ``bursts`` maps a bucket index to extra expected events in that bucket."""
    rng = random.Random(seed)
    bursts = bursts or {}
    for i in range(int(days * PER_DAY)):
        ts = START + i * BUCKET
        yield ts, float(poisson(rng, daily_mean(ts, level) + bursts.get(i, 0.0)))


def burst(start: int, buckets: int, extra: float) -> dict[int, float]:
    return {start + j: extra for j in range(buckets)}
