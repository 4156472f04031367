"""The issue's goals as properties on generated brand series (benchmarks/synthetic_counts.py):
obvious bursts open within 15 minutes at any hour, 2x ramps within an hour of crossing 2x, burst-free
weeks stay quiet, and sensitivity orders the alarms."""

from __future__ import annotations

import pytest

from alerts.detection import DetectorConfig
from benchmarks.detection_eval import evaluate, opened
from benchmarks.synthetic_counts import LEARN_DAYS, PER_DAY, Burst, generate

DAYS = LEARN_DAYS + 3


def first_open(alerts: list[int], start: int) -> int | None:
    return next((a for a in alerts if a >= start), None)


# Known misses of the current detector (issue 10, measured in `make bench`): strict, so a fix shows.
LATE_AT_DINNER = pytest.mark.xfail(
    strict=True,
    reason="known miss: a 5x burst at a sparse brand's dinner peak opens after 30 minutes: its first 15 "
    "minutes hold 18 mentions against ~6 usual (the negative-binomial draw is ~3x, not 5x), so the "
    "obvious-burst rule, which judges observed counts, does not fire (accepting a count within half a "
    "Poisson sd of 5x opens it at 5 minutes but opened a false incident on the burst-free scale-6 brand)",
)


@pytest.mark.parametrize("scale", [1.0, 6.0, 60.0, 400.0])
@pytest.mark.parametrize("hour", [4.0, 13.5, 21.0])
def test_obvious_burst_opens_within_15_minutes_at_any_hour(
    scale: float, hour: float, request: pytest.FixtureRequest
) -> None:
    if (hour, scale) == (21.0, 1.0):
        request.applymarker(LATE_AT_DINNER)
    start = (LEARN_DAYS + 1) * PER_DAY + int(hour * 12)
    quiet = generate(31, days=DAYS, scale=scale, bursts=[])
    usual = quiet.usual[start : start + 3].sum()
    factor = max(5.0, 14.0 / usual)  # >= 5x the usual rate and >= 10 mentions within 15 minutes
    series = generate(31, days=DAYS, scale=scale, bursts=[Burst(start, 12, "step", factor)])
    assert series.counts[start : start + 3].sum() >= 10
    assert opened(quiet) == [], "the same series without the burst stays quiet"
    alert = first_open(opened(series), start)
    assert alert is not None and alert - start + 1 <= 3, f"opened {alert and (alert - start + 1) * 5} min in"


def test_obvious_burst_days_after_a_big_incident_opens_within_15_minutes() -> None:
    """A big incident raises the bar for the next one; an obvious burst four days later should still open
    at once."""
    first = (LEARN_DAYS + 1) * PER_DAY + int(13.5 * 12)
    start = (LEARN_DAYS + 5) * PER_DAY + int(13.5 * 12)
    bursts = [Burst(first, 24, "step", 20.0), Burst(start, 12, "step", 5.0)]
    series = generate(31, days=LEARN_DAYS + 7, scale=1.0, bursts=bursts)
    assert series.counts[start : start + 3].sum() >= 10
    alerts = opened(series)
    assert first_open(alerts, first) is not None and first_open(alerts, first) < start
    alert = first_open(alerts, start)
    assert alert is not None and alert - start + 1 <= 3, f"opened {alert and (alert - start + 1) * 5} min in"


@pytest.mark.parametrize("scale", [20.0, 100.0, 400.0])
@pytest.mark.parametrize("hour", [10.0, 19.0])
def test_slow_ramp_opens_within_an_hour_of_doubling(scale: float, hour: float) -> None:
    start = (LEARN_DAYS + 1) * PER_DAY + int(hour * 12)
    ramp = Burst(start, 48, "ramp", 4.0)  # 1x -> 4x over four hours
    crossed = ramp.crosses(2.0)
    assert crossed is not None
    alert = first_open(opened(generate(33, days=DAYS, scale=scale, bursts=[ramp])), start)
    assert alert is not None and alert - crossed + 1 <= 12, "opened more than an hour after crossing 2x"


def test_burst_free_weeks_are_quiet() -> None:
    """At most one false incident per brand-week (the issue's rate) over three weeks of a brand of each
    scale band, and no brand above two a week."""
    weeks, false = 0, []
    for seed in (101, 103, 105, 107, 109, 111):
        series = generate(seed, days=LEARN_DAYS + 21, bursty=False)
        false.append(sum(a >= LEARN_DAYS * PER_DAY for a in opened(series)))
        weeks += 3
    assert sum(false) <= weeks, f"false incidents per brand: {false}"
    assert max(false) <= 6, f"false incidents per brand: {false}"


def test_sensitivity_orders_the_alarms() -> None:
    series = generate(1, days=DAYS + 7)  # a bursty brand of the smallest band
    counts = {s: len(opened(series, DetectorConfig(sensitivity=s))) for s in ("low", "normal", "high")}
    assert counts["low"] <= counts["normal"] <= counts["high"]
    assert DetectorConfig(sensitivity="low").open_level() > DetectorConfig().open_level()


# Tuning-half brands (even seeds) where high sensitivity, weighing the ordinary days at its own level,
# counted more of them as alarming and opened an obvious burst 20-25 minutes late against normal's 5-10
# (issue 10, round 30).
@pytest.mark.parametrize("seed", [28, 80])
def test_high_sensitivity_opens_obvious_bursts_no_later_than_normal(seed: int) -> None:
    series = generate(seed)
    normal, high = (
        evaluate(series, opened(series, DetectorConfig(sensitivity=s))).bursts for s in ("normal", "high")
    )
    in_time = [(n, h) for n, h in zip(normal, high, strict=True) if n.obvious and n.delay is not None]
    assert in_time, "the brand has no obvious burst that normal sensitivity opens"
    for n, h in in_time:
        late = f"{n.shape} x{n.factor:.1f}: high {h.delay} min, normal {n.delay} min"
        assert h.delay is not None and h.delay <= n.delay, late
