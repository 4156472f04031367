"""The ordinary-day bar remembers a week (``peak_days`` 7, issue 10 round 13): a series whose noisy
spell ended days ago opens on a real burst again, and a state saved under a longer memory obeys the
shorter one at once."""

from __future__ import annotations

import pytest

from alerts.detection import DetectorConfig, SpikeDetector
from alerts.detection.peaks import DailyPeaks
from tests.detection.synthetic import PER_DAY, series

NOISY_DAYS = range(1, 10)  # each of these days has a 30-minute unlabelled spike of about 6x at 13:00
BURST_START = 14 * PER_DAY + 16 * 12  # day 15, 16:00: an hour at about 3x, four quiet days after the spell
BURST_BUCKETS = 12


def openings_in_burst(config: DetectorConfig, seed: int) -> list[int]:
    extra = {d * PER_DAY + 13 * 12 + j: 120.0 for d in NOISY_DAYS for j in range(6)}
    extra.update({BURST_START + j: 40.0 for j in range(BURST_BUCKETS)})
    detector = SpikeDetector(config)
    return [
        i
        for i, (ts, value) in enumerate(series(15, 20.0, seed, extra))
        if detector.update(ts, value).alert and BURST_START <= i < BURST_START + BURST_BUCKETS
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_burst_after_a_noisy_spell_opens_once_the_spell_is_a_week_old(seed: int) -> None:
    assert openings_in_burst(DetectorConfig(), seed), "the burst four days after the spell opened nothing"
    # The control: remembering two weeks, the spell's spikes still set the bar and hold the burst back.
    assert openings_in_burst(DetectorConfig(peak_days=14), seed) == []


def test_a_longer_remembered_history_obeys_todays_shorter_memory() -> None:
    """A state saved with 14 remembered days (the default before round 13) is judged on its newest 7."""
    peaks = DailyPeaks(peaks=[8.0] * 7 + [0.0, 1.0, 1.2, 1.4, 1.6, 1.8, 2.0], day=None, today=0.0)
    week = DetectorConfig(peak_days=7, peak_margin=2.5, peak_quantile=0.5)
    assert peaks.bar(week) == pytest.approx(2.5 * 1.4)  # the median of the newest seven
    assert peaks.bar(week.model_copy(update={"peak_days": 14})) == pytest.approx(2.5 * (2.0 + 8.0) / 2)
    restored = SpikeDetector.from_state({**SpikeDetector().to_state(), "peaks": peaks.to_state()})
    assert restored._peaks.bar(restored.config) == pytest.approx(2.5 * 1.4)
