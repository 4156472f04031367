"""A series that alarms on a few of its days, too few for the ordinary-day median to register, needs a
little more evidence with each alarming day (``peak_share_margin``, issue 10 round 14) instead of the
bare opening level until half its days alarm."""

from __future__ import annotations

from datetime import datetime
from itertools import islice, pairwise
from typing import Any

import pytest

from alerts.detection import DetectorConfig, SpikeDetector
from alerts.detection.peaks import DailyPeaks
from tests.detection.synthetic import BUCKET, PER_DAY, START, series

SPIKE_DAYS = (3, 5, 7)  # a strong one-bucket spike at 03:00 on three of the last seven days
TEST_AT = 10 * PER_DAY + 13 * 12  # day 11, 13:00: where a single bucket's count is judged
SHARE_OFF = DetectorConfig(peak_share_margin=0.0)


def state_before_test(spike_days: tuple[int, ...], config: DetectorConfig) -> tuple[dict[str, Any], datetime]:
    extra = {d * PER_DAY + 3 * 12: 40.0 for d in spike_days}
    detector = SpikeDetector(config)
    for ts, value in islice(series(11, 0.5, seed=5, bursts=extra), TEST_AT):
        detector.update(ts, value)
    return detector.to_state(), START + TEST_AT * BUCKET


def smallest_opening_count(spike_days: tuple[int, ...], config: DetectorConfig) -> int:
    return smallest_count_from(*state_before_test(spike_days, config))


def smallest_count_from(state: dict[str, Any], ts: datetime) -> int:
    for count in range(1, 200):
        if SpikeDetector.from_state(state).update(ts, float(count)).alert:
            return count
    raise AssertionError("no count up to 200 opened an incident")


def test_a_series_that_alarms_on_three_days_of_seven_needs_stronger_evidence() -> None:
    state, ts = state_before_test(SPIKE_DAYS, DetectorConfig())
    restored = SpikeDetector.from_state(state)
    assert restored._peaks.bar(restored.config) == pytest.approx(1.0 + 0.5 * 3 / 7)
    assert smallest_count_from(state, ts) > smallest_opening_count(SPIKE_DAYS, SHARE_OFF)


def test_a_series_whose_days_never_alarm_keeps_the_normal_opening_rule() -> None:
    assert smallest_opening_count((), DetectorConfig()) == smallest_opening_count((), SHARE_OFF)


def test_the_bar_rises_with_each_alarming_day_and_never_falls() -> None:
    config = DetectorConfig()
    bars = [DailyPeaks(peaks=[1.0] * k + [0.0] * (7 - k)).bar(config) for k in range(8)]
    assert bars[0] == 0.0  # no alarming day: no bar beyond the opening level
    assert bars[3] == pytest.approx(1.0 + 0.5 * 3 / 7)
    assert bars[4] == pytest.approx(2.5)  # from the 4th of 7 the median of the peaks takes over
    assert all(a < b for a, b in pairwise(bars[:5]))
    assert all(a <= b for a, b in pairwise(bars))
    # Strong peaks on three days do not move the share bar: only how often the series alarms does.
    assert DailyPeaks(peaks=[9.0, 9.0, 9.0, 0.0, 0.0, 0.0, 0.0]).bar(config) == pytest.approx(bars[3])
