"""The oracle CUSUM that bounds how early a slow ramp can open (benchmarks/ramp_oracle.py): it hears a
doubling it was told the usual rate for, stays quiet without one, and the delay counts from 2x."""

from __future__ import annotations

from benchmarks.ramp_oracle import RampCase, in_time, oracle_alarms
from benchmarks.synthetic_counts import BUCKET_MINUTES, LEARN_DAYS, PER_DAY, generate


def test_the_oracle_opens_a_ramp_within_the_hour_and_is_quiet_without_it() -> None:
    case = RampCase(seed=44, scale=100.0, hour=10)
    delay = case.minutes_after_doubling(oracle_alarms(case.series(), 13.0, LEARN_DAYS * PER_DAY))
    assert in_time(delay), f"opened {delay} min after 2x"
    quiet = generate(44, days=LEARN_DAYS + 3, scale=100.0, bursts=[])
    assert [a for a in oracle_alarms(quiet, 13.0, LEARN_DAYS * PER_DAY) if a >= case.start] == []


def test_a_lower_bar_alarms_no_later() -> None:
    case = RampCase(seed=46, scale=20.0, hour=2)
    series = case.series()
    low = case.minutes_after_doubling(oracle_alarms(series, 8.0, case.start))
    high = case.minutes_after_doubling(oracle_alarms(series, 16.0, case.start))
    assert low is not None and high is not None and low <= high


def test_the_delay_counts_from_the_doubling_and_ignores_earlier_alarms() -> None:
    case = RampCase(seed=44, scale=20.0, hour=12)
    crossed = case.burst.crosses(2.0)
    assert crossed is not None
    assert case.minutes_after_doubling([case.start - 1]) is None
    assert case.minutes_after_doubling([case.start - 1, case.start]) == 0
    assert case.minutes_after_doubling([crossed + 11]) == 12 * BUCKET_MINUTES
    assert in_time(60) and not in_time(65) and not in_time(None)
