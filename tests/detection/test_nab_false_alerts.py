"""The NAB bench's split of false alerts by the issue's obvious-burst definition
(benchmarks/nab_false_alerts.py): only scored alerts outside the windows count, and a burst is obvious
by its count against the same time's median on the previous days, in 15 minutes or in one bucket."""

from __future__ import annotations

from datetime import datetime, timedelta

from benchmarks.nab_false_alerts import DAY, false_alerts, is_obvious, without
from benchmarks.nab_scoring import probation_length

START = datetime(2015, 3, 1)


def _flat(days: int, value: float) -> list[float]:
    return [value] * (days * DAY)


def test_a_bucket_at_five_times_its_usual_count_and_ten_mentions_is_obvious() -> None:
    counts = _flat(8, 4.0)
    i = 7 * DAY + 100
    counts[i] = 20.0  # 5x the usual 4
    assert is_obvious(counts, i)
    counts[i] = 19.0  # 4.75x
    assert not is_obvious(counts, i)


def test_fifteen_minutes_count_together_and_ten_mentions_are_needed() -> None:
    counts = _flat(8, 1.0)
    i = 7 * DAY + 100
    counts[i - 2 : i + 1] = [5.0, 5.0, 5.0]  # 15 in 15 minutes against 3 usual; no bucket reaches 10
    assert is_obvious(counts, i)
    counts = _flat(8, 0.1)
    counts[i - 2 : i + 1] = [3.0, 3.0, 3.0]  # 30x the usual, but 9 mentions
    assert not is_obvious(counts, i)


def test_without_history_nothing_is_obvious() -> None:
    counts = [1.0] * 50
    counts[40] = 100.0
    assert not is_obvious(counts, 40)


def test_only_scored_alerts_outside_the_windows_are_split() -> None:
    counts = _flat(8, 4.0)
    stamps = [START + timedelta(minutes=5 * i) for i in range(len(counts))]
    spike, doubled, inside, early = (
        7 * DAY + 10,
        7 * DAY + 150,
        7 * DAY + 250,
        probation_length(len(counts)) - 1,
    )
    for i in (spike, inside, early):
        counts[i] = 40.0
    counts[doubled] = 8.0
    alerts = [0] * len(counts)
    for i in (spike, doubled, inside, early):
        alerts[i] = 1
    window = (stamps[inside - 5], stamps[inside + 5])
    split = false_alerts(stamps, counts, alerts, [window])
    assert split.obvious == [spike]
    assert split.other == [doubled]
    kept = without(alerts, split.obvious)
    assert [i for i, a in enumerate(kept) if a] == sorted([doubled, inside, early])
