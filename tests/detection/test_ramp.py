"""The slow-rise CUSUM: its log-likelihood ratio, its frozen expectation and its state mid-run."""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterable
from datetime import datetime

import pytest

from alerts.detection import DetectorConfig, SpikeDetector
from alerts.detection.ramp import RampCusum, log_likelihood_ratio
from benchmarks.ramp_oracle import RampCase
from tests.detection import synthetic


@pytest.mark.parametrize("mean", [0.3, 5.0, 400.0])
def test_the_step_favours_doubling_only_above_the_usual_rate(mean: float) -> None:
    assert log_likelihood_ratio(mean, mean, 2.0, 10.0) < 0.0, "the usual count argues against a rise"
    assert log_likelihood_ratio(2.2 * mean + 2, mean, 2.0, 10.0) > 0.0, "a doubled count argues for one"
    # More events, more evidence: the ratio grows with the count.
    steps = [log_likelihood_ratio(c, mean, 2.0, 10.0) for c in (0.0, mean, 2 * mean, 4 * mean)]
    assert steps == sorted(steps)


def _ramp_series(scale: float, seed: int = 33, hour: int = 10) -> tuple[list, int, int]:
    """A 4x ramp over four hours from ``hour`` on the day after the learning week."""
    case = RampCase(seed, scale, hour)
    crossed = case.burst.crosses(2.0)
    assert crossed is not None
    series = case.series()
    return list(zip(series.timestamps, series.counts, strict=True)), case.start, crossed


def test_the_expectation_is_frozen_while_the_rise_runs() -> None:
    """During a ramp the baseline learns part of it; the CUSUM's own expectation does not."""
    points, _, crossed = _ramp_series(100.0)
    detector = SpikeDetector(DetectorConfig(ramp_h=1e9))  # never opens: watch the run grow
    levels = []
    for i, (ts, value) in enumerate(points[: crossed + 12]):
        detector.update(ts, float(value))
        if i >= crossed:
            frozen = detector._ramp.frozen
            assert frozen is not None and detector._baseline.level is not None
            levels.append((frozen.level, detector._baseline.level))
    assert len({frozen for frozen, _ in levels}) == 1, "one frozen copy for the whole run"
    assert levels[-1][1] > levels[-1][0], "while the live baseline has moved up with the ramp"
    assert detector._ramp.score > 0.0


def test_state_mid_ramp_round_trips_to_identical_verdicts() -> None:
    points, start, crossed = _ramp_series(20.0)
    whole = SpikeDetector()
    expected = [whole.update(ts, float(v)) for ts, v in points]
    first = SpikeDetector()
    head = [first.update(ts, float(v)) for ts, v in points[: crossed - 2]]
    assert first.to_state()["ramp"]["frozen"] is not None, "split inside a run"
    restored = SpikeDetector.from_state(json.loads(json.dumps(first.to_state())))
    tail = [restored.update(ts, float(v)) for ts, v in points[crossed - 2 :]]
    assert head + tail == expected
    assert any(v.alert for v in expected[start:])


def _opened_from(config: DetectorConfig, points: Iterable[tuple[datetime, float]], start: int) -> list[int]:
    """Buckets from ``start`` on where a fresh detector with ``config`` opened an incident."""
    detector = SpikeDetector(config)
    return [i for i, (ts, v) in enumerate(points) if detector.update(ts, v).alert and i >= start]


def _opened_after(config: DetectorConfig, extra: float, seed: int) -> list[int]:
    """Incidents from a five-hour elevation of ``1 + extra`` times the usual rate, 10:00 on day 5."""
    start = 4 * synthetic.PER_DAY + 10 * 12
    at = {
        start + j: extra * synthetic.daily_mean(synthetic.START + (start + j) * synthetic.BUCKET, 12.0)
        for j in range(5 * 12)
    }
    return _opened_from(config, synthetic.series(days=6, level=12.0, seed=seed, bursts=at), start)


def test_a_mild_lasting_elevation_saturates_but_a_stronger_one_opens() -> None:
    """Round 16: the CUSUM forgets (``ramp_halflife_minutes``), so hours of 1.6x no longer crawl up to an
    incident as they do in a CUSUM that never forgets; 1.8x still opens, later than without forgetting."""
    never_forgets = DetectorConfig(ramp_halflife_minutes=0.0)
    seeds = (1, 2, 3)
    assert any(_opened_after(never_forgets, 0.6, s) for s in seeds)
    assert not any(_opened_after(DetectorConfig(), 0.6, s) for s in seeds)
    for seed in (2, 3):
        forgets, crawls = _opened_after(DetectorConfig(), 0.8, seed), _opened_after(never_forgets, 0.8, seed)
        assert forgets and crawls and forgets[0] >= crawls[0]


def _ramp_only_opened(knobs: dict[str, float], extra: float, seed: int) -> list[int]:
    """Incidents the CUSUM alone (windows silenced) opens on three night hours of ``extra`` times the day's
    average rate on top of the usual ~0.3 of it, from 02:00 on day 5."""
    start = 4 * synthetic.PER_DAY + 2 * 12
    night = synthetic.burst(start, 36, extra * 12.0)
    points = synthetic.series(days=5.5, level=12.0, seed=seed, bursts=night)
    return _opened_from(DetectorConfig(open_z=1000.0, **knobs), points, start)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_night_rise_must_double_or_add_most_of_an_average_hour_to_page(seed: int) -> None:
    """Round 17: ``ramp_min_share`` 0.7. By volume alone, a night that adds 0.6 of an average hour's count
    an hour is no ramp to page on (0.5 paged on it); one that adds 0.9 opens. Round 24 waives that floor
    once the last hour holds twice its frozen expectation and still rises; a night lifted by 0.4 of an
    average hour still does not page."""
    off = {"ramp_share_waived_at": 0.0}
    assert _ramp_only_opened({"ramp_min_share": 0.5, **off}, 0.6, seed), "the old floor opened it"
    assert not _ramp_only_opened(off, 0.6, seed)
    assert _ramp_only_opened({}, 0.9, seed)
    assert not _ramp_only_opened({}, 0.4, seed)


@pytest.mark.parametrize("scale", [20.0, 100.0, 400.0])
def test_a_busy_brands_night_ramp_opens_within_an_hour_of_doubling(scale: float) -> None:
    """Round 24: a 4x ramp from 01:00 on a brand without a holiday that week. Its doubled night adds less
    than 0.7 of an average hour, so round 17's volume floor never paged it; with the floor waived once the
    last hour holds twice its frozen expectation and still rises, it opens within an hour of crossing 2x."""
    points, start, crossed = _ramp_series(scale, seed=44, hour=1)
    waived = _opened_from(DetectorConfig(), points, start)
    after = (waived[0] - crossed + 1) * 5 if waived else None
    assert after is not None and after <= 60, f"opened {after} min after crossing 2x"
    assert not _opened_from(DetectorConfig(ramp_share_waived_at=0.0), points, start)


def test_the_volume_floor_is_waived_only_for_an_hour_still_rising() -> None:
    """A whole night lifted at midnight (a holiday) is a step: twice the usual for an hour, but flat."""
    flat = RampCusum(recent=deque([(20.0, 10.0)] * 12))
    rising = RampCusum(recent=deque([(15.0, 10.0)] * 6 + [(25.0, 10.0)] * 6))
    assert not flat._rising()
    assert rising._rising()
