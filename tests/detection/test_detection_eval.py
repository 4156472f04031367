"""How the synthetic benchmark counts incidents (benchmarks/detection_eval.py): a burst's own incident is a
detection, any other is false, and the burst-free learning week's incidents after the warm-up day are
counted apart, as a new brand's first week."""

from __future__ import annotations

import pytest

from benchmarks.detection_eval import evaluate, summarise
from benchmarks.synthetic_counts import LEARN_DAYS, PER_DAY, PER_WEEK, Burst, generate

DAYS = LEARN_DAYS + 7


def test_incidents_are_split_between_the_burst_the_first_week_and_the_weeks_after() -> None:
    start = (LEARN_DAYS + 2) * PER_DAY
    series = generate(7, days=DAYS, scale=5.0, bursts=[Burst(start, 12, "step", 8.0)])
    alerts = [
        PER_DAY // 2,  # inside the warm-up day: a fresh detector never opens there, so not counted
        3 * PER_DAY,  # the learning week: a first-week false incident
        start + 2,  # the burst's own incident, 15 minutes in
        (LEARN_DAYS + 5) * PER_DAY,  # after the learning week, no burst near: false
    ]
    result = evaluate(series, alerts)
    [burst] = result.bursts
    assert burst.delay == 15
    assert result.first_week_false == {series.band: 1}
    assert result.false_incidents == {series.band: 1}
    summary = summarise(result, None)
    assert summary.first_week_false_per_week == pytest.approx(1 / ((LEARN_DAYS - 1) * PER_DAY / PER_WEEK))
    assert summary.false_per_week == pytest.approx(1 / ((DAYS - LEARN_DAYS) * PER_DAY / PER_WEEK))


def test_evaluations_add_up_per_band() -> None:
    quiet = generate(7, days=DAYS, scale=5.0, bursts=[])
    total = evaluate(quiet, [2 * PER_DAY, 4 * PER_DAY])
    total.add(evaluate(quiet, [5 * PER_DAY, (LEARN_DAYS + 1) * PER_DAY]))
    assert total.first_week_false == {quiet.band: 3}
    assert total.false_incidents == {quiet.band: 1}
    assert total.first_weeks[quiet.band] == pytest.approx(2 * (LEARN_DAYS - 1) * PER_DAY / PER_WEEK)
