"""SpikeDetector: rhythm, incident lifecycle, state round-trip, sparse counts and bad input."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from alerts.detection import BurstGrade, DetectorConfig, DetectorInputError, SpikeDetector, Verdict
from alerts.detection.detector import STATE_VERSION
from tests.detection.synthetic import PER_DAY, START, burst, daily_mean, series

LEVELS = [
    pytest.param(2.0, id="sparse-2-per-bucket"),
    pytest.param(40.0, id="busy-40"),
    pytest.param(800.0, id="busy-800"),
]


def run(points, detector: SpikeDetector | None = None) -> list[Verdict]:
    detector = detector or SpikeDetector()
    return [detector.update(ts, value) for ts, value in points]


@pytest.mark.parametrize("level", LEVELS)
def test_rhythm_is_learned(level: float) -> None:
    verdicts = run(series(days=6, level=level))
    last_day = verdicts[-PER_DAY:]
    truth = [daily_mean(v.ts, level) for v in last_day]
    errors = [abs(v.expected - t) / t for v, t in zip(last_day, truth, strict=True)]
    # The expectation follows the 6:1 day/night swing closely, not a flat average.
    assert sum(errors) / len(errors) < 0.25
    night = min(last_day, key=lambda v: daily_mean(v.ts, level))
    day = max(last_day, key=lambda v: daily_mean(v.ts, level))
    assert day.expected > 3.0 * night.expected


@pytest.mark.parametrize("level", LEVELS)
def test_quiet_series_raises_no_alerts(level: float) -> None:
    verdicts = run(series(days=7, level=level, seed=11))
    assert sum(v.alert for v in verdicts) == 0
    assert all(0.0 <= v.anomaly_score <= 1.0 for v in verdicts)


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize(
    ("length", "factor"),
    [
        # One 5-minute bucket must stand out a lot on its own (~20x); a surge that lasts two hours
        # is heard at a fraction of that height. (Busy series are assumed over-dispersed: NAB's
        # Twitter volumes show x5 half-hours that nobody labels an incident.)
        pytest.param(1, 20.0, id="one-bucket-x20"),
        pytest.param(24, 3.0, id="two-hours-x3"),
    ],
)
def test_burst_opens_one_incident_keeps_peak_and_resolves(level: float, length: int, factor: float) -> None:
    start = 4 * PER_DAY + 150  # day 5, 12:30
    extra = max(25.0, factor * level)
    verdicts = run(series(days=7, level=level, bursts=burst(start, length, extra)))
    alerts = [i for i, v in enumerate(verdicts) if v.alert]
    assert len(alerts) == 1, "one burst opens exactly one incident"
    assert start <= alerts[0] < start + length, "and it opens while the burst is on"

    opened = verdicts[alerts[0]]
    assert opened.in_incident and opened.anomaly_score >= 0.5 and opened.severity is not BurstGrade.NONE
    during = verdicts[alerts[0] : start + length]
    assert all(v.in_incident for v in during)
    assert verdicts[start + length - 1].peak == max(v.value for v in during)

    closes = [i for i, v in enumerate(verdicts) if v.incident_closed]
    assert len(closes) == 1 and closes[0] > start + length
    closed = verdicts[closes[0]]
    assert closed.peak == max(v.value for v in during), "the peak is kept to the end"
    assert not verdicts[closes[0] + 1].in_incident and verdicts[closes[0] + 1].severity is BurstGrade.NONE
    calm = DetectorConfig().buckets(DetectorConfig().calm_minutes)
    assert closes[0] - (start + length - 1) >= calm


def test_bigger_burst_is_more_severe() -> None:
    def severity(extra: float) -> BurstGrade:
        verdicts = run(series(days=6, level=40.0, bursts=burst(4 * PER_DAY + 150, 1, extra)))
        levels = [order.index(v.severity) for v in verdicts if v.in_incident]
        assert levels == sorted(levels), "severity only grows while the incident is open"
        return order[max(levels)]

    order = list(BurstGrade)
    assert order.index(severity(20000.0)) > order.index(severity(300.0)) > order.index(BurstGrade.NONE)


@pytest.mark.parametrize("extra", [300.0, 20000.0], ids=["major", "critical"])
def test_a_bucket_reports_its_own_strength_which_grades_as_its_burst_did(extra: float) -> None:
    """The incident machine reads one bucket's grade from ``Verdict.strength``; on the bucket that opens
    a one-bucket burst, the burst's grade is that bucket's, so the two must agree."""
    verdicts = run(series(days=6, level=40.0, bursts=burst(4 * PER_DAY + 150, 1, extra)))
    opened = next(v for v in verdicts if v.alert)
    assert opened.strength >= 1.0  # it opened: just enough or more
    assert BurstGrade.of(opened.strength, DetectorConfig()) is opened.severity
    quiet = [v for v in verdicts if not v.alert_worthy]
    assert quiet and all(v.strength < 1.0 for v in quiet)


def test_sparse_night_jumps_do_not_alert_but_a_real_burst_does() -> None:
    # Night-time trickle of negative mentions: mostly zeros with scattered 0 -> 2 jumps.
    start = START
    points = []
    for i in range(5 * PER_DAY):
        ts = start + timedelta(minutes=5 * i)
        value = 2.0 if i % 37 == 0 else (1.0 if i % 11 == 0 else 0.0)
        points.append((ts, value))
    verdicts = run(points)
    assert sum(v.alert for v in verdicts) == 0

    detector = SpikeDetector()
    run(points, detector)
    ts = points[-1][0]
    burst_verdicts = [
        detector.update(ts + timedelta(minutes=5 * (j + 1)), v) for j, v in enumerate([9, 14, 12])
    ]
    assert [v.alert for v in burst_verdicts].count(True) == 1
    assert burst_verdicts[0].alert or burst_verdicts[1].alert


def test_no_alert_during_warm_up() -> None:
    points = list(series(days=2, level=10.0, bursts=burst(100, 3, 200.0)))
    verdicts = run(points)
    warm = DetectorConfig().buckets(DetectorConfig().warmup_minutes)
    assert not any(v.alert for v in verdicts[:warm])


@pytest.mark.parametrize("split", [PER_DAY // 2, 4 * PER_DAY + 151, 4 * PER_DAY + 170, 6 * PER_DAY])
def test_state_round_trip_gives_identical_verdicts(split: int) -> None:
    points = list(series(days=7, level=30.0, bursts=burst(4 * PER_DAY + 150, 4, 400.0)))
    whole = run(points)

    first = SpikeDetector()
    head = run(points[:split], first)
    restored = SpikeDetector.from_state(json.loads(json.dumps(first.to_state())))
    tail = run(points[split:], restored)
    assert head + tail == whole


def test_old_state_version_is_rejected_with_a_hint() -> None:
    state = SpikeDetector().to_state()
    state["version"] = 1
    with pytest.raises(ValueError, match="fresh detector"):
        SpikeDetector.from_state(state)


def test_state_round_trip_keeps_config() -> None:
    config = DetectorConfig(open_z=5.5, sensitivity="high", timezone="UTC", calm_minutes=30)
    detector = SpikeDetector(config)
    run(series(days=1, level=5.0), detector)
    assert SpikeDetector.from_state(detector.to_state()).config == config


@pytest.mark.parametrize(
    "state", [{"version": 99}, {"version": 1}, {"version": 1, "config": {"bogus": 1}}, [], "x"]
)
def test_foreign_state_is_rejected(state: object) -> None:
    with pytest.raises(ValueError):
        SpikeDetector.from_state(state)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (math.nan, "finite count"),
        (math.inf, "finite count"),
        (-1.0, "finite count"),
        ("twelve", "not a number"),
        (None, "not a number"),
    ],
)
def test_bad_values_are_rejected_clearly(value: object, fragment: str) -> None:
    detector = SpikeDetector()
    detector.update(START, 3.0)
    with pytest.raises(DetectorInputError, match=fragment):
        detector.update(START + timedelta(minutes=5), value)  # type: ignore[arg-type]
    # The rejected value changed nothing: the next good bucket is judged as if it never came.
    reference = SpikeDetector()
    reference.update(START, 3.0)
    assert detector.update(START + timedelta(minutes=10), 4.0) == reference.update(
        START + timedelta(minutes=10), 4.0
    )


def test_timestamps_must_increase_and_not_mix_zones() -> None:
    detector = SpikeDetector()
    detector.update(START, 1.0)
    with pytest.raises(DetectorInputError, match="must increase"):
        detector.update(START, 1.0)
    with pytest.raises(DetectorInputError, match="must increase"):
        detector.update(START - timedelta(minutes=5), 1.0)
    with pytest.raises(DetectorInputError, match="mix"):
        detector.update(datetime(2030, 1, 1, tzinfo=UTC), 1.0)
    with pytest.raises(DetectorInputError, match="datetime"):
        detector.update("2030-01-01", 1.0)  # type: ignore[arg-type]


def test_aware_timestamps_follow_the_configured_zone() -> None:
    """The same wall-clock rhythm, fed as UTC instants, is learned in the series' own zone."""
    naive = list(series(days=5, level=20.0))
    tehran = DetectorConfig().timezone
    from zoneinfo import ZoneInfo

    aware = [(ts.replace(tzinfo=ZoneInfo(tehran)).astimezone(UTC), v) for ts, v in naive]
    as_local = run(naive)
    as_utc = run(aware)
    assert [v.expected for v in as_local] == pytest.approx([v.expected for v in as_utc])


@pytest.mark.parametrize(
    "overrides",
    [
        {"timezone": "Mars/Olympus"},
        {"calm_below": 1.5},
        {"major_at": 5.0, "critical_at": 3.0},
        {"bucket_minutes": 0},
        {"nope": 1},
    ],
)
def test_invalid_config_is_rejected(overrides: dict) -> None:
    with pytest.raises(ValidationError):
        DetectorConfig(**overrides)


def test_every_setting_is_documented() -> None:
    for name, field in DetectorConfig.model_fields.items():
        assert field.description and len(field.description) > 15, name


@pytest.mark.parametrize(
    ("second_extra", "gap_hours", "alerts_again"),
    [
        # 300 extra alerts on its own (checked below), but not right after a bigger burst.
        pytest.param(300.0, 9, False, id="smaller-aftershock-same-day"),
        pytest.param(8000.0, 9, True, id="much-bigger-same-day"),
        pytest.param(1000.0, 72, True, id="same-size-three-days-later"),
    ],
)
def test_a_second_burst_must_beat_the_last_peak_for_a_while(
    second_extra: float, gap_hours: int, alerts_again: bool
) -> None:
    first = 4 * PER_DAY + 120
    second = first + gap_hours * 12
    bursts = {**burst(first, 1, 1000.0), **burst(second, 1, second_extra)}
    verdicts = run(series(days=9, level=40.0, bursts=bursts))
    alone = run(series(days=9, level=40.0, bursts=burst(second, 1, second_extra)))
    assert alone[second].alert, "the second burst alone is alert-worthy"
    opened = [i for i, v in enumerate(verdicts) if v.alert]
    assert opened[0] == first
    closes = [i for i, v in enumerate(verdicts) if v.incident_closed]
    assert closes and closes[0] < second, "the first incident has resolved before the second burst"
    assert (second in opened) is alerts_again


DATA = Path(__file__).parent / "data"


def assert_resumes_the_open_burst(detector: SpikeDetector, state: dict) -> None:
    """A migrated detector, saved mid-burst in the state fixtures' series, carries the burst on: the one
    that was open alerts no second time and resolves once the series is calm; the migrated state
    round-trips as a current one."""
    points = list(series(days=3, level=20.0, seed=5, bursts=burst(2 * PER_DAY + 150, 6, 300.0)))
    rest = run(points[2 * PER_DAY + 155 :], detector)
    assert rest[0].in_incident and rest[0].incident_started_at == datetime.fromisoformat(
        state["incident"]["started_at"]
    )
    assert not any(v.alert for v in rest), "the burst that was open alerts no second time"
    assert any(v.incident_closed for v in rest)
    again = SpikeDetector.from_state(json.loads(json.dumps(detector.to_state())))
    assert again.to_state() == detector.to_state()


def test_version_2_state_migrates_and_carries_the_open_burst() -> None:
    """A state saved by the previous detector (version 2, mid-burst) resumes: same baseline, the burst
    still open (no second alert for it), and it resolves once the series is calm."""
    state = json.loads((DATA / "state_v2.json").read_text(encoding="utf-8"))
    assert state["version"] == 2 and state["incident"] is not None
    detector = SpikeDetector.from_state(state)
    assert detector.to_state()["version"] == STATE_VERSION
    assert detector.to_state()["baseline"] == state["baseline"]
    assert_resumes_the_open_burst(detector, state)


def test_version_3_state_migrates_and_carries_the_open_burst() -> None:
    """A state saved by the window-scan detector (version 3, mid-burst, before the slow-rise CUSUM)
    resumes: baseline and scan carry over unchanged, the CUSUM starts with no run, the ordinary days'
    peaks are relearned, the open burst alerts no second time and resolves; the result round-trips as
    a current state."""
    state = json.loads((DATA / "state_v3.json").read_text(encoding="utf-8"))
    assert state["version"] == 3 and state["incident"] is not None and "ramp" not in state
    detector = SpikeDetector.from_state(state)
    migrated = detector.to_state()
    assert migrated["version"] == STATE_VERSION == 5
    for part in ("baseline", "scan", "incident", "bar"):
        assert migrated[part] == state[part], part
    assert migrated["peaks"] == {"peaks": [], "day": None, "today": 0.0}
    assert migrated["ramp"]["score"] == 0.0 and migrated["ramp"]["frozen"] is None
    assert_resumes_the_open_burst(detector, state)


def test_version_4_state_migrates_and_relearns_its_ordinary_days() -> None:
    """A state saved while the ordinary days' peaks were count / expected ratios (version 4, mid-burst,
    today's peak a ratio of 11) resumes with everything but those peaks, which do not convert to
    evidence strength: they start empty (no ordinary-day bar until three days are known), the open
    burst alerts no second time and resolves, and the result round-trips as a current state."""
    state = json.loads((DATA / "state_v4.json").read_text(encoding="utf-8"))
    assert state["version"] == 4 and state["incident"] is not None and state["peaks"]["today"] > 10
    detector = SpikeDetector.from_state(state)
    migrated = detector.to_state()
    assert migrated["version"] == STATE_VERSION == 5
    for part in ("baseline", "scan", "ramp", "incident", "bar"):
        assert migrated[part] == state[part], part
    assert migrated["peaks"] == {"peaks": [], "day": None, "today": 0.0}
    assert detector.config == DetectorConfig.model_validate(state["config"])
    assert_resumes_the_open_burst(detector, state)
