"""Realistic 5-minute counts of a brand's negative mentions, with injected bursts of known shape (by seed).

What a Tehran food-delivery brand's complaints look like: quiet nights, a lunch peak (13-14h) and a higher
dinner peak (20-22h), busier Thursday evenings and Fridays (the weekend), negative-binomial clumping
(threads, retweets), a slow trend, and a holiday or two that change the whole day. Scales (the mean per
bucket over a week) run from 0.2 to 500. Bursts start at any hour and are a ``step`` (the rate jumps by a
factor and stays), a ``ramp`` (rises linearly to the factor) or a ``spike`` (one bucket); they last
15 minutes to 6 hours and multiply the usual rate at that hour by 1.5-20. Every brand starts with a
week without bursts (the detector's learning), and half the brands never burst (false alarms per
brand-week). Everything is a pure function of the seed: even seeds are the tuning half, odd seeds the
reporting half.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

BUCKET_MINUTES = 5
PER_DAY = 24 * 60 // BUCKET_MINUTES
PER_WEEK = 7 * PER_DAY
START = datetime(2025, 3, 29)  # a Saturday (the first day of the Iranian week), wall-clock Tehran time
LEARN_DAYS = 7
SHAPES = ("step", "ramp", "spike")
# Scale bands: (label, lowest, highest mean count per bucket).
BANDS = (
    ("0.2-0.5", 0.2, 0.5),
    ("0.5-2", 0.5, 2.0),
    ("2-8", 2.0, 8.0),
    ("8-40", 8.0, 40.0),
    ("40-150", 40.0, 150.0),
    ("150-500", 150.0, 500.0),
)


@dataclass(frozen=True)
class Burst:
    start: int  # bucket index
    buckets: int
    shape: str
    factor: float  # peak multiple of the usual rate

    def multiplier(self, offset: int) -> float:
        """Multiple of the usual rate ``offset`` buckets into the burst."""
        if self.shape == "ramp":
            return 1.0 + (self.factor - 1.0) * (offset + 1) / self.buckets
        return self.factor

    def crosses(self, multiple: float) -> int | None:
        """Bucket index where the rate first reaches ``multiple`` times the usual, if it does."""
        for offset in range(self.buckets):
            if self.multiplier(offset) >= multiple:
                return self.start + offset
        return None


@dataclass(frozen=True)
class BrandSeries:
    seed: int
    band: str
    scale: float
    dispersion: float
    timestamps: list[datetime]
    usual: np.ndarray  # the burst-free expected count per bucket
    counts: np.ndarray
    bursts: list[Burst]


def daily_shape(hours: np.ndarray, lunch: float, dinner: float, shift: float) -> np.ndarray:
    """A Tehran food-delivery day (relative rate by hour): quiet night, lunch and dinner peaks."""
    u = (hours - shift - 5.0) % 24.0  # hours since 5 a.m., so the night is one stretch
    awake = 1.0 / (1.0 + np.exp(-(u - 3.5) * 1.5)) / (1.0 + np.exp(-(19.0 - u) * 1.2))  # ~8:30 to ~midnight
    peaks = lunch * np.exp(-0.5 * ((u - 8.5) / 1.0) ** 2) + dinner * np.exp(-0.5 * ((u - 16.0) / 1.3) ** 2)
    return 0.08 + 0.6 * awake + peaks


def weekly_factor(weekday: np.ndarray, hours: np.ndarray) -> np.ndarray:
    """The weekend's lift (Thursday evening, Friday) and Saturday morning's dip."""
    # Python weekday: Thursday 3, Friday 4. Thursday evening and Friday are the weekend.
    factor = np.ones_like(hours)
    factor[weekday == 4] = 1.25
    factor[(weekday == 3) & (hours >= 17)] = 1.2
    factor[(weekday == 5) & (hours < 12)] = 0.9  # Saturday morning: back to work
    return factor


def generate(
    seed: int,
    days: int = 28,
    bursty: bool | None = None,
    scale: float | None = None,
    bursts: list[Burst] | None = None,
) -> BrandSeries:
    """One brand's series. ``bursty`` None: every other round of bands bursts (see :func:`seeds`);
    ``scale`` and ``bursts`` replace the seed's own (for tests that need a burst of known size)."""
    rng = np.random.default_rng(seed)
    band, low, high = BANDS[(seed // 2) % len(BANDS)]
    drawn = float(math.exp(rng.uniform(math.log(low), math.log(high))))
    if scale is None:
        scale = drawn
    else:
        band = next((label for label, lo, hi in BANDS if lo <= scale <= hi), f"{scale:g}")
    dispersion = float(rng.choice([3.0, 8.0, 20.0, 50.0]))
    n = days * PER_DAY
    index = np.arange(n)
    minutes = index * BUCKET_MINUTES
    hours = (minutes % 1440) / 60.0
    weekday = ((START.weekday() + minutes // 1440) % 7).astype(int)

    shape = daily_shape(
        hours, lunch=rng.uniform(0.6, 1.4), dinner=rng.uniform(1.0, 2.2), shift=rng.uniform(-0.5, 0.5)
    )
    usual = shape * weekly_factor(weekday, hours)
    trend = np.exp(rng.uniform(-0.35, 0.35) * index / n + np.cumsum(rng.normal(0, 0.004, n)))
    usual = usual * trend
    for _ in range(int(rng.integers(0, 3))):  # holidays: a whole day busier or quieter
        day = int(rng.integers(LEARN_DAYS, days))
        usual[day * PER_DAY : (day + 1) * PER_DAY] *= rng.choice([0.5, 0.7, 1.4, 1.7])
    usual = usual * scale / usual[: 7 * PER_DAY].mean()

    drawn_bursts: list[Burst] = []
    if bursty if bursty is not None else (seed // (2 * len(BANDS))) % 2 == 0:
        day = LEARN_DAYS + float(rng.uniform(0.3, 1.5))
        while day < days - 1:
            kind = str(rng.choice(SHAPES))
            length = 1 if kind == "spike" else round(math.exp(rng.uniform(math.log(3), math.log(72))))
            factor = float(math.exp(rng.uniform(math.log(1.5), math.log(20.0))))
            start = int(day * PER_DAY)
            if start + length < n:
                drawn_bursts.append(Burst(start=start, buckets=length, shape=kind, factor=factor))
            day += float(rng.uniform(3.0, 7.0))
    if bursts is None:
        bursts = drawn_bursts

    rate = usual.copy()
    for b in bursts:
        for offset in range(b.buckets):
            rate[b.start + offset] *= b.multiplier(offset)
    # Negative binomial as a gamma-Poisson mixture: the clumping of real mentions.
    counts = rng.poisson(rate * rng.gamma(dispersion, 1.0 / dispersion, n)).astype(float)
    timestamps = [START + timedelta(minutes=BUCKET_MINUTES * int(i)) for i in index]
    return BrandSeries(seed, band, scale, dispersion, timestamps, usual, counts, bursts)


def seeds(half: str, per_band: int) -> list[int]:
    """``per_band`` seeds per scale band of the ``tuning`` (even) or ``reporting`` (odd) half."""
    parity = 0 if half == "tuning" else 1
    out = []
    for band in range(len(BANDS)):
        for k in range(per_band):
            out.append(2 * (band + len(BANDS) * k) + parity)
    return out
