"""Replayed food-delivery scenarios: ten days of real Persian reviews about two brands, one of which meets a
two-hour burst of late- and cold-food complaints (issue 10's acceptance scenario, built by seed).

The mentions are SnappFood reviews from the project's sentiment **dev** split (never trained on, so the
model reads them as it would unseen text), each tied to a brand the way people write (its name before
or after the text, an @handle, a #hashtag). Both brands follow a Tehran food-delivery day (quiet nights,
a lunch and a higher dinner peak, busier Thursday evenings and Fridays) with day-to-day and clumped
variation; about a third of the usual mentions are negative, 3-4 negative mentions per 15 minutes at the
dinner peak. The burst adds complaints about late or cold food (reviews that say so, picked by a word
rule) so that the brand has about 15 negative mentions per 15 minutes for two hours, starting on days 8-10
(the first week is the detector's learning), half of them at the dinner peak and half at any hour.
Everything is a pure function of the seed: even seeds are the tuning half, odd seeds the reporting half.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

import numpy as np

from benchmarks.synthetic_counts import daily_shape, weekly_factor

TEHRAN = timezone(timedelta(hours=3, minutes=30))  # no daylight saving since 2022
START = datetime(2025, 3, 29, tzinfo=TEHRAN)  # a Saturday
DAYS = 10
LEARN_DAYS = 7  # the detectors' learning week: bursts start after it
BURST_MINUTES = 120
BURST_NEGATIVE_PER_15 = 15.0  # the bursting brand's negative mentions per 15 minutes during the burst
DINNER_NEGATIVE_PER_15 = 3.5  # usual negative mentions per 15 minutes at the dinner peak
NEGATIVE_SHARE = 0.35
STEP_MINUTES = 5
PER_DAY = 1440 // STEP_MINUTES  # steps a day
PER_15 = 15 // STEP_MINUTES  # steps in 15 minutes, the window the rates are given in
# Late or cold food as reviewers write it: the burst's complaints ("late or cold food is delivery").
LATE_OR_COLD = re.compile(
    r"\b(دیر|تاخیر|تأخیر|سرد|یخ|دیرتر)\b|یخ[\u200c ](کرده|زده)|طول کشید|ساعت طول|ساعت و نیم|ساعت بعد"
    r"|بعد از (یک|یه|دو|سه|[0-9۰-۹]) ?ساعت"
)


@dataclass(frozen=True)
class ScenarioBrand:
    name: str
    alias_fa: str
    alias_latin: str
    handle: str

    def config(self) -> dict:
        return {
            "name": self.name,
            "aliases_fa": [self.alias_fa],
            "aliases_latin": [self.alias_latin],
            "aliases_finglish": [self.alias_latin.lower()],
            "handles": [self.handle],
            "hashtags": [self.alias_fa],
        }


BRANDS = (
    ScenarioBrand("sabzino", "سبزینو", "Sabzino", "sabzino"),
    ScenarioBrand("ghazaland", "غذالند", "Ghazaland", "ghazaland_ir"),
)


@dataclass(frozen=True)
class ReviewPool:
    negative: tuple[str, ...]
    positive: tuple[str, ...]
    late_or_cold: tuple[str, ...]  # negative reviews about late or cold food


@lru_cache(maxsize=1)
def review_pool() -> ReviewPool:
    from nlp.sentiment.training.data import make_splits

    dev = make_splits().dev["snappfood"]
    negative = tuple(e.text for e in dev if e.label == "negative")
    return ReviewPool(
        negative=negative,
        positive=tuple(e.text for e in dev if e.label == "positive"),
        late_or_cold=tuple(t for t in negative if LATE_OR_COLD.search(t)),
    )


@dataclass(frozen=True)
class Scenario:
    seed: int
    bursting: str  # the brand that meets the burst
    other: str
    burst_start: datetime
    burst_end: datetime
    usual_at_burst: float  # the bursting brand's usual negative mentions in the burst's first 15 minutes
    mentions: list[dict]  # mention-file records, in time order

    def write(self, path: Path) -> Path:
        path.write_text("".join(json.dumps(m, ensure_ascii=False) + "\n" for m in self.mentions), "utf-8")
        return path


def _with_brand(text: str, brand: ScenarioBrand, rng: np.random.Generator) -> str:
    form = int(rng.integers(0, 5))
    if form == 0:
        return f"{brand.alias_fa} {text}"
    if form == 1:
        return f"{text} {brand.alias_fa}"
    if form == 2:
        return f"@{brand.handle} {text}"
    if form == 3:
        return f"{text} #{brand.alias_fa}"
    return f"{brand.alias_latin}: {text}"


def _usual_negative_per_step(rng: np.random.Generator, steps: int, scale: float) -> np.ndarray:
    minutes = np.arange(steps) * STEP_MINUTES
    hours = (minutes % 1440) / 60.0
    weekday = ((START.weekday() + minutes // 1440) % 7).astype(int)
    shape = daily_shape(
        hours, lunch=rng.uniform(0.7, 1.2), dinner=rng.uniform(1.3, 2.0), shift=rng.uniform(-0.4, 0.4)
    )
    day_level = np.repeat(rng.gamma(20.0, 1.0 / 20.0, DAYS + 1), PER_DAY)[:steps]
    per_step = shape * weekly_factor(weekday, hours) * day_level
    peak = shape.max()  # the dinner peak's 15 minutes hold DINNER_NEGATIVE_PER_15 negatives
    return per_step * scale * DINNER_NEGATIVE_PER_15 / PER_15 / peak


def generate(seed: int) -> Scenario:
    rng = np.random.default_rng(seed)
    pool = review_pool()
    bursting, other = (BRANDS[0], BRANDS[1]) if seed % 4 < 2 else (BRANDS[1], BRANDS[0])
    steps = DAYS * PER_DAY
    # half the bursts at the dinner peak (the case: 3-4 usual negatives), half at any hour
    day = int(rng.integers(LEARN_DAYS, DAYS))
    minute = rng.uniform(19.5 * 60, 22 * 60) if rng.random() < 0.5 else rng.uniform(0, 22 * 60)
    burst_step = day * PER_DAY + int(minute) // STEP_MINUTES
    burst_steps = range(burst_step, burst_step + BURST_MINUTES // STEP_MINUTES)
    mentions: list[dict] = []
    usual = 0.0
    for brand, scale in ((bursting, 1.0), (other, float(rng.uniform(0.5, 1.2)))):
        negative = _usual_negative_per_step(rng, steps, scale)
        clump = rng.gamma(8.0, 1.0 / 8.0, steps)  # threads and retweets come in clumps
        n_neg = rng.poisson(negative * clump)
        n_pos = rng.poisson(negative * clump * (1.0 - NEGATIVE_SHARE) / NEGATIVE_SHARE)
        n_late = np.zeros(steps, dtype=int)
        if brand is bursting:
            usual = float(negative[burst_step : burst_step + PER_15].sum())
            extra = np.maximum(BURST_NEGATIVE_PER_15 / PER_15 - negative[burst_steps], 0.0)
            n_late[burst_steps] = rng.poisson(extra)
        for step in range(steps):
            for texts, count in (
                (pool.negative, n_neg[step]),
                (pool.positive, n_pos[step]),
                (pool.late_or_cold, n_late[step]),
            ):
                for _ in range(int(count)):
                    at = START + timedelta(
                        minutes=STEP_MINUTES * step, seconds=int(rng.integers(0, STEP_MINUTES * 60))
                    )
                    text = _with_brand(texts[int(rng.integers(0, len(texts)))], brand, rng)
                    mentions.append(
                        {
                            "text": text,
                            "created_at": at.isoformat(),
                            "author": f"u{int(rng.integers(0, 10**6))}",
                            "source": "x",
                        }
                    )
    mentions.sort(key=lambda m: m["created_at"])
    start = START + timedelta(minutes=STEP_MINUTES * burst_step)
    end = start + timedelta(minutes=BURST_MINUTES)
    return Scenario(seed, bursting.name, other.name, start, end, usual, mentions)


def seeds(half: str, count: int) -> list[int]:
    parity = 0 if half == "tuning" else 1
    return [2 * i + parity for i in range(count)]
